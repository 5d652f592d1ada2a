/**
 * @module event-bus
 * Publish/subscribe for domain events. Local implementations deliver in-process; distributed ones fan out
 * to every instance. Delivery is at-most-once and ordered per topic for one publisher.
 */
import type { ZekkaEvent } from '../events.ts';

export type EventHandler = (event: ZekkaEvent) => void;

export interface EventBus {
  /**
   * Delivers `event` to the subscribers of each of its topics (once per subscriber even when it matches
   * several topics). Resolves once the event is handed to the transport; never throws for a subscriber's
   * failure — a throwing handler is isolated from the others.
   */
  publish(event: ZekkaEvent): Promise<void>;
  /**
   * Calls `handler` for events on `topic` (e.g. `project:<id>`) published after this call.
   * Returns the function that ends the subscription.
   */
  subscribe(topic: string, handler: EventHandler): () => void;
  close(): Promise<void>;
}
