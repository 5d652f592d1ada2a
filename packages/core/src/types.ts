/**
 * @module types
 * The static types of the API shapes, inferred from the TypeBox schemas (one source for both).
 */
import type { Static } from '@sinclair/typebox';
import type * as S from './schemas/index.ts';

export type User = Static<typeof S.User>;
export type Session = Static<typeof S.Session>;
export type ApiKey = Static<typeof S.ApiKey>;
export type CreatedApiKey = Static<typeof S.CreatedApiKey>;
export type AuthResult = Static<typeof S.AuthResult>;
export type RegisterResult = Static<typeof S.RegisterResult>;
export type TokenPair = Static<typeof S.TokenPair>;
export type Project = Static<typeof S.Project>;
export type ProjectStats = Static<typeof S.ProjectStats>;
export type Member = Static<typeof S.Member>;
export type Conversation = Static<typeof S.Conversation>;
export type Message = Static<typeof S.Message>;
export type MessageUsage = Static<typeof S.MessageUsage>;
export type SendMessageResult = Static<typeof S.SendMessageResult>;
export type MessageSearchHit = Static<typeof S.MessageSearchHit>;
export type Budget = Static<typeof S.Budget>;
export type ModelListItem = Static<typeof S.ModelInfo>;
export type CreateConversationInput = Static<typeof S.CreateConversationBody>;
export type UpdateConversationInput = Static<typeof S.UpdateConversationBody>;
export type ConversationListInput = Static<typeof S.ConversationListQuery>;
export type MessageListInput = Static<typeof S.MessageListQuery>;
export type SendMessageInput = Static<typeof S.SendMessageBody>;
export type MessageSearchInput = Static<typeof S.MessageSearchQuery>;
export type PutBudgetInput = Static<typeof S.PutBudgetBody>;

export type RegisterInput = Static<typeof S.RegisterBody>;
export type LoginInput = Static<typeof S.LoginBody>;
export type UpdateMeInput = Static<typeof S.UpdateMeBody>;
export type ChangePasswordInput = Static<typeof S.ChangePasswordBody>;
export type CreateApiKeyInput = Static<typeof S.CreateApiKeyBody>;
export type CreateProjectInput = Static<typeof S.CreateProjectBody>;
export type UpdateProjectInput = Static<typeof S.UpdateProjectBody>;
export type ProjectListInput = Static<typeof S.ProjectListQuery>;
export type AddMemberInput = Static<typeof S.AddMemberBody>;
export type UserListInput = Static<typeof S.UserListQuery>;
export type AdminUserPatchInput = Static<typeof S.AdminUserPatch>;
export type CreateUserInput = Static<typeof S.CreateUserInput>;
export type StatsPeriod = NonNullable<Static<typeof S.StatsQuery>['period']>;

/** A page of results with what the envelope's `pagination` needs. */
export interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Where a request came from; stored on sessions. */
export interface ClientInfo {
  ip?: string | null;
  userAgent?: string | null;
}

/** Everything stored about one account (`GET /auth/me/export`). */
export type AccountExport = Static<typeof S.AccountExport>;
