#!/usr/bin/env bun
/**
 * @module image-plan
 * The Dockerfile, read for `scripts/docker-steps.sh` (which performs the image's steps outside Docker):
 *
 *   bun scripts/image-plan.ts plan                      the whole plan as JSON
 *   bun scripts/image-plan.ts files                     every file the image gets from the repository
 *   bun scripts/image-plan.ts lines <field>             one value per line: install, command, healthcheck,
 *                                                       env (KEY=value), volumes, user (uid gid),
 *                                                       stop-signal, bun-version, steps
 *   bun scripts/image-plan.ts copy <step> <app-folder>  copy the files of one step's COPY instructions
 *   bun scripts/image-plan.ts check-imports <app-folder>  every run-time import resolves there
 *
 * It reads `Dockerfile` and `.dockerignore` at the repository root (the folder above this script).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contextFiles, copyContextFiles } from './image/context-files.ts';
import { type ImagePlan, readImagePlan } from './image/dockerfile.ts';
import { type IgnoreRule, parseDockerignore } from './image/dockerignore.ts';
import { unresolvedImports } from './image/resolve-imports.ts';

/** The repository root: the build context the Dockerfile is written for. */
export const REPO_ROOT = resolve(import.meta.dir, '..');

/** The plan and the ignore rules of the repository at `root`. */
export function loadImage(root: string = REPO_ROOT): { plan: ImagePlan; rules: IgnoreRule[] } {
  return {
    plan: readImagePlan(readFileSync(join(root, 'Dockerfile'), 'utf8')),
    rules: parseDockerignore(readFileSync(join(root, '.dockerignore'), 'utf8')),
  };
}

function lines(plan: ImagePlan, field: string): string[] {
  switch (field) {
    case 'install':
      return plan.install;
    case 'command':
      return plan.command;
    case 'healthcheck':
      return plan.healthcheck.command;
    case 'env':
      return Object.entries(plan.env).map(([name, value]) => `${name}=${value}`);
    case 'volumes':
      return plan.volumes;
    case 'user':
      return [`${plan.user.uid} ${plan.user.gid}`];
    case 'stop-signal':
      return [plan.stopSignal];
    case 'bun-version':
      return [plan.bunVersion];
    case 'steps':
      return plan.steps.map((step) => step.name);
    default:
      throw new Error(`unknown field "${field}"`);
  }
}

function main(argv: string[]): number {
  const { plan, rules } = loadImage();
  const [command, first, second] = argv;
  if (command === 'plan') {
    console.log(JSON.stringify(plan, null, 2));
  } else if (command === 'files') {
    for (const file of contextFiles(plan, REPO_ROOT, rules)) console.log(file.target);
  } else if (command === 'lines' && first !== undefined) {
    for (const line of lines(plan, first)) console.log(line);
  } else if (command === 'copy' && first !== undefined && second !== undefined) {
    const count = copyContextFiles(contextFiles(plan, REPO_ROOT, rules, first), REPO_ROOT, second);
    console.log(`copied ${count} files`);
  } else if (command === 'check-imports' && first !== undefined) {
    const missing = unresolvedImports(first);
    for (const { file, specifier } of missing)
      console.error(`  ${file} imports "${specifier}", which is not installed`);
    if (missing.length > 0) return 1;
    console.log('every run-time import resolves');
  } else {
    console.error(
      'usage: bun scripts/image-plan.ts plan | files | lines <field> | copy <step> <app> | check-imports <app>',
    );
    return 2;
  }
  return 0;
}

if (import.meta.main) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`image-plan: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
