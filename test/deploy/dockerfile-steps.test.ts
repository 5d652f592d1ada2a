/**
 * The Dockerfile and scripts/docker-steps.sh name the same steps in the same order, the script takes every
 * file, command and setting from the Dockerfile (through scripts/image-plan.ts) instead of keeping its own
 * copy, and the files the image gets are the server's sources and migrations, without tests or docs.
 * The Dockerfile is read here a second, simpler way, so a parser bug in image-plan.ts shows too.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextFiles } from '../../scripts/image/context-files.ts';
import { readImagePlan } from '../../scripts/image/dockerfile.ts';
import { isIgnored, parseDockerignore } from '../../scripts/image/dockerignore.ts';
import { loadImage } from '../../scripts/image-plan.ts';
import { REPO_ROOT } from './support/deploy-files.ts';

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const script = readFileSync(join(REPO_ROOT, 'scripts', 'docker-steps.sh'), 'utf8');
const { plan, rules } = loadImage();
/** Instruction lines of the Dockerfile, continuations joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n(\s*#.*\n)*/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
const argsOf = (keyword: string): string[] =>
  instructions
    .filter((line) => line.startsWith(`${keyword} `))
    .map((line) => line.slice(keyword.length + 1).trim());

/** The script's text from `step "name"` to the next step or check. */
function scriptBlock(name: string): string {
  const start = script.indexOf(`\nstep "${name}"\n`);
  const next = script.slice(start + 1).search(/\n(step|check) "/);
  return script.slice(start, next === -1 ? undefined : start + 1 + next);
}

describe('steps', () => {
  const dockerfileSteps = [...dockerfile.matchAll(/^# step: (.+)$/gm)].map((match) => match[1]);
  const scriptSteps = [...script.matchAll(/^step "([^"]+)"$/gm)].map((match) => match[1]);

  test('the script performs the Dockerfile steps by the same names, in the same order', () => {
    expect(dockerfileSteps.length).toBeGreaterThanOrEqual(8);
    expect(scriptSteps).toEqual(dockerfileSteps);
    expect(plan.steps.map((step) => step.name)).toEqual(dockerfileSteps as string[]);
  });

  test('every Dockerfile instruction but FROM and WORKDIR sits under a step', () => {
    expect(() => readImagePlan(`FROM oven/bun:${plan.bunVersion}\nWORKDIR /app\nRUN bun install\n`)).toThrow(
      'RUN is under no "# step:" comment',
    );
    expect(() => readImagePlan(`${dockerfile}\nENTRYPOINT ["sh"]\n`)).toThrow('ENTRYPOINT is not one');
  });

  test('a step that copies from the build context copies through image-plan.ts, never a list of its own', () => {
    const copying = plan.steps.filter((step) =>
      plan.copies.some((copy) => copy.step === step.name && copy.from === undefined),
    );
    expect(copying.map((step) => step.name)).toEqual(['copy manifests', 'copy sources']);
    for (const step of copying)
      expect(scriptBlock(step.name)).toContain('bun "$plan_tool" copy "$current" "$app"');
    expect(script).not.toMatch(/\bcp\b|packages\/(core|adapters|server)/);
  });

  test('the install, the environment, the command and the healthcheck come from the Dockerfile', () => {
    expect(scriptBlock('install production dependencies')).toContain('read_plan install\n');
    expect(scriptBlock('set the environment')).toContain('read_plan env\n');
    expect(script).toContain('read_plan command\n');
    expect(scriptBlock('check health')).toContain('read_plan healthcheck\n');
    expect(script).toContain('read_plan stop-signal\n');
    expect(script).toContain('read_plan user\n');
  });
});

describe('what image-plan.ts reads from the Dockerfile', () => {
  test('the COPY sources and destinations', () => {
    const copies = argsOf('COPY').map((args) => args.split(/\s+/));
    expect(
      plan.copies.map((copy) => [...(copy.from ? [`--from=${copy.from}`] : []), ...copy.sources, copy.dest]),
    ).toEqual(copies);
  });

  test('the install command, the production install from the lockfile', () => {
    expect(argsOf('RUN')[0]).toBe('bun install --frozen-lockfile --production');
    expect(plan.install).toEqual(['bun', 'install', '--frozen-lockfile', '--production']);
  });

  test('the CMD is the root start script, and the healthcheck asks /health on the PORT', () => {
    const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    };
    expect(plan.command).toEqual(JSON.parse(argsOf('CMD')[0] ?? '[]'));
    expect(plan.command.join(' ')).toBe(rootPackage.scripts.start);
    expect(plan.healthcheck.command.slice(0, 2)).toEqual(['bun', '-e']);
    expect(plan.healthcheck.command[2]).toContain("'http://127.0.0.1:'+(process.env.PORT||3000)+'/health'");
    expect(plan.stopSignal).toBe('SIGTERM');
  });

  test('the environment: production, data in the volume, the exposed port', () => {
    expect(plan.env).toEqual({ NODE_ENV: 'production', DATA_DIR: '/data', PORT: '3000', HOST: '0.0.0.0' });
    expect(plan.volumes).toEqual([plan.env.DATA_DIR ?? '']);
    expect(plan.exposedPorts).toEqual([Number(plan.env.PORT)]);
    expect(plan.workdir).toBe('/app');
  });

  test('a non-root numeric user that the runtime setup creates and that owns the data folder', () => {
    expect(plan.user).toEqual({ uid: 10001, gid: 10001 });
    expect(plan.runtimeSetup.join(' ')).toContain(`--uid ${plan.user.uid}`);
    expect(plan.runtimeSetup.join(' ')).toContain(`chown zekka:zekka ${plan.volumes[0]}`);
  });

  test("the image's Bun is the Bun the repository runs and CI installs", () => {
    expect(plan.bunVersion).toBe(Bun.version);
    expect(readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')).toContain(`BUN_VERSION=${plan.bunVersion}`);
  });
});

describe('the files the image gets', () => {
  const targets = contextFiles(plan, REPO_ROOT, rules).map((file) => file.target);
  const packages = readdirSync(join(REPO_ROOT, 'packages')).filter((name) =>
    existsSync(join(REPO_ROOT, 'packages', name, 'package.json')),
  );

  test('the root manifests, the lockfile and every package manifest', () => {
    expect(targets).toEqual(expect.arrayContaining(['package.json', 'bun.lock', 'bunfig.toml']));
    for (const name of packages) expect(targets).toContain(`packages/${name}/package.json`);
  });

  test('every source file of every package, and every migration', () => {
    const glob = new Bun.Glob('packages/*/src/**/*.ts');
    const sources = [...glob.scanSync({ cwd: REPO_ROOT })].filter(
      (path) => !path.endsWith('.test.ts') && !path.includes('/conformance/'),
    );
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.filter((path) => !targets.includes(path))).toEqual([]);
    const migrations = [...new Bun.Glob('migrations/**/*').scanSync({ cwd: REPO_ROOT })];
    expect(migrations.filter((path) => !targets.includes(path))).toEqual([]);
  });

  test('no tests, conformance suites, docs, bench, examples or local state', () => {
    const unwanted =
      /\.test\.ts$|\/test\/|\/conformance\/|^(docs|bench|examples|test|data|deploy|scripts)\/|node_modules|\.env/;
    expect(targets.filter((path) => unwanted.test(path))).toEqual([]);
    expect(
      targets.every((path) =>
        /^(package\.json|bun\.lock|bunfig\.toml|packages\/[^/]+\/(package\.json|src\/.+)|migrations\/.+)$/.test(
          path,
        ),
      ),
    ).toBe(true);
  });
});

describe('.dockerignore matching (as Docker does it)', () => {
  const cases: [string, string, boolean][] = [
    ['*\n!src', 'src/a/b.ts', false],
    ['*\n!src', 'docs/a.md', true],
    ['*\n!packages/*/src\n**/*.test.ts', 'packages/core/src/a.test.ts', true],
    ['*\n!packages/*/src\n**/*.test.ts', 'packages/core/src/a.ts', false],
    ['**/*.test.ts', 'a.test.ts', true],
    ['**/test', 'packages/core/test/x.ts', true],
    ['/data', 'data/jwt-secret', true],
    ['*.md\n!README.md', 'README.md', false],
    ['node_modules', 'packages/a/node_modules/x.js', false],
    ['**/node_modules', 'packages/a/node_modules/x.js', true],
    ['a?c', 'abc', true],
    ['a?c', 'a/c', false],
  ];
  test.each(cases)('%j on %s ignored: %p', (patterns, path, ignored) => {
    expect(isIgnored(parseDockerignore(patterns), path)).toBe(ignored);
  });
});
