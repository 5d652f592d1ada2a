/**
 * @module sqlite/project-reads
 * The two reads behind every project request — one project with the caller's role, and the caller's
 * projects page by page — on raw prepared statements through the `ReadCache`. They bypass drizzle's
 * result mapping because these are the hottest reads in the system; the column list below is the single
 * place that knows the row layout.
 */
import type { Database } from 'bun:sqlite';
import type { Page, ProjectListQuery, ProjectRole, ProjectStatus, ProjectWithRole } from '@zekka/core';
import { containsPattern } from './like-pattern.ts';
import { pageTotal } from './page-total.ts';
import type { RawRow, ReadCache } from './read-cache.ts';

const COLUMNS =
  'p.id, p.name, p.description, p.status, p.settings, p.owner_id, p.created_at, p.updated_at, p.deleted_at';

function toProjectWithRole(row: RawRow, role: ProjectRole): ProjectWithRole {
  return {
    id: row[0] as string,
    name: row[1] as string,
    description: row[2] as string | null,
    status: row[3] as ProjectStatus,
    settings: JSON.parse(row[4] as string) as Record<string, unknown>,
    ownerId: row[5] as string,
    createdAt: row[6] as number,
    updatedAt: row[7] as number,
    deletedAt: row[8] as number | null,
    role,
  };
}

export interface ProjectReads {
  findForMember(projectId: string, userId: string): ProjectWithRole | null;
  listForMember(userId: string, query: ProjectListQuery): Page<ProjectWithRole>;
}

export function createProjectReads(client: Database, cache: ReadCache): ProjectReads {
  // The role comes from a correlated subquery on the membership primary key rather than a join: with bound
  // parameters SQLite ran the two-table join several times slower per call.
  const one = client.query(
    `SELECT ${COLUMNS}, (SELECT m.role FROM project_members m WHERE m.project_id = p.id AND m.user_id = ?2)
       FROM projects p WHERE p.id = ?1 AND p.deleted_at IS NULL`,
  );
  // Optional filters are `(? IS NULL OR …)` so one prepared statement serves every query shape.
  const filter = `m.user_id = ?1 AND p.deleted_at IS NULL
      AND (?2 IS NULL OR p.status = ?2)
      AND (?3 IS NULL OR p.name LIKE ?3 ESCAPE '\\' OR p.description LIKE ?3 ESCAPE '\\')`;
  const page = client.query(
    `SELECT ${COLUMNS}, m.role FROM project_members m JOIN projects p ON p.id = m.project_id
      WHERE ${filter} ORDER BY p.updated_at DESC, p.id DESC LIMIT ?4 OFFSET ?5`,
  );
  const count = client.query(
    `SELECT count(*) FROM project_members m JOIN projects p ON p.id = m.project_id WHERE ${filter}`,
  );

  return {
    findForMember(projectId, userId) {
      const row = cache.rows(`one\u0000${projectId}\u0000${userId}`, one, [projectId, userId])[0];
      const role = row?.[9] as ProjectRole | null | undefined;
      return row === undefined || role == null ? null : toProjectWithRole(row, role);
    },

    listForMember(userId, query) {
      const status = query.status ?? null;
      const pattern = containsPattern(query.search);
      const key = `page\u0000${userId}\u0000${status}\u0000${pattern}\u0000${query.limit}\u0000${query.offset}`;
      const rows = cache.rows(key, page, [userId, status, pattern, query.limit, query.offset]);
      const total = pageTotal(query.offset, query.limit, rows.length, () => {
        const counted = cache.rows(`count\u0000${userId}\u0000${status}\u0000${pattern}`, count, [
          userId,
          status,
          pattern,
        ]);
        return counted[0]?.[0] as number;
      });
      return { items: rows.map((row) => toProjectWithRole(row, row[9] as ProjectRole)), total };
    },
  };
}
