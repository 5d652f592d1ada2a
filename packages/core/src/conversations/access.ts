/**
 * @module conversations/access
 * A conversation is visible to the members of its (live) project; writing needs the editor role.
 */
import type { Actor } from '../actor.ts';
import type { ConversationStore } from '../deps.ts';
import { forbidden, notFound } from '../errors.ts';
import type { ConversationAccess, ProjectRole } from '../ports/records.ts';
import { roleAtLeast } from '../projects/access.ts';

export async function conversationFor(
  store: ConversationStore,
  actor: Actor,
  conversationId: string,
  minimum: ProjectRole = 'viewer',
): Promise<ConversationAccess> {
  const conversation = await store.conversations.findForMember(
    conversationId,
    actor.kind === 'system' ? null : actor.userId,
  );
  if (!conversation) throw notFound('Conversation');
  if (!roleAtLeast(conversation.role, minimum)) throw forbidden(`This action needs the ${minimum} role`);
  return conversation;
}
