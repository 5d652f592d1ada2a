/**
 * @module realtime/ws-route
 * `GET /ws`, the realtime WebSocket (contract, "WebSocket — /ws"): sockets authenticate, subscribe to
 * topics and receive the events of those they may read. This module wires Elysia's `.ws()` to one
 * `Connection` per socket and keeps the instance-wide parts: the topic hub, the per-user socket count,
 * and shutdown (every socket closed `1012` with a reconnect hint before the listener stops).
 */
import { Type } from '@sinclair/typebox';
import type { Logger, Zekka } from '@zekka/core';
import { Elysia } from 'elysia';
import type { Readiness } from '../readiness.ts';
import type { ServerMetrics } from '../telemetry/metrics.ts';
import { Connection, type ConnectionRegistry, type RawSocket } from './connection.ts';
import { clientFrameSchema, frameSize, parseClientFrame, serverFrameSchema } from './frames.ts';
import { CLOSE, type RealtimeOptions, resolveRealtimeOptions } from './options.ts';
import { TopicHub } from './topic-hub.ts';

export interface RealtimeRouteDeps {
  zekka: Zekka;
  logger: Logger;
  /** Counts open sockets (`zekka_ws_connections`) and delivered events (`zekka_ws_events_delivered_total`). */
  metrics?: ServerMetrics;
  /** Its shutdown closes every socket `1012` (a graceful listener stop would otherwise wait for them). */
  readiness?: Readiness;
  options?: RealtimeOptions;
}

/** The reason sent with `1012`: the client should reconnect, to this instance or any other. */
export const RESTART_REASON = 'Service restart: reconnect (any instance will do)';

/**
 * The Bun WebSocket settings the options imply, for the server that listens (`new Elysia({ websocket })`):
 * Bun applies them server-wide, so they cannot be set by the route.
 */
export function realtimeSocketConfig(options: RealtimeOptions = {}) {
  const resolved = resolveRealtimeOptions(options);
  return {
    idleTimeout: resolved.idleTimeoutSeconds,
    sendPings: true,
    // Frames up to 4× the limit are read and answered with an error frame; larger ones Bun refuses (1009).
    maxPayloadLength: resolved.maxFrameBytes * 4,
  };
}

export function realtimeRoutes(deps: RealtimeRouteDeps) {
  const options = resolveRealtimeOptions(deps.options);
  const hub = new TopicHub(deps.zekka.events, deps.logger);
  const sockets = new Map<string, Connection>();
  const registry = createConnectionRegistry(options.maxSocketsPerUser);
  let stopping = deps.readiness?.shuttingDown ?? false;
  const delivered = { count: 0 };
  const flushDelivered = () => {
    if (delivered.count > 0) deps.metrics?.wsEventsDelivered.inc(delivered.count);
    delivered.count = 0;
  };
  deps.metrics?.wsDeliveryFlushers.add(flushDelivered);
  const closeAll = () => {
    stopping = true;
    flushDelivered();
    for (const connection of sockets.values()) connection.close(CLOSE.restart, RESTART_REASON);
  };
  deps.readiness?.onShutdown(closeAll);
  const connectionDeps = {
    zekka: deps.zekka,
    hub,
    registry,
    options,
    logger: deps.logger,
    metrics: deps.metrics,
    delivered,
  };

  return new Elysia({ name: 'zekka/realtime' }).onStop(closeAll).ws('/ws', {
    query: Type.Object({
      token: Type.Optional(
        Type.String({ description: 'An access token or API key; or send an `auth` frame first instead.' }),
      ),
    }),
    body: clientFrameSchema,
    response: serverFrameSchema,
    detail: { hide: true },
    open(ws) {
      // Elysia types `raw` with an older `ServerWebSocket` that lacks `getBufferedAmount`; Bun's has it.
      const connection = new Connection(ws.raw as unknown as RawSocket, connectionDeps);
      sockets.set(ws.id, connection);
      if (stopping) return connection.close(CLOSE.restart, RESTART_REASON);
      connection.open(ws.data.query.token);
    },
    message(ws, message) {
      const connection = sockets.get(ws.id);
      if (!connection) return;
      const parsed = parseClientFrame(message, frameSize(message), options.maxFrameBytes);
      connection.receive(parsed.ok ? parsed.frame : parsed.error);
    },
    close(ws) {
      sockets.get(ws.id)?.disposed();
      sockets.delete(ws.id);
    },
  });
}

function createConnectionRegistry(maxSocketsPerUser: number): ConnectionRegistry {
  const byUser = new Map<string, Set<Connection>>();
  return {
    admit(connection) {
      const userId = connection.userId;
      if (userId === undefined) return false;
      let own = byUser.get(userId);
      if (!own) {
        own = new Set();
        byUser.set(userId, own);
      }
      if (own.size >= maxSocketsPerUser) return false;
      own.add(connection);
      return true;
    },
    remove(connection) {
      const userId = connection.userId;
      const own = userId === undefined ? undefined : byUser.get(userId);
      if (!own?.delete(connection) || own.size > 0 || userId === undefined) return;
      byUser.delete(userId);
    },
  };
}
