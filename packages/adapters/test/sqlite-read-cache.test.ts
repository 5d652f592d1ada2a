/**
 * The SQLite read cache sees writes from other connections to the same file (another process, the CLI)
 * within its external-check interval. Writes through the store itself are covered, for every adapter, by
 * the conformance suite ("reads always reflect the writes that completed before them").
 */
import { afterEach, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '@zekka/core';
import { makeProject, makeUser } from '../src/conformance/store/fixtures.ts';
import { createSqliteStore } from '../src/sqlite/index.ts';

const opened: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function twoStoresOnOneFile(): [Store, Store] {
  const dir = mkdtempSync(join(tmpdir(), 'zekka-read-cache-'));
  dirs.push(dir);
  const url = `sqlite:${join(dir, 'zekka.db')}`;
  const stores: [Store, Store] = [createSqliteStore({ url }), createSqliteStore({ url })];
  opened.push(...stores);
  return stores;
}

test('a write through another connection reaches cached reads within the check interval', async () => {
  const [reader, writer] = twoStoresOnOneFile();
  const owner = await writer.users.create(makeUser());
  const project = makeProject(owner.id, { name: 'Before' });
  await writer.projects.createWithOwner(project);
  const name = async () => (await reader.projects.findForMember(project.id, owner.id))?.name;

  expect(await name()).toBe('Before');
  await writer.projects.update(project.id, { name: 'After', updatedAt: project.updatedAt + 1 });
  // The default interval is 100 ms; wait past it.
  await Bun.sleep(150);
  expect(await name()).toBe('After');
  const page = await reader.projects.listForMember(owner.id, { limit: 20, offset: 0 });
  expect(page.items.map((p) => p.name)).toEqual(['After']);
});
