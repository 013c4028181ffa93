import type { JobView } from '@ordo/protocol/panel';
import { onDestroy, untrack } from 'svelte';
import { JobWatch } from './job-watch.svelte';

/**
 * The one job a dialog starts (or is opened on), watched live from then until the dialog goes;
 * `onFinished` runs once when it has ended, e.g. to reload the list it changed. Create it while
 * the component initialises: it registers an effect and a destroy hook there.
 */
export class FollowedJob {
  watch = $state<JobWatch | null>(null);

  constructor(onFinished?: (job: JobView) => void) {
    let reported = false;
    $effect(() => {
      const watch = this.watch;
      if (!watch?.finished || reported) return;
      reported = true;
      untrack(() => onFinished?.(watch.job));
    });
    onDestroy(() => this.watch?.stop());
  }

  follow(job: JobView): void {
    this.watch?.stop();
    const next = new JobWatch(job);
    next.start();
    this.watch = next;
  }
}
