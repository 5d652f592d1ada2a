/**
 * @module readiness
 * Whether this instance should receive traffic. `/ready` reports it; shutdown flips it first, so a load
 * balancer stops sending requests before the server stops accepting them.
 */

export interface Readiness {
  /** True once shutdown has begun; never goes back. */
  readonly shuttingDown: boolean;
  /** Marks the instance as draining: `/ready` answers 503 from now on. */
  beginShutdown(): void;
}

export function createReadiness(): Readiness {
  let shuttingDown = false;
  return {
    get shuttingDown() {
      return shuttingDown;
    },
    beginShutdown() {
      shuttingDown = true;
    },
  };
}
