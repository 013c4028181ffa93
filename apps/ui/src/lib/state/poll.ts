/** The part of `document` polling needs; tests pass a stand-in. */
export interface VisibilitySource {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * Runs `refresh` every `intervalMs` while the page is visible, at once when it becomes visible
 * again, and never twice at the same time. Returns the function that stops it.
 */
export function pollWhileVisible(
  refresh: () => Promise<unknown>,
  intervalMs: number,
  source: VisibilitySource = document,
): () => void {
  let running = false;
  const tick = () => {
    if (running || source.visibilityState !== 'visible') return;
    running = true;
    void refresh().finally(() => {
      running = false;
    });
  };
  const onVisibility = () => {
    if (source.visibilityState === 'visible') tick();
  };
  const timer = setInterval(tick, intervalMs);
  source.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    source.removeEventListener('visibilitychange', onVisibility);
  };
}
