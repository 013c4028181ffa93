import { arch, cpus, freemem, hostname, platform, release, totalmem, uptime } from 'node:os';
import type { AgentInfo, RuntimeKind } from '@ordo/protocol';
import { readDistribution } from './os-release';

export interface AgentInfoInput {
  version: string;
  runtime: RuntimeKind;
  startedAt: Date;
  now: Date;
  osReleasePath?: string;
}

/** What `GET /v1/info` reports: this machine as Node sees it, plus the agent's own uptime. */
export async function collectAgentInfo(input: AgentInfoInput): Promise<AgentInfo> {
  return {
    version: input.version,
    hostname: hostname(),
    os: {
      platform: platform(),
      release: release(),
      distribution: await readDistribution(input.osReleasePath),
      arch: arch(),
    },
    // Some containers hide /proc/cpuinfo and Node then reports no CPU at all.
    cpus: Math.max(1, cpus().length),
    memory: { totalBytes: totalmem(), freeBytes: freemem() },
    runtime: input.runtime,
    uptimeSeconds: Math.floor(uptime()),
    agentUptimeSeconds: Math.max(
      0,
      Math.floor((input.now.getTime() - input.startedAt.getTime()) / 1000),
    ),
  };
}
