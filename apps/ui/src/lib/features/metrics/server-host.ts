/** The host (name or IP, with a non-default port) an agent URL points at. */
export function agentHost(agentUrl: string): string {
  try {
    return new URL(agentUrl).host;
  } catch {
    return agentUrl;
  }
}
