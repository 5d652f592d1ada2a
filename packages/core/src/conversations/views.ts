/**
 * @module conversations/views
 * Conversation and message records → API shapes.
 */
import type { ConversationView, MessageRecord } from '../ports/records.ts';
import { iso, isoOrNull } from '../support/time.ts';
import type { Conversation, Message } from '../types.ts';
import { microToUsd } from '../views.ts';

export function toConversation(c: ConversationView): Conversation {
  return {
    id: c.id,
    projectId: c.projectId,
    title: c.title,
    model: c.model,
    agentId: c.agentId,
    systemPrompt: c.systemPrompt,
    archived: c.archived,
    createdBy: c.createdBy,
    role: c.role,
    messageCount: c.messageCount,
    lastMessageAt: isoOrNull(c.lastMessageAt),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export function toMessage(m: MessageRecord): Message {
  const message: Message = {
    id: m.id,
    conversationId: m.conversationId,
    role: m.role,
    content: m.content,
    status: m.status,
    model: m.model,
    authorId: m.authorId,
    attachments: m.attachments,
    createdAt: iso(m.createdAt),
  };
  if (m.inputTokens !== null && m.outputTokens !== null) {
    message.usage = {
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      costUsd: m.costMicroUsd === null ? null : microToUsd(m.costMicroUsd),
    };
  }
  return message;
}
