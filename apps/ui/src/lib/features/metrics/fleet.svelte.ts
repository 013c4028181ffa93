import { FleetSample } from '@ordo/protocol/panel';
import { readApiError } from '../../api/api-error';
import { api } from '../../api/trpc';
import { mergeSample } from './chart-data';

export type FleetStatus = 'idle' | 'connecting' | 'live' | 'failed';

/**
 * The latest metrics sample of every server, shared by the whole page: one `metrics.live`
 * subscription however many cards read it. Pages `acquire()` on mount and call the returned
 * release on destroy; the subscription closes with the last reader.
 */
class FleetStore {
  latest = $state<Record<string, FleetSample>>({});
  instanceStatus = $state<Record<string, number>>({});
  status = $state<FleetStatus>('idle');
  error = $state<string | null>(null);
  #readers = 0;
  #stop: (() => void) | null = null;

  acquire(): () => void {
    this.#readers += 1;
    if (this.#readers === 1) this.#start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#readers -= 1;
      if (this.#readers === 0) this.#close();
    };
  }

  /** The newest sample of one instance, with when it was taken. */
  instance(serverId: string, name: string) {
    const sample = this.latest[serverId];
    const metrics = sample?.instances.find((instance) => instance.name === name);
    return sample && metrics ? { at: sample.at, metrics } : null;
  }

  #start(): void {
    this.status = 'connecting';
    this.error = null;
    void this.#loadOverview();
    const subscription = api.metrics.live.subscribe(
      {},
      {
        onStarted: () => {
          this.status = 'live';
        },
        onData: (value) => this.#receive(value),
        onError: (error) => {
          this.status = 'failed';
          this.error = readApiError(error).message;
        },
      },
    );
    this.#stop = () => subscription.unsubscribe();
  }

  #close(): void {
    this.#stop?.();
    this.#stop = null;
    this.status = 'idle';
  }

  async #loadOverview(): Promise<void> {
    try {
      const overview = await api.metrics.fleet.query();
      let latest = this.latest;
      for (const sample of overview.servers) latest = mergeSample(latest, sample);
      this.latest = latest;
      this.instanceStatus = overview.instanceStatus;
    } catch (error) {
      this.error = readApiError(error).message;
    }
  }

  #receive(value: unknown): void {
    const parsed = FleetSample.safeParse(value);
    if (!parsed.success) return;
    this.latest = mergeSample(this.latest, parsed.data);
  }
}

export const fleetStore = new FleetStore();
