#!/usr/bin/env bun
/**
 * @module release
 * `bun run release`: turns the pending changesets into a release, up to the tarballs, and publishes nothing.
 *
 *   1. `changeset version`: bumps the versions (the `@zekka/*` packages move together: the `fixed` group in
 *      .changeset/config.json), writes each package's CHANGELOG.md and deletes the changesets it used;
 *   2. `bun install`: bun.lock records each workspace's version, so it is refreshed for the new ones;
 *   3. builds every publishable package and packs it into dist-packages/ (emptied first), one tarball each.
 *
 * Review and commit the version changes, then publish each tarball: `npm publish dist-packages/<file>.tgz`.
 * (Not `npm publish` or `changeset publish` inside packages/*: those manifests point Bun at src/, which is
 * not published; the tarballs carry the publish manifests.)
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildPackages } from './build-packages.ts';
import { REPO_ROOT } from './packages/manifest.ts';

export const RELEASE_FOLDER = join(REPO_ROOT, 'dist-packages');

async function step(title: string, cmd: string[]): Promise<void> {
  console.log(`\n== ${title}: ${cmd.join(' ')}`);
  const child = Bun.spawn(cmd, { cwd: REPO_ROOT, stdin: 'ignore', stdout: 'inherit', stderr: 'inherit' });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${title} failed (${cmd.join(' ')} exited ${code})`);
}

async function release(): Promise<void> {
  await step('version', [join(REPO_ROOT, 'node_modules', '.bin', 'changeset'), 'version']);
  await step('lockfile', [process.execPath, 'install']);
  console.log(`\n== build and pack into ${RELEASE_FOLDER}`);
  rmSync(RELEASE_FOLDER, { recursive: true, force: true });
  const packed = await buildPackages({ packInto: RELEASE_FOLDER });
  console.log('\nNothing was published. Commit the version changes, then for each tarball:');
  for (const { tarball } of packed) console.log(`  npm publish ${tarball}`);
}

if (import.meta.main) {
  try {
    await release();
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
