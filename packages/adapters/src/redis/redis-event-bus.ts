/**
 * @module redis/redis-event-bus
 * The distributed `EventBus`: every instance delivers to its own subscribers, and Redis pub/sub carries
 * each event to the other instances.
 *
 * - One channel per topic (`<channelPrefix><topic>`). An instance subscribes to a topic's channel only while
 *   it has a local subscriber to that topic, so it receives only the events it will deliver.
 * - Two connections: `PUBLISH` on one, `SUBSCRIBE` on a dedicated subscriber connection.
 * - **Local delivery never depends on Redis.** `publish` hands the event to this instance's subscribers
 *   directly, then publishes it tagged with this instance's id; the copy that comes back from Redis is
 *   recognised by the tag and skipped. With Redis down, this instance keeps working on its own.
 * - Order per topic holds for one publisher: local delivery is synchronous, and one connection carries all
 *   of an instance's `PUBLISH`es in call order, which Redis relays in that order.
 */
import type { EventEmitter } from 'node:events';
import {
  createConsoleLogger,
  type EventBus,
  type EventHandler,
  type Logger,
  type ZekkaEvent,
} from '@zekka/core';
import {
  closeClient,
  createRedisClient,
  DEFAULT_COMMAND_TIMEOUT_MS,
  firstConnection,
  toZekkaError,
  unavailable,
} from './connection.ts';
import { createOutageLog, describeError } from './outage-log.ts';

export interface RedisEventBusOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. The bus opens two connections to it. */
  url: string;
  /**
   * Prepended to each topic to name its channel; deployments sharing a Redis need different ones.
   * @default 'zekka:events:'
   */
  channelPrefix?: string;
  /** Told about outages (at most every 10 s) and about handlers that throw. */
  logger?: Logger;
  /** @default 1000 */
  commandTimeoutMs?: number;
}

/** An `EventBus` on Redis pub/sub, with a way to wait for its subscriptions to be in place. */
export interface RedisEventBus extends EventBus {
  /**
   * Resolves once Redis has answered everything this bus sent on its subscriber connection before the call:
   * every subscription made so far is active on Redis, and every event Redis accepted before the call (from
   * any instance, on a subscribed topic) has been delivered here. Await it before acknowledging a
   * subscription to a client that will then cause events elsewhere. Rejects with `UNAVAILABLE` while Redis
   * is down (local delivery works regardless).
   */
  sync(): Promise<void>;
}

/** What travels on a channel: the event and the instance that published it. */
interface Envelope {
  from: string;
  event: ZekkaEvent;
}

/** Redis takes any number of channels in one `SUBSCRIBE`; batches keep one command's size sensible. */
const SUBSCRIBE_BATCH = 1000;

/**
 * A distributed `EventBus` on Redis pub/sub.
 *
 * While Redis cannot be reached, `publish` still delivers to this instance's subscribers and resolves; the
 * copy for other instances is dropped (delivery is at-most-once) and the outage logged at most every 10 s.
 * When Redis returns, the subscriber connection re-subscribes to every topic that has local subscribers at
 * that moment — including topics subscribed during the outage — and remote delivery resumes by itself.
 * A throwing handler is logged and does not affect the others.
 * @example
 * const bus = createRedisEventBus({ url: process.env.REDIS_URL! });
 * const off = bus.subscribe(`project:${id}`, (event) => socket.send(JSON.stringify(event)));
 */
export function createRedisEventBus(options: RedisEventBusOptions): RedisEventBus {
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const channelPrefix = options.channelPrefix ?? 'zekka:events:';
  const logger = options.logger ?? createConsoleLogger();
  const instanceId = crypto.randomUUID();
  const handlers = new Map<string, Set<EventHandler>>();
  const outage = createOutageLog({
    logger,
    message: 'redis event bus unavailable: events reach this instance only',
    recoveredMessage: 'redis event bus available again',
  });

  const publisher = createRedisClient(options.url, { commandTimeoutMs, connectionName: 'zekka:bus:pub' });
  const subscriber = createRedisClient(options.url, {
    commandTimeoutMs,
    connectionName: 'zekka:bus:sub',
    // ioredis's autoResubscribe replays the channels of the moment the connection dropped, so a topic
    // subscribed or dropped during the outage would be missed or leaked. The bus re-subscribes its own
    // current set on every `ready` instead (see below).
    redisOptions: { autoResubscribe: false },
  });
  const publisherConnected = firstConnection(publisher, commandTimeoutMs);
  const subscriberConnected = firstConnection(subscriber, commandTimeoutMs);
  let resubscribed = false;
  let closed = false;

  const channelOf = (topic: string) => channelPrefix + topic;

  const deliver = (subscriptions: Set<EventHandler>, event: ZekkaEvent) => {
    // A copy, so a handler that subscribes during delivery does not receive the event being delivered.
    for (const handler of [...subscriptions]) {
      try {
        handler(event);
      } catch (error) {
        logger.error('event handler threw', { event: event.event, error: describeError(error) });
      }
    }
  };

  const sendSubscription = (command: 'subscribe' | 'unsubscribe', channels: string[]) => {
    // Only on a ready connection: one that is down has no subscriptions to change, and the `ready` handler
    // below subscribes to whatever is wanted once it is back.
    if (subscriber.status !== 'ready' || channels.length === 0) return;
    subscriber[command](...channels).catch((error: unknown) => {
      outage.failed({ operation: command, error: describeError(error) });
    });
  };

  subscriber.on('ready', () => {
    resubscribed = true;
    outage.recovered();
    const channels = [...handlers.keys()].map(channelOf);
    for (let i = 0; i < channels.length; i += SUBSCRIBE_BATCH) {
      sendSubscription('subscribe', channels.slice(i, i + SUBSCRIBE_BATCH));
    }
  });
  subscriber.on('close', () => {
    resubscribed = false;
    if (!closed) outage.failed({ operation: 'receive', error: 'subscriber connection lost' });
  });
  subscriber.on('message', (channel: string, raw: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const subscriptions = handlers.get(channel.slice(channelPrefix.length));
    if (subscriptions === undefined) return;
    const envelope = parseEnvelope(raw);
    if (envelope === null) {
      logger.warn('redis event bus dropped a malformed message', { channel });
      return;
    }
    // Our own publish, already delivered locally.
    if (envelope.from === instanceId) return;
    deliver(subscriptions, envelope.event);
  });

  return {
    async publish(event) {
      const topics = [...new Set(event.topics)];
      for (const topic of topics) {
        const subscriptions = handlers.get(topic);
        if (subscriptions) deliver(subscriptions, event);
      }
      if (closed) return;
      const payload = JSON.stringify({ from: instanceId, event } satisfies Envelope);
      // Every publish passes this same await, so commands still leave in call order.
      await publisherConnected;
      try {
        await Promise.all(topics.map((topic) => publisher.publish(channelOf(topic), payload)));
        outage.recovered();
      } catch (error) {
        outage.failed({ operation: 'publish', event: event.event, error: describeError(error) });
      }
    },

    subscribe(topic, handler) {
      let subscriptions = handlers.get(topic);
      if (subscriptions === undefined) {
        subscriptions = new Set();
        handlers.set(topic, subscriptions);
        sendSubscription('subscribe', [channelOf(topic)]);
      }
      const current = subscriptions;
      // Wrapped so the same function subscribed twice holds two independent subscriptions.
      const entry: EventHandler = (event) => handler(event);
      current.add(entry);
      return () => {
        current.delete(entry);
        // The channel is released with the topic's last local subscription, and only then (a second call,
        // or a call after the topic was released and taken again by a new set, finds nothing to do).
        if (current.size === 0 && handlers.get(topic) === current) {
          handlers.delete(topic);
          sendSubscription('unsubscribe', [channelOf(topic)]);
        }
      };
    },

    async sync() {
      if (closed) throw new Error('event bus is closed');
      await subscriberConnected;
      if (subscriber.status !== 'ready') {
        throw unavailable('sync', new Error(`subscriber connection is ${subscriber.status}`));
      }
      // Ready, but the `ready` handler (emitted on the next tick) has not re-subscribed yet: wait for it,
      // so the PING below is queued behind those SUBSCRIBEs.
      if (!resubscribed) await nextEvent(subscriber, ['ready', 'close']);
      try {
        // Replies come back in order, so PING's answer follows every earlier SUBSCRIBE's confirmation and
        // every message Redis queued for this connection before it.
        await subscriber.ping();
      } catch (error) {
        throw toZekkaError('sync', error);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await Promise.all([closeClient(publisher), closeClient(subscriber)]);
    },
  };
}

/** Resolves on the first of `events` emitted by `emitter`. */
function nextEvent(emitter: EventEmitter, events: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of events) emitter.off(event, done);
      resolve();
    };
    for (const event of events) emitter.once(event, done);
  });
}

/** The envelope in `raw`, or `null` when it is not one (another writer on the channel, a bad payload). */
function parseEnvelope(raw: string): Envelope | null {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { from, event } = value as Partial<Envelope>;
    if (typeof from !== 'string' || typeof event !== 'object' || event === null) return null;
    if (typeof event.event !== 'string' || !Array.isArray(event.topics)) return null;
    return { from, event };
  } catch {
    return null;
  }
}
