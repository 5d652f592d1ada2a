#!/usr/bin/env bun
/**
 * @module build-packages
 * Builds the publishable packages (`@zekka/core`, `@zekka/adapters`, `@zekka/server`: every packages/*
 * that is not private) into their `dist/`, in dependency order, and optionally packs them:
 *
 *   bun scripts/build-packages.ts                  build (`bun run build`)
 *   bun scripts/build-packages.ts --pack <folder>  build, then write one tarball per package to <folder>
 *
 * Inside the repository nothing needs this: Bun and the tests run the sources. It makes what a consumer
 * installs (see scripts/packages/ for how, and test/packages/ for the test that installs it).
 */
import { resolve } from 'node:path';
import { buildPackage } from './packages/build-package.ts';
import { publishablePackages } from './packages/manifest.ts';
import { type PackedPackage, packPackages } from './packages/pack-packages.ts';

export interface BuildOptions {
  /** Also pack each package into this folder. @default no packing */
  packInto?: string;
}

/** Builds every publishable package, then packs them when asked. Logs one line per package. */
export async function buildPackages(options: BuildOptions = {}): Promise<PackedPackage[]> {
  const packages = publishablePackages();
  for (const pkg of packages) {
    const built = await buildPackage(pkg);
    console.log(
      `built ${built.name}: ${built.files} files, ${(built.bytes / 1024).toFixed(0)} KiB in dist/ (${built.ms} ms)`,
    );
  }
  if (options.packInto === undefined) return [];
  const packed = await packPackages(packages, options.packInto);
  for (const { name, tarball } of packed) console.log(`packed ${name}: ${tarball}`);
  return packed;
}

function parseArgs(argv: string[]): BuildOptions {
  if (argv.length === 0) return {};
  const [flag, folder, ...rest] = argv;
  if (flag === '--pack' && folder !== undefined && rest.length === 0) return { packInto: resolve(folder) };
  throw new Error('usage: bun scripts/build-packages.ts [--pack <folder>]');
}

if (import.meta.main) {
  try {
    await buildPackages(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(`build-packages: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
