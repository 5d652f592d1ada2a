/**
 * The manifest rules the build and the pack step derive everything from (scripts/packages/manifest.ts): the
 * repository's manifests keep the shape that lets Bun and `tsc` run the sources, the published manifest
 * points only into `dist/`, and a manifest that breaks the shape is refused with the export it concerns.
 */
import { describe, expect, test } from 'bun:test';
import {
  entryPoints,
  type PackageManifest,
  publishablePackages,
  publishManifest,
} from '../../scripts/packages/manifest.ts';

const packages = publishablePackages();

test('the publishable packages are core, adapters and server, each after what it depends on', () => {
  expect(packages.map((pkg) => pkg.manifest.name)).toEqual([
    '@zekka/core',
    '@zekka/adapters',
    '@zekka/server',
  ]);
});

describe.each(packages.map((pkg) => [pkg.manifest.name, pkg] as const))('%s', (_name, pkg) => {
  test('every export runs from src/ in the repository and is built to dist/', () => {
    for (const entry of entryPoints(pkg.manifest)) {
      expect(entry.source).toMatch(/^\.\/src\/.+\.ts$/);
      expect(entry.output).toBe(entry.source.replace('./src/', './dist/').replace(/\.ts$/, '.js'));
    }
  });

  test('its publish manifest points every export and bin into dist/ and drops scripts and devDependencies', () => {
    const published = publishManifest(pkg.manifest);
    const targets = [
      ...Object.values(published.exports ?? {}).flatMap((conditions) => Object.values(conditions)),
      ...Object.values(published.bin ?? {}),
    ];
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(target).toMatch(/^\.\/dist\/.+\.(js|d\.ts)$/);
    expect(published.devDependencies).toBeUndefined();
    expect(published.scripts).toBeUndefined();
    expect(published.dependencies).toEqual(pkg.manifest.dependencies);
    expect(published.files).toEqual(['dist']);
  });
});

test('the server publishes the zekka bin from dist/', () => {
  const server = packages.find((pkg) => pkg.manifest.name === '@zekka/server');
  expect(server && publishManifest(server.manifest).bin).toEqual({ zekka: './dist/cli.js' });
});

describe('a manifest that breaks the shape is refused, naming the export', () => {
  const base: PackageManifest = { name: '@zekka/example', version: '0.0.0' };

  test('a plain string export', () => {
    const manifest = { ...base, exports: { '.': './src/index.ts' } } as unknown as PackageManifest;
    expect(() => entryPoints(manifest)).toThrow('@zekka/example exports["."] must be { types, bun, import }');
  });

  test('an import condition that is not the built source', () => {
    const manifest: PackageManifest = {
      ...base,
      exports: { '.': { types: './src/index.ts', bun: './src/index.ts', import: './dist/main.js' } },
    };
    expect(() => entryPoints(manifest)).toThrow('"import":"./dist/index.js"');
  });

  test('a source outside src/', () => {
    const manifest: PackageManifest = { ...base, bin: { example: './cli.ts' } };
    expect(() => entryPoints(manifest)).toThrow(
      '@zekka/example bin.example must name a TypeScript file under ./src',
    );
  });
});
