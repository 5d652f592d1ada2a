/**
 * @module memory-event-bus
 * The in-process `EventBus`. Delivery is synchronous within `publish`, so events on a topic arrive in the
 * order they were published; a throwing handler is isolated and reported, never breaking the others.
 */
import type { EventBus, EventHandler } from '@zekka/core';

export interface MemoryEventBusOptions {
  /** Called when a handler throws. @default logs to the console */
  onHandlerError?: (error: unknown, event: string) => void;
}

export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const handlers = new Map<string, Set<EventHandler>>();
  const onError =
    options.onHandlerError ?? ((error, event) => console.error(`event handler for ${event} threw`, error));

  return {
    async publish(event) {
      const seen = new Set<EventHandler>();
      for (const topic of event.topics) {
        const set = handlers.get(topic);
        if (!set) continue;
        for (const handler of set) {
          if (seen.has(handler)) continue;
          seen.add(handler);
          try {
            handler(event);
          } catch (error) {
            onError(error, event.event);
          }
        }
      }
    },
    subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
      }
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry: EventHandler = (event) => handler(event);
      set.add(entry);
      return () => {
        const current = handlers.get(topic);
        current?.delete(entry);
        if (current?.size === 0) handlers.delete(topic);
      };
    },
    async close() {
      handlers.clear();
    },
  };
}
