/**
 * @module projects-service
 * Projects and their members (contract rows 20–31). Authorization is decided here, not in routes.
 */
import type { UserActor } from '../actor.ts';
import { normalizeEmail } from '../auth/email.ts';
import { publishSafely, type ServiceDeps } from '../deps.ts';
import { notFound, ZekkaError } from '../errors.ts';
import { topics } from '../events.ts';
import type { ProjectPatch } from '../ports/store.ts';
import {
  AddMemberBody,
  ChangeMemberRoleBody,
  CreateProjectBody,
  ProjectListQuery,
  StatsQuery,
  UpdateProjectBody,
} from '../schemas/projects.ts';
import type { ProjectsService } from '../service-types.ts';
import { DAY_MS } from '../support/time.ts';
import { nonBlank, parseInput } from '../support/validate.ts';
import { microToUsd, toMember, toProject } from '../views.ts';
import { projectFor } from './access.ts';

/** How far back `stats` counts usage for each period (conversation and message counts are all-time). */
const PERIOD_MS = { day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS, year: 365 * DAY_MS } as const;

/** Settings are a free-form JSON object; bound their size so one project cannot bloat every read. */
export const MAX_SETTINGS_BYTES = 16 * 1024;

export function createProjectsService(deps: ServiceDeps): ProjectsService {
  const { store, clock, ids } = deps;

  const publish = (projectId: string, fields: string[]) =>
    publishSafely(deps, {
      event: 'project:updated',
      topics: [topics.project(projectId)],
      data: { projectId, fields },
      ts: clock.now(),
    });

  async function setStatus(
    actor: Parameters<ProjectsService['archive']>[0],
    projectId: string,
    archived: boolean,
  ) {
    const project = await projectFor(store, actor, projectId, 'owner');
    const status = archived ? 'archived' : 'active';
    if (project.status === status) return toProject(project, project.role);
    const updated = await store.projects.update(projectId, { status, updatedAt: clock.now() });
    if (!updated) throw notFound('Project');
    await publish(projectId, ['status']);
    return toProject(updated, project.role);
  }

  return {
    async list(actor: UserActor, query) {
      const q = parseInput(ProjectListQuery, query);
      const limit = q.limit ?? 20;
      const offset = q.offset ?? 0;
      const search = q.search?.trim();
      const page = await store.projects.listForMember(actor.userId, {
        limit,
        offset,
        ...(q.status ? { status: q.status } : {}),
        ...(search ? { search } : {}),
      });
      return { items: page.items.map((p) => toProject(p, p.role)), total: page.total, limit, offset };
    },

    async create(actor: UserActor, input) {
      const body = parseInput(CreateProjectBody, input);
      const now = clock.now();
      const project = await store.projects.createWithOwner({
        id: ids.uuid(),
        name: cleanName(body.name),
        description: body.description ?? null,
        status: 'active',
        settings: cleanSettings(body.settings ?? {}),
        ownerId: actor.userId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      return toProject(project, 'owner');
    },

    async get(actor, projectId) {
      const project = await projectFor(store, actor, projectId);
      return toProject(project, project.role);
    },

    async update(actor, projectId, input) {
      const body = parseInput(UpdateProjectBody, input);
      const project = await projectFor(store, actor, projectId, 'editor');
      const patch: ProjectPatch = { updatedAt: clock.now() };
      if (body.name !== undefined) patch.name = cleanName(body.name);
      if (body.description !== undefined) patch.description = body.description;
      if (body.settings !== undefined) patch.settings = cleanSettings(body.settings);
      const fields = Object.keys(patch).filter((k) => k !== 'updatedAt');
      if (fields.length === 0) return toProject(project, project.role);
      const updated = await store.projects.update(projectId, patch);
      if (!updated) throw notFound('Project');
      await publish(projectId, fields);
      return toProject(updated, project.role);
    },

    async delete(actor, projectId) {
      await projectFor(store, actor, projectId, 'owner');
      if (!(await store.projects.softDelete(projectId, clock.now()))) throw notFound('Project');
      await publishSafely(deps, {
        event: 'project:deleted',
        topics: [topics.project(projectId)],
        data: { projectId },
        ts: clock.now(),
      });
    },

    archive: (actor, projectId) => setStatus(actor, projectId, true),
    unarchive: (actor, projectId) => setStatus(actor, projectId, false),

    async stats(actor, projectId, period) {
      parseInput(StatsQuery, period === undefined ? {} : { period });
      await projectFor(store, actor, projectId);
      const since = period === undefined || period === 'all' ? undefined : clock.now() - PERIOD_MS[period];
      const stats = await store.projects.stats(projectId, since);
      return {
        conversations: stats.conversations,
        messages: stats.messages,
        sources: stats.sources,
        agents: stats.agents,
        inputTokens: stats.inputTokens,
        outputTokens: stats.outputTokens,
        costUsd: microToUsd(stats.costMicroUsd),
      };
    },

    async listMembers(actor, projectId) {
      await projectFor(store, actor, projectId);
      return (await store.members.list(projectId)).map(toMember);
    },

    async addMember(actor, projectId, input) {
      const body = parseInput(AddMemberBody, input);
      await projectFor(store, actor, projectId, 'owner');
      const user = await store.users.findByEmail(normalizeEmail(body.email));
      if (!user || user.disabledAt !== null) throw notFound('User');
      const member = await store.members
        .add({ projectId, userId: user.id, role: body.role, addedAt: clock.now() })
        .catch((error: unknown) => {
          throw error instanceof ZekkaError && error.code === 'CONFLICT'
            ? new ZekkaError('CONFLICT', 'This user is already a member of the project')
            : error;
        });
      await publishSafely(deps, {
        event: 'project:member_added',
        topics: [topics.project(projectId), topics.user(user.id)],
        data: { projectId, userId: user.id, role: body.role },
        ts: clock.now(),
      });
      return toMember(member);
    },

    async changeMemberRole(actor, projectId, userId, role) {
      parseInput(ChangeMemberRoleBody, { role });
      await projectFor(store, actor, projectId, 'owner');
      const result = await store.members.changeRole(projectId, userId, role);
      if (result.outcome === 'not_found') throw notFound('Member');
      if (result.outcome === 'last_owner') throw lastOwner();
      await publish(projectId, ['members']);
      return toMember(result.member);
    },

    async removeMember(actor, projectId, userId) {
      const leaving = actor.kind === 'user' && actor.userId === userId;
      await projectFor(store, actor, projectId, leaving ? 'viewer' : 'owner');
      const outcome = await store.members.remove(projectId, userId);
      if (outcome === 'not_found') throw notFound('Member');
      if (outcome === 'last_owner') throw lastOwner();
      await publishSafely(deps, {
        event: 'project:member_removed',
        topics: [topics.project(projectId), topics.user(userId)],
        data: { projectId, userId },
        ts: clock.now(),
      });
    },
  };
}

const lastOwner = () =>
  new ZekkaError('CONFLICT', 'A project must keep at least one owner; make someone else an owner first');

const cleanName = (name: string) => nonBlank(name, '/name');

function cleanSettings(settings: Record<string, unknown>): Record<string, unknown> {
  if (new TextEncoder().encode(JSON.stringify(settings)).length > MAX_SETTINGS_BYTES) {
    throw new ZekkaError('VALIDATION_FAILED', 'The settings are too large', {
      details: [{ path: '/settings', message: `Must be at most ${MAX_SETTINGS_BYTES} bytes of JSON` }],
    });
  }
  return settings;
}
