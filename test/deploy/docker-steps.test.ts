/**
 * Runs scripts/docker-steps.sh, the Dockerfile's steps without Docker: production install from the lockfile
 * in a temporary folder, the server started as the image's CMD, /health, the HEALTHCHECK command, /ready,
 * and a SIGTERM that ends it with status 0. Then compares the folder it built with the Dockerfile's files.
 */
import { afterAll, expect, test } from 'bun:test';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { contextFiles } from '../../scripts/image/context-files.ts';
import { loadImage } from '../../scripts/image-plan.ts';
import { REPO_ROOT } from './support/deploy-files.ts';

let kept: string | undefined;
afterAll(() => {
  if (kept !== undefined) rmSync(kept, { recursive: true, force: true });
});

test(
  'docker-steps.sh builds the image folder, starts the server, checks it and stops it with SIGTERM',
  async () => {
    const child = Bun.spawn(['bash', join(REPO_ROOT, 'scripts', 'docker-steps.sh'), '--keep'], {
      cwd: REPO_ROOT,
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    kept = /^docker-steps: kept (.+)$/m.exec(stdout)?.[1];
    if (exitCode !== 0) console.error(`${stdout}\n${stderr}`);
    expect({ exitCode, failure: stderr.match(/docker-steps: FAILED.*/)?.[0] }).toEqual({
      exitCode: 0,
      failure: undefined,
    });

    const { plan, rules } = loadImage();
    const steps = [...stdout.matchAll(/^==> step \d+: (.+)$/gm)].map((match) => match[1]);
    expect(steps).toEqual(plan.steps.map((step) => step.name));
    expect(stdout).toContain('GET /ready: 200');
    expect(stdout).toContain('exited 0');
    expect(stdout).toMatch(/^docker-steps: passed/m);

    // The folder the server ran from holds exactly the Dockerfile's files, plus the installed packages.
    expect(kept).toBeDefined();
    const app = join(kept ?? '', 'app');
    const inApp = [...new Bun.Glob('**/*').scanSync({ cwd: app, dot: true })].filter(
      (path) => !path.startsWith('node_modules/') && !/^packages\/[^/]+\/node_modules\//.test(path),
    );
    const expected = contextFiles(plan, REPO_ROOT, rules).map((file) => file.target);
    expect(inApp.sort()).toEqual(expected.sort());
    expect(existsSync(join(app, 'node_modules'))).toBe(true);
  },
  { timeout: 180_000 },
);
