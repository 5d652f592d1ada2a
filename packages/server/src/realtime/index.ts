/**
 * @module realtime
 * The realtime WebSocket (`/ws`): the route, its options and its frame types.
 */
export type { ClientFrame, ErrorFrame, EventFrame, ServerFrame } from './frames.ts';
export { CLOSE, REALTIME_DEFAULTS, type RealtimeOptions } from './options.ts';
export { RESTART_REASON, type RealtimeRouteDeps, realtimeRoutes, realtimeSocketConfig } from './ws-route.ts';
