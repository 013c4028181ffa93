import { createServer } from 'node:net';
import type { Logger } from 'pino';
import type { PortRange } from '../config/settings';
import { AgentError } from '../errors';
import { readAllInstanceRecords } from './instance-store';

/**
 * `count` ports from the range that no instance record holds and that can be bound right now
 * on `host` (another program may hold one). Lowest first. 503 when the range is used up.
 */
export async function allocatePorts(input: {
  root: string;
  logger: Logger;
  range: PortRange;
  host: string;
  count: number;
}): Promise<number[]> {
  const records = await readAllInstanceRecords(input.root, input.logger);
  const taken = new Set(records.flatMap((record) => [record.httpPort, record.geventPort]));
  const ports: number[] = [];
  for (let port = input.range.from; port <= input.range.to; port += 1) {
    if (taken.has(port) || !(await canBind(port, input.host))) continue;
    ports.push(port);
    if (ports.length === input.count) return ports;
  }
  const { from, to } = input.range;
  throw new AgentError(
    'unavailable',
    503,
    `No free port in ${from}-${to}: instances or other programs use them all; ` +
      'widen ORDO_AGENT_PORT_RANGE or delete an instance',
  );
}

export function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
