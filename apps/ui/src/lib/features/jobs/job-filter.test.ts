import { describe, expect, it } from 'vitest';
import { hasJobFilters, noJobFilters, toJobListInput } from './job-filter';

const SERVER = '5b0c2f7e-3c55-4b4e-9a53-0f0c8f6d2a11';

describe('toJobListInput', () => {
  it('asks for everything without filters', () => {
    expect(toJobListInput(noJobFilters())).toEqual({ limit: 200 });
  });

  it('sends each chosen filter, the search trimmed', () => {
    expect(
      toJobListInput({
        serverId: SERVER,
        state: 'failed',
        kind: 'version.install',
        search: ' 17.0 ',
      }),
    ).toEqual({
      serverId: SERVER,
      state: 'failed',
      kind: 'version.install',
      search: '17.0',
      limit: 200,
    });
  });

  it('drops values that are not a state or kind of the protocol', () => {
    expect(toJobListInput({ ...noJobFilters(), state: 'exploded', kind: 'nope' })).toEqual({
      limit: 200,
    });
  });
});

describe('hasJobFilters', () => {
  it('tells whether any filter narrows the list', () => {
    expect(hasJobFilters(noJobFilters())).toBe(false);
    expect(hasJobFilters({ ...noJobFilters(), search: '  ' })).toBe(false);
    expect(hasJobFilters({ ...noJobFilters(), state: 'running' })).toBe(true);
  });
});
