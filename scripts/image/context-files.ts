/**
 * @module context-files
 * Which files the Dockerfile's `COPY` instructions take from the build context, and where they land under
 * the image's WORKDIR, with `.dockerignore` applied the way Docker applies it. `copyContextFiles` puts them
 * into a folder, which is what `scripts/docker-steps.sh` builds the image's `/app` from.
 */
import { copyFileSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import type { ImageCopy, ImagePlan } from './dockerfile.ts';
import { type IgnoreRule, isIgnored } from './dockerignore.ts';

export interface ContextFile {
  /** Path in the build context (the repository), `/`-separated. */
  source: string;
  /** Path under the image's WORKDIR, `/`-separated. */
  target: string;
}

/**
 * The files that the build-context `COPY`s of `plan` (only those under step `step`, when given) copy.
 * @throws Error when a named source is missing or left out by `.dockerignore` (a build would fail too).
 */
export function contextFiles(
  plan: ImagePlan,
  contextDir: string,
  rules: readonly IgnoreRule[],
  step?: string,
): ContextFile[] {
  const copies = plan.copies.filter(
    (copy) => copy.from === undefined && (step === undefined || copy.step === step),
  );
  if (step !== undefined && copies.length === 0) throw new Error(`Dockerfile: step "${step}" copies nothing`);
  return copies.flatMap((copy) => filesOfCopy(copy, plan.workdir, contextDir, rules));
}

/** Copies `files` from `contextDir` into `appDir`, keeping each file's mode; returns how many. */
export function copyContextFiles(files: readonly ContextFile[], contextDir: string, appDir: string): number {
  for (const file of files) {
    const target = join(appDir, file.target);
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(join(contextDir, file.source), target);
  }
  return files.length;
}

function filesOfCopy(copy: ImageCopy, workdir: string, contextDir: string, rules: readonly IgnoreRule[]) {
  const dest = destUnderWorkdir(copy.dest, workdir);
  const intoFolder = copy.dest.endsWith('/') || copy.sources.length > 1;
  const files: ContextFile[] = [];
  for (const written of copy.sources) {
    const source = posix.normalize(written).replace(/\/+$/, '');
    const stats = statSync(join(contextDir, source), { throwIfNoEntry: false });
    if (stats === undefined || (stats.isFile() && isIgnored(rules, source))) {
      throw new Error(
        `COPY ${written}: not in the build context${stats ? ' (.dockerignore leaves it out)' : ''}`,
      );
    }
    if (stats.isFile()) {
      files.push({ source, target: intoFolder ? posix.join(dest, basename(source)) : dest });
      continue;
    }
    // A folder's contents go into the destination, as with Docker's COPY.
    const inside = walk(join(contextDir, source)).filter((path) => !isIgnored(rules, `${source}/${path}`));
    if (inside.length === 0) throw new Error(`COPY ${written}: .dockerignore leaves nothing of it`);
    for (const path of inside) files.push({ source: `${source}/${path}`, target: posix.join(dest, path) });
  }
  return files;
}

function destUnderWorkdir(dest: string, workdir: string): string {
  const absolute = dest.startsWith('/') ? posix.normalize(dest) : posix.join(workdir, dest);
  const relative = posix.relative(workdir, absolute);
  if (relative.startsWith('..')) throw new Error(`COPY to ${dest}: outside WORKDIR ${workdir}`);
  return relative;
}

/** Every file under `dir`, relative to it, `/`-separated, sorted. */
function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      files.push(...walk(join(dir, entry.name)).map((path) => `${entry.name}/${path}`));
    else if (entry.isFile()) files.push(entry.name);
  }
  return files.sort();
}
