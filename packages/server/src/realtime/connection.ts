/**
 * @module realtime/connection
 * One `/ws` socket: its authentication, its subscriptions and the access decision behind each, and what
 * it is sent. Frames from the client are handled one at a time, in order.
 *
 * Access is checked on subscribe and again for every event delivered. A store query per event per socket
 * would not scale (a streamed answer is many deltas to many sockets), so each subscription keeps its
 * decision for `accessTtlMs`; events that change access end it at once: the user's removal from a project
 * (heard on their own `user:` topic, which every socket watches), a project's or a conversation's
 * deletion (heard on the project topic, watched for every conversation subscription).
 */
import { isZekkaError, type Logger, topics, type UserActor, type Zekka, type ZekkaEvent } from '@zekka/core';
import type { ServerMetrics } from '../telemetry/metrics.ts';
import { type ClientFrame, type ErrorFrame, errorFrame, type ServerFrame } from './frames.ts';
import { CLOSE, type ResolvedRealtimeOptions } from './options.ts';
import { authorizeTopic, authorizeTyping, parseTopic, type Topic } from './topic-access.ts';
import { eventFrameText, type TopicHub, type TopicListener } from './topic-hub.ts';

/** The part of Bun's `ServerWebSocket` a connection uses. */
export interface RawSocket {
  send(data: string): number;
  close(code?: number, reason?: string): void;
  terminate(): void;
  getBufferedAmount(): number;
}

/** The sockets of this instance, by user, for the per-user limit and for shutdown. */
export interface ConnectionRegistry {
  /** False when the user already has `maxSocketsPerUser` sockets here. */
  admit(connection: Connection): boolean;
  remove(connection: Connection): void;
}

export interface ConnectionDeps {
  zekka: Zekka;
  hub: TopicHub;
  registry: ConnectionRegistry;
  options: ResolvedRealtimeOptions;
  logger: Logger;
  metrics?: ServerMetrics;
  /**
   * Events sent, counted here and added to `metrics.wsEventsDelivered` in batches: a delta fanned out to
   * 5,000 sockets would otherwise cost 5,000 counter updates.
   */
  delivered: { count: number };
}

interface Subscription {
  topic: Topic;
  /** The `id` of the `subscribe` frame, echoed by the `error` frame that ends the subscription. */
  id: string | undefined;
  /** The project whose membership decides access; null for `user:`. */
  projectId: string | null;
  /** When access was last confirmed (`performance.now()`); `Infinity` for the user's own topic. */
  checkedAt: number;
  /** Events waiting for an access re-check in flight; null when none is. */
  pending: string[] | null;
}

/** Events that may wait for one access re-check; past it the client is not keeping up anyway. */
const MAX_PENDING = 1_000;
/** How long a socket closed for reading too slowly gets to take its close frame before it is cut. */
const SLOW_CLOSE_GRACE_MS = 5_000;

export class Connection implements TopicListener {
  readonly id = Bun.randomUUIDv7();
  private actor: UserActor | null = null;
  private token = '';
  private closed = false;
  private readonly subscriptions = new Map<string, Subscription>();
  /** Topics this socket listens on in the hub, with how many reasons it has to (explicit or internal). */
  private readonly watches = new Map<string, number>();
  private inbox: Promise<void> = Promise.resolve();
  private lastTypingAt = Number.NEGATIVE_INFINITY;
  private authTimer: Timer | undefined;
  private credentialTimer: Timer | undefined;
  private credentialCheck: Promise<void> | undefined;

  constructor(
    private readonly socket: RawSocket,
    private readonly deps: ConnectionDeps,
  ) {}

  get userId(): string | undefined {
    return this.actor?.userId;
  }

  /** The socket opened; `token` is the upgrade's `?token=`, if any. */
  open(token: string | undefined): void {
    this.deps.metrics?.wsConnections.inc();
    if (token !== undefined && token !== '') {
      this.inbox = this.authenticate(token);
      return;
    }
    this.authTimer = setTimeout(
      () => this.close(CLOSE.unauthorized, 'AUTH_REQUIRED: send an auth frame first'),
      this.deps.options.authTimeoutMs,
    );
  }

  /** A frame arrived, already parsed; `invalid` is its `error` frame when it is not a valid frame. */
  receive(frame: ClientFrame | ErrorFrame): void {
    if (this.closed) return;
    this.inbox = this.inbox.then(() =>
      frame.type === 'error' ? this.rejectFrame(frame) : this.handle(frame),
    );
  }

  /** Bun reported the socket closed (by either side). */
  disposed(): void {
    if (!this.closed) this.release();
    this.closed = true;
    this.deps.metrics?.wsConnections.dec();
  }

  /** Closes the socket with `code`; nothing more is sent. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.release();
    this.closed = true;
    this.socket.close(code, reason);
  }

  private rejectFrame(error: ErrorFrame): void {
    // Before authentication only an `auth` frame is expected (contract: "else close 4401").
    if (this.actor === null) this.close(CLOSE.unauthorized, 'AUTH_REQUIRED: the first frame must be auth');
    else this.send(error);
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (this.closed) return;
    if (frame.type === 'auth') return this.authenticate(frame.token);
    if (this.actor === null)
      return this.close(CLOSE.unauthorized, 'AUTH_REQUIRED: the first frame must be auth');
    const id = 'id' in frame ? frame.id : undefined;
    try {
      switch (frame.type) {
        case 'subscribe':
          return await this.subscribe(this.actor, frame.topic, id);
        case 'unsubscribe':
          return this.unsubscribe(frame.topic, id);
        case 'ping':
          return this.send(id === undefined ? { type: 'pong' } : { type: 'pong', id });
        case 'typing':
          return await this.typing(this.actor, frame.conversationId);
      }
    } catch (error) {
      this.send(this.failure(error, id));
    }
  }

  private failure(error: unknown, id: string | undefined): ErrorFrame {
    if (isZekkaError(error)) return errorFrame(error.code, error.message, id);
    this.deps.logger.error('realtime frame failed', { connectionId: this.id, error });
    return errorFrame('INTERNAL', 'Something went wrong on our side; try again later', id);
  }

  /** First authentication, or a fresh token for the same user on an open socket (answered by `ready`). */
  private async authenticate(token: string): Promise<void> {
    let actor: UserActor;
    try {
      actor = await this.deps.zekka.auth.authenticate(token);
    } catch (error) {
      return this.close(CLOSE.unauthorized, isZekkaError(error) ? error.code : 'TOKEN_INVALID');
    }
    if (this.closed) return;
    if (this.actor !== null) {
      if (actor.userId !== this.actor.userId)
        return this.close(CLOSE.unauthorized, 'TOKEN_INVALID: another user');
      this.actor = actor;
      this.token = token;
      return this.send({ type: 'ready', connectionId: this.id, userId: actor.userId });
    }
    clearTimeout(this.authTimer);
    this.actor = actor;
    this.token = token;
    if (!this.deps.registry.admit(this)) {
      return this.close(
        CLOSE.tooManySockets,
        `RATE_LIMITED: at most ${this.deps.options.maxSocketsPerUser} sockets`,
      );
    }
    this.watch(topics.user(actor.userId));
    this.credentialTimer = setInterval(() => this.checkCredential(), this.deps.options.credentialCheckMs);
    this.send({ type: 'ready', connectionId: this.id, userId: actor.userId });
  }

  /** Authenticates the socket's credential again; a refused one (disabled, revoked, expired) closes it. */
  private checkCredential(): Promise<void> {
    this.credentialCheck ??= this.deps.zekka.auth
      .authenticate(this.token)
      .then(
        (actor) => {
          if (!this.closed) this.actor = actor;
        },
        (error: unknown) => {
          // A store outage is not the user's fault: keep the socket and try again on the next round.
          if (!isZekkaError(error)) {
            this.deps.logger.warn('realtime credential check failed', { connectionId: this.id, error });
            return;
          }
          this.close(CLOSE.unauthorized, error.code);
        },
      )
      .finally(() => {
        this.credentialCheck = undefined;
      });
    return this.credentialCheck;
  }

  private async subscribe(actor: UserActor, name: string, id: string | undefined): Promise<void> {
    const topic = parseTopic(name);
    if (topic === null) {
      return this.send(
        errorFrame(
          'VALIDATION_FAILED',
          'Topics are user:<id>, project:<id>, conversation:<id> or agent:<id>',
          id,
        ),
      );
    }
    if (!this.subscriptions.has(name)) {
      const { maxSubscriptions } = this.deps.options;
      if (this.subscriptions.size >= maxSubscriptions) {
        return this.send(
          errorFrame('RATE_LIMITED', `At most ${maxSubscriptions} subscriptions per socket`, id),
        );
      }
      const grant = await authorizeTopic(this.deps.zekka, actor, topic);
      if (this.closed || this.subscriptions.has(name)) return;
      const checkedAt = topic.kind === 'user' ? Number.POSITIVE_INFINITY : performance.now();
      this.subscriptions.set(name, { topic, id, projectId: grant.projectId, checkedAt, pending: null });
      this.watch(name);
      // A conversation's deletion, and its project's, are announced on the project topic only.
      if (topic.kind === 'conversation' && grant.projectId !== null)
        this.watch(topics.project(grant.projectId));
    }
    if (id !== undefined) this.send({ type: 'ack', id });
  }

  private unsubscribe(name: string, id: string | undefined): void {
    const subscription = this.subscriptions.get(name);
    if (subscription) this.end(subscription, false);
    if (id !== undefined) this.send({ type: 'ack', id });
  }

  private async typing(actor: UserActor, conversationId: string): Promise<void> {
    const now = performance.now();
    // Typing indicators are best-effort: the extra ones inside the interval are dropped, not refused.
    if (now - this.lastTypingAt < this.deps.options.typingIntervalMs) return;
    this.lastTypingAt = now;
    await authorizeTyping(this.deps.zekka, actor, conversationId);
    await this.deps.zekka.events.publish({
      event: 'typing',
      topics: [topics.conversation(conversationId)],
      data: { conversationId, userId: actor.userId },
      ts: Date.now(),
    });
  }

  onEvent(topic: string, event: ZekkaEvent, frame: () => string): void {
    const userId = this.actor?.userId;
    if (this.closed || userId === undefined) return;
    switch (event.event) {
      case 'project:member_removed':
        if (event.data.userId !== userId) break;
        this.announceAndEnd(event, topics.project(event.data.projectId), topic, frame);
        if (topic === topics.user(userId)) this.deliverTrusted(topic, frame);
        void this.checkCredential();
        return;
      case 'project:deleted':
        this.announceAndEnd(event, topic, topic, frame);
        return;
      case 'conversation:deleted': {
        this.deliver(topic, frame);
        const subscription = this.subscriptions.get(topics.conversation(event.data.conversationId));
        if (subscription) this.end(subscription, true);
        return;
      }
      case 'project:member_added':
        if (event.data.userId === userId && topic === topics.user(userId)) void this.checkCredential();
        break;
      case 'typing':
        if (event.data.userId === userId) return;
        break;
    }
    this.deliver(topic, frame);
  }

  /**
   * The user lost `projectTopic`'s project (removed, or it was deleted): the event that says so is its
   * last delivery there, then every subscription that hung on the project ends.
   */
  private announceAndEnd(
    event: ZekkaEvent,
    projectTopic: string,
    arrivedOn: string,
    frame: () => string,
  ): void {
    const projectId = projectTopic.slice('project:'.length);
    const announced = this.subscriptions.get(projectTopic);
    if (announced)
      this.deliverTrusted(
        projectTopic,
        arrivedOn === projectTopic ? frame : () => eventFrameText(projectTopic, event),
      );
    for (const subscription of [...this.subscriptions.values()]) {
      if (subscription.projectId === projectId) this.end(subscription, subscription !== announced);
    }
  }

  /** Sends on `topic`, if subscribed, without an access check: for the events that end access. */
  private deliverTrusted(topic: string, frame: () => string): void {
    if (this.subscriptions.has(topic)) this.sendEvent(frame());
  }

  private deliver(topic: string, frame: () => string): void {
    const subscription = this.subscriptions.get(topic);
    if (!subscription) return;
    if (subscription.pending !== null) {
      subscription.pending.push(frame());
      if (subscription.pending.length > MAX_PENDING) this.dropSlowConsumer();
      return;
    }
    if (performance.now() - subscription.checkedAt <= this.deps.options.accessTtlMs) {
      this.sendEvent(frame());
      return;
    }
    subscription.pending = [frame()];
    void this.recheck(subscription);
  }

  private async recheck(subscription: Subscription): Promise<void> {
    const actor = this.actor;
    if (actor === null) return;
    try {
      await authorizeTopic(this.deps.zekka, actor, subscription.topic);
    } catch (error) {
      if (this.subscriptions.get(subscription.topic.name) !== subscription) return;
      if (!isZekkaError(error)) this.deps.logger.warn('realtime access check failed', { error });
      return this.end(subscription, true, isZekkaError(error) ? undefined : 'UNAVAILABLE');
    }
    if (this.closed || this.subscriptions.get(subscription.topic.name) !== subscription) return;
    subscription.checkedAt = performance.now();
    const pending = subscription.pending ?? [];
    subscription.pending = null;
    for (const text of pending) this.sendEvent(text);
  }

  /** Ends a subscription; `notify` sends the `error` frame that tells the client it ended. */
  private end(
    subscription: Subscription,
    notify: boolean,
    code: 'NOT_FOUND' | 'UNAVAILABLE' = 'NOT_FOUND',
  ): void {
    const { topic } = subscription;
    this.subscriptions.delete(topic.name);
    subscription.pending = null;
    this.unwatch(topic.name);
    if (topic.kind === 'conversation' && subscription.projectId !== null)
      this.unwatch(topics.project(subscription.projectId));
    if (notify) {
      const reason = code === 'NOT_FOUND' ? 'it is no longer readable' : 'access could not be checked';
      this.send(errorFrame(code, `Subscription to ${topic.name} ended: ${reason}`, subscription.id));
    }
  }

  private watch(topic: string): void {
    const count = this.watches.get(topic) ?? 0;
    this.watches.set(topic, count + 1);
    if (count === 0) this.deps.hub.add(topic, this);
  }

  private unwatch(topic: string): void {
    const count = this.watches.get(topic) ?? 0;
    if (count > 1) return void this.watches.set(topic, count - 1);
    this.watches.delete(topic);
    this.deps.hub.remove(topic, this);
  }

  private sendEvent(text: string): void {
    if (this.sendText(text)) this.deps.delivered.count++;
  }

  private send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /** Sends unless the client is too far behind, in which case it is dropped; true when sent. */
  private sendText(text: string): boolean {
    if (this.closed) return false;
    if (this.socket.getBufferedAmount() > this.deps.options.maxBufferedBytes) {
      this.dropSlowConsumer();
      return false;
    }
    // 0: Bun dropped the frame (its own backpressure limit); -1 is queued, which the check above bounds.
    if (this.socket.send(text) === 0) {
      this.dropSlowConsumer();
      return false;
    }
    return true;
  }

  private dropSlowConsumer(): void {
    if (this.closed) return;
    this.close(CLOSE.slowConsumer, 'Too slow: events arrived faster than they were read; reconnect');
    // The close frame waits behind what is buffered; a client that does not read it loses the socket.
    setTimeout(() => this.socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  }

  /** Leaves every topic and stops the timers; the socket itself is closed by the caller (or already). */
  private release(): void {
    clearTimeout(this.authTimer);
    clearInterval(this.credentialTimer);
    for (const topic of this.watches.keys()) this.deps.hub.remove(topic, this);
    this.watches.clear();
    this.subscriptions.clear();
    if (this.actor !== null) this.deps.registry.remove(this);
  }
}
