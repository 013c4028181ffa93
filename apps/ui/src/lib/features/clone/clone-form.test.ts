import { InstanceName } from '@ordo/protocol';
import { describe, expect, it } from 'vitest';
import { canBeCloned, suggestStagingName } from './clone-form';

describe('suggestStagingName', () => {
  it('offers <name>-staging, then numbered names when taken', () => {
    expect(suggestStagingName('shop', ['shop'])).toBe('shop-staging');
    expect(suggestStagingName('shop', ['shop', 'shop-staging'])).toBe('shop-staging-2');
    expect(suggestStagingName('shop', ['shop-staging', 'shop-staging-2'])).toBe('shop-staging-3');
  });

  it('cuts a long production name so the suggestion stays a valid instance name', () => {
    const long = 'a'.repeat(63);
    const first = suggestStagingName(long, [long]);
    expect(first).toBe(`${'a'.repeat(55)}-staging`);
    expect(InstanceName.safeParse(first).success).toBe(true);
    const second = suggestStagingName(long, [long, first]);
    expect(second).toHaveLength(63);
    expect(second.endsWith('-staging-2')).toBe(true);
    expect(InstanceName.safeParse(second).success).toBe(true);
  });
});

describe('canBeCloned', () => {
  it('offers cloning for production instances that exist already', () => {
    expect(canBeCloned({ type: 'production', status: 'running' })).toBe(true);
    expect(canBeCloned({ type: 'production', status: 'stopped' })).toBe(true);
    expect(canBeCloned({ type: 'production', status: 'provisioning' })).toBe(false);
    expect(canBeCloned({ type: 'staging', status: 'running' })).toBe(false);
  });
});
