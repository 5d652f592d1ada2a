/**
 * @module access
 * Who may do what in a project. A project the actor cannot see does not exist for them (`NOT_FOUND`); one
 * they can see but whose action needs a higher role is `FORBIDDEN`.
 */
import type { Actor } from '../actor.ts';
import { forbidden, notFound } from '../errors.ts';
import type { ProjectRole, ProjectWithRole } from '../ports/records.ts';
import type { Store } from '../ports/store.ts';

const RANK: Record<ProjectRole, number> = { viewer: 1, editor: 2, owner: 3 };

export function roleAtLeast(role: ProjectRole, minimum: ProjectRole): boolean {
  return RANK[role] >= RANK[minimum];
}

/** The project as the actor sees it, checking they hold at least `minimum`. System actors act as owners. */
export async function projectFor(
  store: Store,
  actor: Actor,
  projectId: string,
  minimum: ProjectRole = 'viewer',
): Promise<ProjectWithRole> {
  if (actor.kind === 'system') {
    const project = await store.projects.findById(projectId);
    if (!project || project.deletedAt !== null) throw notFound('Project');
    return { ...project, role: 'owner' };
  }
  const project = await store.projects.findForMember(projectId, actor.userId);
  if (!project) throw notFound('Project');
  if (!roleAtLeast(project.role, minimum)) throw forbidden(`This action needs the ${minimum} role`);
  return project;
}
