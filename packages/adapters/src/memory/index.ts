/**
 * @module @zekka/adapters/memory
 * In-process cache and event bus: the single-instance defaults.
 */
export { createMemoryCache, type MemoryCacheOptions } from './memory-cache.ts';
export { createMemoryEventBus, type MemoryEventBusOptions } from './memory-event-bus.ts';
