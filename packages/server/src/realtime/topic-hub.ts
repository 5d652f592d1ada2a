/**
 * @module realtime/topic-hub
 * One bus subscription per topic per instance, fanned out to this instance's sockets: 5,000 sockets on one
 * conversation cost one `EventBus` subscription, and the last socket to leave a topic ends it. Each event
 * is serialized at most once per topic, however many sockets receive it.
 */
import { type EventBus, isPublicEvent, type Logger, type ZekkaEvent } from '@zekka/core';

export interface TopicListener {
  /** `frame()` is the event's `event` frame for `topic`, serialized on first use and shared. */
  onEvent(topic: string, event: ZekkaEvent, frame: () => string): void;
}

/** The `event` frame's text for `event` delivered on `topic`. */
export function eventFrameText(topic: string, event: ZekkaEvent): string {
  return JSON.stringify({ type: 'event', topic, event: event.event, data: event.data, ts: event.ts });
}

export class TopicHub {
  private readonly topics = new Map<string, { listeners: Set<TopicListener>; unsubscribe: () => void }>();

  constructor(
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Adds `listener` to `topic`, subscribing on the bus when it is the topic's first. */
  add(topic: string, listener: TopicListener): void {
    let entry = this.topics.get(topic);
    if (!entry) {
      const listeners = new Set<TopicListener>();
      entry = {
        listeners,
        unsubscribe: this.bus.subscribe(topic, (event) => this.fanOut(topic, listeners, event)),
      };
      this.topics.set(topic, entry);
    }
    entry.listeners.add(listener);
  }

  /** Removes `listener` from `topic`, ending the bus subscription when it was the topic's last. */
  remove(topic: string, listener: TopicListener): void {
    const entry = this.topics.get(topic);
    if (!entry?.listeners.delete(listener) || entry.listeners.size > 0) return;
    entry.unsubscribe();
    this.topics.delete(topic);
  }

  /** Topics with a bus subscription on this instance. */
  get topicCount(): number {
    return this.topics.size;
  }

  /** Sockets listening on `topic` on this instance. */
  listenerCount(topic: string): number {
    return this.topics.get(topic)?.listeners.size ?? 0;
  }

  private fanOut(topic: string, listeners: Set<TopicListener>, event: ZekkaEvent): void {
    // Events between instances (and any name this version does not know) never reach a client.
    if (!isPublicEvent(event.event)) return;
    let text: string | undefined;
    const frame = () => {
      text ??= eventFrameText(topic, event);
      return text;
    };
    // A listener may leave the set while it handles the event (access ended); Set iteration allows it.
    for (const listener of listeners) {
      try {
        listener.onEvent(topic, event, frame);
      } catch (error) {
        this.logger.error('realtime delivery failed', { topic, event: event.event, error });
      }
    }
  }
}
