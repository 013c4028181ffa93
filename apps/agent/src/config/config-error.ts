/** One bad setting, named the way an operator sets it (its environment variable). */
export interface ConfigIssue {
  /** e.g. `ORDO_AGENT_PORT`, or `ORDO_AGENT_PORT (port in /etc/ordo/agent.json)` for file values. */
  setting: string;
  message: string;
}

/** The configuration cannot be used; `issues` lists every bad setting, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'invalid_config';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => `${issue.setting}: ${issue.message}`).join('; '));
    this.issues = issues;
  }
}

/** What `main` prints to stderr before exiting 1. */
export function formatConfigError(error: ConfigError): string {
  const lines = error.issues.map((issue) => `  - ${issue.setting}: ${issue.message}`);
  return ['ordo-agent: invalid configuration:', ...lines].join('\n');
}
