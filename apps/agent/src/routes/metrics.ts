import { hostname } from 'node:os';
import { InstanceName, type MetricsSnapshot } from '@ordo/protocol';
import { Hono } from 'hono';
import type { AgentEnv } from '../app-env';
import { AgentError } from '../errors';
import { requireInstance } from '../instances/require-instance';
import type { MetricsSource } from '../metrics/metrics-sampler';
import { toPrometheus } from '../metrics/prometheus';
import { parseInput } from './validate';

export interface MetricsRouteDeps {
  root: string;
  /** Absent when the agent does not sample (an app built without `startAgent`). */
  metrics: MetricsSource | undefined;
  /** The `server` label of Prometheus series (default: the host name). */
  serverLabel?: string;
}

/** Every route reads the sampler's last snapshot: a scrape never costs a collection. */
export function metricsRoutes(deps: MetricsRouteDeps) {
  const server = deps.serverLabel ?? hostname();
  const latest = (): MetricsSnapshot => {
    const snapshot = deps.metrics?.latest() ?? null;
    if (snapshot === null) {
      throw new AgentError(
        'unavailable',
        503,
        'No metrics sample yet: the agent takes one at start, retry in a few seconds',
      );
    }
    return snapshot;
  };

  return new Hono<AgentEnv>()
    .get('/v1/metrics', (c) => c.json(latest()))
    .get('/v1/instances/:name/metrics', async (c) => {
      const name = parseInput(InstanceName, c.req.param('name'), 'name');
      await requireInstance(deps, name);
      const snapshot = latest();
      const instance = snapshot.instances.find((entry) => entry.name === name);
      if (instance === undefined) {
        throw new AgentError(
          'unavailable',
          503,
          `Instance "${name}" has no metrics yet: it is still being created or was not sampled`,
        );
      }
      return c.json({ collectedAt: snapshot.collectedAt, instance });
    })
    .get('/metrics', (c) =>
      c.body(toPrometheus(latest(), server), 200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      }),
    );
}
