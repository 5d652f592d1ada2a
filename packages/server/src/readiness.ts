/**
 * @module readiness
 * Whether this instance should receive traffic. `/ready` reports it; shutdown flips it first, so a load
 * balancer stops sending requests before the server stops accepting them.
 */

export interface Readiness {
  /** True once shutdown has begun; never goes back. */
  readonly shuttingDown: boolean;
  /** Marks the instance as draining: `/ready` answers 503 from now on, and the shutdown listeners run. */
  beginShutdown(): void;
  /**
   * Runs `listener` once when shutdown begins (at once if it already has), before the listener closes:
   * what must leave before the server stops — WebSockets, which a graceful stop would otherwise wait
   * for — does it here. Returns the function that removes the listener.
   */
  onShutdown(listener: () => void): () => void;
}

export function createReadiness(): Readiness {
  let shuttingDown = false;
  const listeners = new Set<() => void>();
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      if (shuttingDown) return;
      shuttingDown = true;
      for (const listener of listeners) listener();
      listeners.clear();
    },
    onShutdown(listener) {
      if (shuttingDown) {
        listener();
        return () => {};
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
