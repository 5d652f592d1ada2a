export type * from './cache.ts';
export type * from './conversation-store.ts';
export type * from './event-bus.ts';
export type * from './models.ts';
export type * from './records.ts';
export type * from './services.ts';
export type * from './store.ts';
export type * from './telemetry.ts';
