/**
 * @module @zekka/core
 * The Zekka domain: `createZekka`, the services' types, the ports adapters implement, errors and events.
 * Schemas live at `@zekka/core/schemas`.
 */
export {
  type Actor,
  isAdmin,
  type SystemActor,
  systemActor,
  type UserActor,
  type UserRole,
} from './actor.ts';
export { normalizeEmail } from './auth/email.ts';
export { assertPasswordPolicy, passwordProblems } from './auth/password-policy.ts';
export type { AuthConfig, ZekkaConfig } from './config.ts';
export type { StartedAnswer } from './conversations/generation-streams.ts';
export type { MessagesService, StartedGeneration } from './conversations/messages-service.ts';
export { createZekka, type Zekka, type ZekkaOptions } from './create-zekka.ts';
export {
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  type ErrorDetail,
  isZekkaError,
  ZekkaError,
  type ZekkaErrorOptions,
} from './errors.ts';
export {
  type EventMap,
  type EventName,
  INTERNAL_EVENT_NAMES,
  isPublicEvent,
  PUBLIC_EVENT_NAMES,
  topics,
  type ZekkaEvent,
} from './events.ts';
export type * from './ports/index.ts';
export type * from './service-types.ts';
export { createConsoleLogger, type LogLevel, silentLogger } from './support/console-logger.ts';
export { defaultIds, randomToken, uuidv7 } from './support/ids.ts';
export { createLogMailer } from './support/log-mailer.ts';
export { createMemoryStreamBuffer, type MemoryStreamBufferOptions } from './support/memory-stream-buffer.ts';
export { systemClock } from './support/time.ts';
export type * from './types.ts';
export {
  costMicroUsd,
  findPrice,
  type NanoPrice,
  type PricedUsage,
  priceUsage,
  toNanoPrice,
} from './usage/cost.ts';
export { DEFAULT_PRICE_TABLE, type ModelPrice, type PriceTable } from './usage/prices.ts';
export { type TokenUsage, ZERO_USAGE } from './usage/token-usage.ts';
