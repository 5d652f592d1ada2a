/**
 * @module service-types
 * The public surface of the services `createZekka` returns. Every method takes the calling `Actor` first
 * (except the unauthenticated auth flows) and throws `ZekkaError`.
 */
import type { Actor, UserActor } from './actor.ts';
import type { ProjectRole } from './ports/records.ts';
import type {
  AccountExport,
  AddMemberInput,
  AdminUserPatchInput,
  ApiKey,
  AuthResult,
  ChangePasswordInput,
  ClientInfo,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateProjectInput,
  CreateUserInput,
  LoginInput,
  Member,
  Paged,
  Project,
  ProjectListInput,
  ProjectStats,
  RegisterInput,
  RegisterResult,
  Session,
  StatsPeriod,
  TokenPair,
  UpdateMeInput,
  UpdateProjectInput,
  User,
  UserListInput,
} from './types.ts';

export interface AuthService {
  /** Contract row 1. */
  register(input: RegisterInput, client?: ClientInfo): Promise<RegisterResult>;
  /** Row 2. Unknown e-mail and wrong password both fail with `INVALID_CREDENTIALS`. */
  login(input: LoginInput, client?: ClientInfo): Promise<AuthResult>;
  /** Row 3. Rotates the refresh token; reuse of a rotated one revokes the session. */
  refresh(refreshToken: string, client?: ClientInfo): Promise<TokenPair>;
  /** Row 4. Revokes the actor's session (or the refresh token's session, when given and it is theirs). */
  logout(actor: UserActor, refreshToken?: string): Promise<void>;
  /**
   * Turns a bearer credential (access JWT or `zk_` API key) into an actor. Throws `AUTH_REQUIRED`,
   * `TOKEN_INVALID` or `TOKEN_EXPIRED`. Revoked sessions, revoked or expired keys and disabled accounts
   * are refused.
   */
  authenticate(bearer: string): Promise<UserActor>;
  /** An actor for a user the embedding host has authenticated itself. */
  actorForUser(userId: string): Promise<UserActor>;
  me(actor: UserActor): Promise<User>;
  updateMe(actor: UserActor, input: UpdateMeInput): Promise<User>;
  deleteMe(actor: UserActor, password: string): Promise<void>;
  exportMe(actor: UserActor): Promise<AccountExport>;
  changePassword(actor: UserActor, input: ChangePasswordInput): Promise<void>;
  /** Sends (again) the verification link to the actor's address. */
  requestEmailVerification(actor: UserActor): Promise<void>;
  verifyEmail(token: string): Promise<User>;
  /** Always resolves, whether or not the address exists. */
  forgotPassword(email: string): Promise<void>;
  resetPassword(token: string, newPassword: string): Promise<void>;
  listSessions(actor: UserActor): Promise<Session[]>;
  revokeSession(actor: UserActor, sessionId: string): Promise<void>;
  listApiKeys(actor: UserActor): Promise<ApiKey[]>;
  createApiKey(actor: UserActor, input: CreateApiKeyInput): Promise<CreatedApiKey>;
  revokeApiKey(actor: UserActor, keyId: string): Promise<void>;
}

export interface UsersService {
  /** Row 18; admins only. */
  list(actor: Actor, query: UserListInput): Promise<Paged<User>>;
  /** Row 19; admins only. Disabling revokes the user's sessions. */
  update(actor: Actor, userId: string, patch: AdminUserPatchInput): Promise<User>;
  /** Creates a user directly (CLI, admin tooling); the password policy applies. */
  create(actor: Actor, input: CreateUserInput): Promise<User>;
}

export interface ProjectsService {
  list(actor: UserActor, query: ProjectListInput): Promise<Paged<Project>>;
  create(actor: UserActor, input: CreateProjectInput): Promise<Project>;
  get(actor: Actor, projectId: string): Promise<Project>;
  update(actor: Actor, projectId: string, input: UpdateProjectInput): Promise<Project>;
  delete(actor: Actor, projectId: string): Promise<void>;
  archive(actor: Actor, projectId: string): Promise<Project>;
  unarchive(actor: Actor, projectId: string): Promise<Project>;
  stats(actor: Actor, projectId: string, period?: StatsPeriod): Promise<ProjectStats>;
  listMembers(actor: Actor, projectId: string): Promise<Member[]>;
  addMember(actor: Actor, projectId: string, input: AddMemberInput): Promise<Member>;
  changeMemberRole(actor: Actor, projectId: string, userId: string, role: ProjectRole): Promise<Member>;
  removeMember(actor: Actor, projectId: string, userId: string): Promise<void>;
}
