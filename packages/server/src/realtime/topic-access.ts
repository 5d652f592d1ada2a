/**
 * @module realtime/topic-access
 * Who may read a topic. The rules are core's: a project is readable by whoever `projects.get` answers for,
 * a conversation by whoever `conversations.get` answers for; a `user:` topic only by that user; agents do
 * not exist yet. Anything not readable is `NOT_FOUND`, exactly as the REST API hides what a caller may not
 * see.
 */
import { isZekkaError, type UserActor, type Zekka, ZekkaError } from '@zekka/core';

export type TopicKind = 'user' | 'project' | 'conversation' | 'agent';

export interface Topic {
  kind: TopicKind;
  id: string;
  /** The topic as written, `<kind>:<id>`. */
  name: string;
}

const KINDS = new Set<string>(['user', 'project', 'conversation', 'agent']);

/** Parses `<kind>:<id>`; null when the kind is unknown or the id empty. */
export function parseTopic(name: string): Topic | null {
  const colon = name.indexOf(':');
  if (colon <= 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (!KINDS.has(kind) || id === '' || id.includes(':')) return null;
  return { kind: kind as TopicKind, id, name };
}

/** What a granted topic hangs on: the project whose membership decides it (null for `user:`). */
export interface TopicGrant {
  projectId: string | null;
}

const notFound = (topic: string) => new ZekkaError('NOT_FOUND', `Topic ${topic} not found`);

/**
 * Resolves when `actor` may read `topic`; throws `NOT_FOUND` when not (a store failure throws as is).
 */
export async function authorizeTopic(zekka: Zekka, actor: UserActor, topic: Topic): Promise<TopicGrant> {
  try {
    switch (topic.kind) {
      case 'user':
        if (topic.id !== actor.userId) throw notFound(topic.name);
        return { projectId: null };
      case 'project':
        await zekka.projects.get(actor, topic.id);
        return { projectId: topic.id };
      case 'conversation': {
        const conversation = await zekka.conversations.get(actor, topic.id);
        return { projectId: conversation.projectId };
      }
      case 'agent':
        // Agents arrive with their own issue; until then no agent topic is readable.
        throw notFound(topic.name);
    }
  } catch (error) {
    // A malformed id or a resource the caller may not act on reads as absent, as over REST.
    if (isZekkaError(error) && ['NOT_FOUND', 'FORBIDDEN', 'VALIDATION_FAILED'].includes(error.code)) {
      throw notFound(topic.name);
    }
    throw error;
  }
}

/** Whether `actor` may write in the conversation (editor or owner of its project): for `typing`. */
export async function authorizeTyping(zekka: Zekka, actor: UserActor, conversationId: string): Promise<void> {
  const name = `conversation:${conversationId}`;
  const grant = await authorizeTopic(zekka, actor, { kind: 'conversation', id: conversationId, name });
  const project = await zekka.projects.get(actor, grant.projectId ?? '');
  if (project.role === 'viewer') {
    throw new ZekkaError('FORBIDDEN', 'Viewers cannot write in this conversation');
  }
}
