import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../config';
import { AgentError } from '../errors';
import { databaseNameFor } from './start-create';

const TOKEN = 'a'.repeat(64);

describe('instance database names', () => {
  it('are the instance name without a prefix', () => {
    expect(databaseNameFor({ dbPrefix: '' }, 'shop')).toBe('shop');
  });

  it('carry ORDO_AGENT_DB_PREFIX, so agents sharing a PostgreSQL cluster never collide', () => {
    const config = loadAgentConfig({ ORDO_AGENT_TOKEN: TOKEN, ORDO_AGENT_DB_PREFIX: 'srv1_' });
    expect(config.dbPrefix).toBe('srv1_');
    expect(databaseNameFor(config, 'shop')).toBe('srv1_shop');
  });

  it('refuse a name that would pass the 63-byte limit of PostgreSQL once prefixed', () => {
    const name = 'x'.repeat(60);
    expect(() => databaseNameFor({ dbPrefix: 'srv1_' }, name)).toThrow(AgentError);
    expect(() => databaseNameFor({ dbPrefix: 'srv1_' }, name)).toThrow(
      'name: with the database prefix "srv1_" (ORDO_AGENT_DB_PREFIX) the instance name can be at most 58 characters',
    );
  });

  it('refuse a prefix that is not a plain identifier part', () => {
    expect(() =>
      loadAgentConfig({ ORDO_AGENT_TOKEN: TOKEN, ORDO_AGENT_DB_PREFIX: 'Srv-1;' }),
    ).toThrow(/ORDO_AGENT_DB_PREFIX: must be at most 20 lowercase letters, digits or "_"/);
  });
});
