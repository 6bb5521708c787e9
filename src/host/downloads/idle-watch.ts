/**
 * Calls `onIdle` once `progress()` (a byte count) has not moved for `timeoutMs` while `stalled()` held. A timer
 * looks a few times per timeout, so a busy transfer pays nothing per chunk, unlike a socket timeout, which is
 * re-armed on every read and write. Returns a function that stops watching.
 */
export function watchIdle(timeoutMs: number, progress: () => number, stalled: () => boolean, onIdle: () => void): () => void {
  let last = progress();
  let idleSince = Date.now();
  const timer = setInterval(() => {
    const now = progress();
    if (now !== last || !stalled()) {
      last = now;
      idleSince = Date.now();
    } else if (Date.now() - idleSince >= timeoutMs) {
      clearInterval(timer);
      onIdle();
    }
  }, Math.max(10, Math.ceil(timeoutMs / 4)));
  timer.unref();
  return () => clearInterval(timer);
}
