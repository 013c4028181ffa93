import packageJson from '../package.json';

/** The agent's own version, bundled from package.json at build time. */
export const AGENT_VERSION: string = packageJson.version;
