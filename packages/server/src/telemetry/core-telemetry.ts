/**
 * @module telemetry/core-telemetry
 * Core's `Telemetry` port on the server's Prometheus counters, and error counting for the store and the
 * cache.
 */
import { type Cache, isZekkaError, type Store, type Telemetry } from '@zekka/core';
import type { ServerMetrics } from './metrics.ts';

export function prometheusTelemetry(metrics: ServerMetrics): Telemetry {
  return {
    generationFinished({ model, outcome, usage, costMicroUsd }) {
      metrics.generations.inc({ model, outcome });
      metrics.tokens.inc({ model, kind: 'input' }, usage.inputTokens);
      metrics.tokens.inc({ model, kind: 'output' }, usage.outputTokens);
      if (costMicroUsd !== null && costMicroUsd > 0) metrics.costUsd.inc({ model }, costMicroUsd / 1_000_000);
    },
    budgetExceeded() {
      metrics.budgetExceeded.inc();
    },
  };
}

/**
 * Rejections that mean the dependency failed — not answers about the data (`NOT_FOUND`, `CONFLICT`,
 * `VALIDATION_FAILED` are the store doing its job).
 */
function isDependencyFailure(error: unknown): boolean {
  return !isZekkaError(error) || error.code === 'UNAVAILABLE' || error.code === 'INTERNAL';
}

type AsyncFn = (...args: unknown[]) => Promise<unknown>;

/**
 * `target` with every async method wrapped so a failed call increments `count` (and still rejects). A
 * proxy, so methods on a prototype (class-based adapters) are wrapped too; each wrapper is made once.
 */
function countFailures<T extends object>(target: T, count: () => void): T {
  const wrappers = new Map<PropertyKey, AsyncFn>();
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        const method = value as AsyncFn;
        wrapper = (...args) => {
          const result = method.apply(object, args);
          // Only promises are counted; a synchronous helper passes through untouched.
          if (!(result instanceof Promise)) return result;
          return result.catch((error: unknown) => {
            if (isDependencyFailure(error)) count();
            throw error;
          });
        };
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });
}

/** The store with each repository's failures counted in `zekka_store_errors_total`. */
export function instrumentStore(store: Store, metrics: ServerMetrics): Store {
  const count = () => metrics.storeErrors.inc();
  const repositories = new Map<PropertyKey, object>();
  const methods = countFailures(store, count);
  return new Proxy(store, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value === 'function') return Reflect.get(methods, property);
      if (typeof value !== 'object' || value === null) return value;
      let repository = repositories.get(property);
      if (repository === undefined) {
        repository = countFailures(value, count);
        repositories.set(property, repository);
      }
      return repository;
    },
  });
}

/** The cache with its failures counted in `zekka_cache_errors_total`. */
export function instrumentCache(cache: Cache, metrics: ServerMetrics): Cache {
  return countFailures(cache, () => metrics.cacheErrors.inc());
}
