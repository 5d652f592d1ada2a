import { Type } from '@sinclair/typebox';
import { Id, Limit, Offset, Timestamp } from './common.ts';
import { ProjectRole } from './projects.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ConversationTitle = Type.String({ minLength: 1, maxLength: 200 });
export const SystemPrompt = Type.String({ maxLength: 32_000 });
export const ModelId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'A model id from `GET /models`',
});

export const Conversation = Type.Object({
  id: Id,
  projectId: Id,
  title: Nullable(Type.String()),
  model: Nullable(Type.String()),
  agentId: Nullable(Type.String()),
  systemPrompt: Nullable(Type.String()),
  archived: Type.Boolean(),
  createdBy: Id,
  role: ProjectRole,
  messageCount: Type.Integer(),
  lastMessageAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateConversationBody = Type.Object({
  projectId: Id,
  title: Type.Optional(Nullable(ConversationTitle)),
  model: Type.Optional(Nullable(ModelId)),
  agentId: Type.Optional(Nullable(Id)),
  systemPrompt: Type.Optional(Nullable(SystemPrompt)),
});

export const UpdateConversationBody = Type.Object({
  title: Type.Optional(Nullable(ConversationTitle)),
  model: Type.Optional(Nullable(ModelId)),
  agentId: Type.Optional(Nullable(Id)),
  systemPrompt: Type.Optional(Nullable(SystemPrompt)),
  archived: Type.Optional(Type.Boolean()),
});

export const ConversationListQuery = Type.Object({
  projectId: Type.Optional(Id),
  limit: Type.Optional(Limit()),
  offset: Type.Optional(Offset),
  search: Type.Optional(Type.String({ maxLength: 200 })),
});

export const ConversationParams = Type.Object({ conversationId: Id });

export const MessageUsage = Type.Object({
  inputTokens: Type.Integer(),
  outputTokens: Type.Integer(),
  costUsd: Nullable(
    Type.Number({ description: 'USD, at most 6 decimals; null when the model has no price' }),
  ),
});

export const MessageRoleSchema = Type.Union([
  Type.Literal('user'),
  Type.Literal('assistant'),
  Type.Literal('system'),
]);
export const MessageStatusSchema = Type.Union([
  Type.Literal('complete'),
  Type.Literal('streaming'),
  Type.Literal('stopped'),
  Type.Literal('failed'),
]);

export const Message = Type.Object({
  id: Id,
  conversationId: Id,
  role: MessageRoleSchema,
  content: Type.String(),
  status: MessageStatusSchema,
  model: Nullable(Type.String()),
  authorId: Nullable(Type.String()),
  attachments: Type.Array(Type.String()),
  usage: Type.Optional(MessageUsage),
  createdAt: Timestamp,
});

export const MessageListQuery = Type.Object({
  limit: Type.Optional(Limit(200, 50)),
  offset: Type.Optional(Offset),
  before: Type.Optional(Id),
  after: Type.Optional(Id),
});

export const MessageContent = Type.String({ minLength: 1, maxLength: 32_000 });

export const SendMessageBody = Type.Object({
  content: MessageContent,
  attachments: Type.Optional(Type.Array(Id, { maxItems: 20, description: 'Source ids' })),
  model: Type.Optional(ModelId),
});

export const SendMessageResult = Type.Object({
  userMessage: Message,
  assistantMessage: Message,
  usage: MessageUsage,
});

export const StopResult = Type.Object({
  stopped: Type.Boolean({ description: 'Whether a running generation was found and aborted' }),
});

export const MessageParams = Type.Object({ messageId: Id });

export const MessageSearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  projectId: Type.Optional(Id),
  limit: Type.Optional(Limit()),
  offset: Type.Optional(Offset),
});

export const MessageSearchHit = Type.Object({
  message: Message,
  conversationId: Id,
  projectId: Id,
  snippet: Type.String(),
});

export const Budget = Type.Object({
  dailyUsd: Nullable(Type.Number()),
  monthlyUsd: Nullable(Type.Number()),
  fallbackModel: Nullable(Type.String()),
  spentTodayUsd: Type.Number(),
  spentThisMonthUsd: Type.Number(),
});

const UsdLimit = Type.Number({
  minimum: 0,
  maximum: 1_000_000_000,
  description: 'USD; null clears the limit',
});

export const PutBudgetBody = Type.Object({
  dailyUsd: Type.Optional(Nullable(UsdLimit)),
  monthlyUsd: Type.Optional(Nullable(UsdLimit)),
  fallbackModel: Type.Optional(Nullable(ModelId)),
});

export const ModelPrices = Type.Object(
  {
    input: Type.Number(),
    output: Type.Number(),
    cacheRead: Type.Number(),
    cacheWrite: Type.Number(),
  },
  { description: 'USD per 1M tokens' },
);

export const ModelInfo = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  name: Type.String(),
  contextWindow: Type.Integer(),
  maxOutputTokens: Type.Integer(),
  prices: Nullable(ModelPrices),
  default: Type.Boolean(),
});

/** A conversation as the account export lists it. */
export const ExportedConversation = Type.Object({
  id: Id,
  projectId: Id,
  title: Nullable(Type.String()),
  model: Nullable(Type.String()),
  systemPrompt: Nullable(Type.String()),
  archived: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** One model call as the account export lists it. */
export const ExportedUsage = Type.Object({
  id: Id,
  projectId: Id,
  conversationId: Nullable(Type.String()),
  messageId: Nullable(Type.String()),
  provider: Type.String(),
  model: Type.String(),
  inputTokens: Type.Integer(),
  cacheReadTokens: Type.Integer(),
  cacheWriteTokens: Type.Integer(),
  outputTokens: Type.Integer(),
  reasoningTokens: Type.Integer(),
  costUsd: Nullable(Type.Number()),
  outcome: Type.Union([Type.Literal('complete'), Type.Literal('stopped'), Type.Literal('failed')]),
  createdAt: Timestamp,
});
