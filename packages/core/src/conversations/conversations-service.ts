/**
 * @module conversations-service
 * Conversations (contract rows 34–38): members of the project read them; editors create, change and
 * delete them.
 */
import type { Actor } from '../actor.ts';
import { type ConversationDeps, publishSafely } from '../deps.ts';
import { notFound, ZekkaError } from '../errors.ts';
import { topics } from '../events.ts';
import type { ConversationPatch } from '../ports/conversation-store.ts';
import { projectFor } from '../projects/access.ts';
import {
  ConversationListQuery,
  CreateConversationBody,
  UpdateConversationBody,
} from '../schemas/conversations.ts';
import { parseInput } from '../support/validate.ts';
import type {
  Conversation,
  ConversationListInput,
  CreateConversationInput,
  Paged,
  UpdateConversationInput,
} from '../types.ts';
import { conversationFor } from './access.ts';
import type { Generations } from './generations.ts';
import { toConversation } from './views.ts';

export interface ConversationsService {
  list(actor: Actor, query: ConversationListInput): Promise<Paged<Conversation>>;
  create(actor: Actor, input: CreateConversationInput): Promise<Conversation>;
  get(actor: Actor, conversationId: string): Promise<Conversation>;
  update(actor: Actor, conversationId: string, input: UpdateConversationInput): Promise<Conversation>;
  delete(actor: Actor, conversationId: string): Promise<void>;
}

export function createConversationsService(
  deps: ConversationDeps,
  generations: Generations,
): ConversationsService {
  const { store, clock, ids, models } = deps;

  function checkModel(model: string | null | undefined): void {
    if (model != null && models.resolve(model) === null) {
      throw new ZekkaError('VALIDATION_FAILED', 'Unknown model', {
        details: [{ path: '/model', message: 'Must be a model id from GET /models' }],
      });
    }
  }

  function checkAgent(agentId: string | null | undefined): void {
    // Agents arrive with their own issue; until then no agent id can exist.
    if (agentId != null) throw notFound('Agent');
  }

  const announce = (event: 'conversation:created' | 'conversation:deleted', projectId: string, id: string) =>
    publishSafely(deps, {
      event,
      topics: [topics.project(projectId)],
      data: { projectId, conversationId: id },
      ts: clock.now(),
    });

  return {
    async list(actor, query) {
      const q = parseInput(ConversationListQuery, query);
      const limit = q.limit ?? 20;
      const offset = q.offset ?? 0;
      if (actor.kind === 'system') throw new ZekkaError('FORBIDDEN', 'Listing conversations needs a user');
      const search = q.search?.trim();
      const page = await store.conversations.listForMember(actor.userId, {
        limit,
        offset,
        ...(q.projectId ? { projectId: q.projectId } : {}),
        ...(search ? { search } : {}),
      });
      return { items: page.items.map(toConversation), total: page.total, limit, offset };
    },

    async create(actor, input) {
      const body = parseInput(CreateConversationBody, input);
      const project = await projectFor(store, actor, body.projectId, 'editor');
      checkModel(body.model);
      checkAgent(body.agentId);
      if (project.status === 'archived') {
        throw new ZekkaError('CONFLICT', 'The project is archived; unarchive it to add conversations');
      }
      const now = clock.now();
      const record = await store.conversations.create({
        id: ids.uuid(),
        projectId: project.id,
        title: body.title?.trim() || null,
        model: body.model ?? null,
        agentId: body.agentId ?? null,
        systemPrompt: body.systemPrompt ?? null,
        archived: false,
        createdBy: actor.kind === 'user' ? actor.userId : project.ownerId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await announce('conversation:created', project.id, record.id);
      return toConversation({ ...record, role: project.role, messageCount: 0, lastMessageAt: null });
    },

    async get(actor, conversationId) {
      return toConversation(await conversationFor(store, actor, conversationId));
    },

    async update(actor, conversationId, input) {
      const body = parseInput(UpdateConversationBody, input);
      const current = await conversationFor(store, actor, conversationId, 'editor');
      checkModel(body.model);
      checkAgent(body.agentId);
      const patch: ConversationPatch = { updatedAt: clock.now() };
      if (body.title !== undefined) patch.title = body.title?.trim() || null;
      if (body.model !== undefined) patch.model = body.model;
      if (body.agentId !== undefined) patch.agentId = body.agentId;
      if (body.systemPrompt !== undefined) patch.systemPrompt = body.systemPrompt;
      if (body.archived !== undefined) patch.archived = body.archived;
      const fields = Object.keys(patch).filter((key) => key !== 'updatedAt');
      if (fields.length === 0) return toConversation(current);
      const updated = await store.conversations.update(conversationId, patch);
      if (!updated) throw notFound('Conversation');
      await publishSafely(deps, {
        event: 'conversation:updated',
        topics: [topics.project(current.projectId)],
        data: { projectId: current.projectId, conversationId, fields },
        ts: clock.now(),
      });
      return toConversation({ ...current, ...updated });
    },

    async delete(actor, conversationId) {
      const current = await conversationFor(store, actor, conversationId, 'editor');
      await generations.stop(conversationId);
      if (!(await store.conversations.softDelete(conversationId, clock.now())))
        throw notFound('Conversation');
      await announce('conversation:deleted', current.projectId, conversationId);
    },
  };
}
