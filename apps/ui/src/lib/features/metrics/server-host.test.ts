import { describe, expect, it } from 'vitest';
import { agentHost } from './server-host';

describe('agentHost', () => {
  it('keeps the host and a non-default port of the agent URL', () => {
    expect(agentHost('https://10.0.0.5:8069/')).toBe('10.0.0.5:8069');
    expect(agentHost('https://odoo.example.com')).toBe('odoo.example.com');
  });

  it('shows an unparsable URL as it is', () => {
    expect(agentHost('not a url')).toBe('not a url');
  });
});
