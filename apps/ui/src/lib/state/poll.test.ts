import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pollWhileVisible } from './poll';
import type { VisibilitySource } from './poll';

class FakeDocument extends EventTarget implements VisibilitySource {
  visibilityState: DocumentVisibilityState = 'visible';

  setVisibility(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

describe('pollWhileVisible', () => {
  let page: FakeDocument;
  let calls: number;

  beforeEach(() => {
    vi.useFakeTimers();
    page = new FakeDocument();
    calls = 0;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const refresh = () => {
    calls += 1;
    return Promise.resolve();
  };

  it('refreshes on every interval while visible, and stops when told', async () => {
    const stop = pollWhileVisible(refresh, 3000, page);
    await vi.advanceTimersByTimeAsync(9000);
    expect(calls).toBe(3);
    stop();
    await vi.advanceTimersByTimeAsync(9000);
    expect(calls).toBe(3);
  });

  it('pauses in a hidden tab and refreshes as soon as the tab is back', async () => {
    const stop = pollWhileVisible(refresh, 3000, page);
    page.setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBe(0);
    page.setVisibility('visible');
    expect(calls).toBe(1);
    stop();
  });

  it('never overlaps a slow refresh', async () => {
    let finish: () => void = () => undefined;
    const slow = () => {
      calls += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    const stop = pollWhileVisible(slow, 1000, page);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(1);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
    stop();
  });
});
