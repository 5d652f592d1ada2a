/**
 * @module events
 * The typed event catalog. Each event names the topics it belongs to and carries ids and deltas, not whole
 * documents. Realtime delivery reads these from the `EventBus`.
 */
import type { ProjectRole } from './ports/records.ts';

export interface EventMap {
  'project:updated': { projectId: string; fields: string[] };
  'project:deleted': { projectId: string };
  'project:member_added': { projectId: string; userId: string; role: ProjectRole };
  'project:member_removed': { projectId: string; userId: string };
}

export type EventName = keyof EventMap;

export type ZekkaEvent = {
  [K in EventName]: {
    event: K;
    /** Topics such as `project:<id>` and `user:<id>`. */
    topics: string[];
    data: EventMap[K];
    /** Epoch milliseconds. */
    ts: number;
  };
}[EventName];

export const topics = {
  user: (id: string) => `user:${id}`,
  project: (id: string) => `project:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  agent: (id: string) => `agent:${id}`,
} as const;
