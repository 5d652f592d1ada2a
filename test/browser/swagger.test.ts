/**
 * The API reference in a real browser: `zekka serve` on SQLite, `/swagger` opened in headless Chromium
 * (Debian's `chromium`, driven by playwright-core), the operations list rendered, `GET /health` expanded,
 * tried out and executed from the page, its 200 shown in the response panel. Every request the page makes
 * stays on the server's origin (the UI is served offline), and a screenshot is saved in the test's temporary
 * folder, whose path is printed.
 *
 * Without Chromium the file skips and says why, except with CI=true, where it fails: `.ci/run` installs it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { type ServingZekka, startZekkaServe } from '../support/zekka-serve.ts';

const REPO_ROOT = resolve(import.meta.dir, '..', '..');
/** Debian's package `chromium`; CHROMIUM_PATH points elsewhere on other systems. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
const skip = !installed && process.env.CI !== 'true';
if (skip) console.warn(`test/browser skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

/**
 * Flags for a root user on a machine with no GPU and a closed network: without the background-networking
 * ones Chromium keeps trying to reach Google's services at start.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let work = '';
let server: ServingZekka | undefined;
let browser: BrowserContext | undefined;

beforeAll(
  async () => {
    if (skip) return;
    work = mkdtempSync(join(tmpdir(), 'zekka-swagger-'));
    server = await startZekkaServe({
      cmd: [process.execPath, 'packages/server/src/cli.ts', 'serve'],
      cwd: REPO_ROOT,
      env: {
        DATABASE_URL: `sqlite:${join(work, 'data', 'zekka.db')}`,
        DATA_DIR: join(work, 'data'),
        REDIS_URL: undefined,
        NODE_ENV: undefined,
      },
    });
  },
  { timeout: 30_000 },
);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined && (await server.stop()) !== 0) console.error(server.output());
  server?.kill();
  // The screenshot stays for whoever wants to look at it; the profile and the database go.
  for (const folder of ['profile', 'data']) rmSync(join(work, folder), { recursive: true, force: true });
});

describe.skipIf(skip)('Swagger UI in headless Chromium', () => {
  test(
    'renders the operations and executes GET /health from the page',
    async () => {
      if (!installed)
        throw new Error(`CI=true needs Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium`);
      if (server === undefined) throw new Error('the server did not start');
      const origin = server.url;
      browser = await chromium.launchPersistentContext(join(work, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
      });
      const page = browser.pages()[0] ?? (await browser.newPage());
      const requested: string[] = [];
      const pageErrors: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      page.on('pageerror', (error) => pageErrors.push(error.message));

      await page.goto(`${origin}/swagger`);
      const operations = page.locator('.opblock');
      await operations.first().waitFor({ state: 'visible', timeout: 20_000 });
      expect(await operations.count()).toBeGreaterThan(10);

      const health = page.locator('.opblock.opblock-get', {
        has: page.locator('.opblock-summary-path[data-path="/health"]'),
      });
      await health.locator('.opblock-summary').click();
      await health.getByRole('button', { name: 'Try it out' }).click();
      await health.getByRole('button', { name: 'Execute' }).click();

      // The live response's row (the table's header row holds "Code"), once the request has finished.
      const status = health.locator('.live-responses-table tbody .response-col_status');
      await status.first().waitFor({ timeout: 15_000 });
      expect((await status.allTextContents()).map((text) => text.trim())).toEqual(['200']);
      await health
        .locator('.live-responses-table .response-col_description')
        .getByText('"status": "ok"')
        .waitFor({ timeout: 5_000 });

      const screenshot = join(work, 'swagger-health.png');
      await health.screenshot({ path: screenshot });
      console.log(`test/browser: screenshot of GET /health executed in Swagger UI: ${screenshot}`);

      expect(pageErrors).toEqual([]);
      expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
      expect(requested).toContain(`${origin}/health`);
    },
    { timeout: 60_000 },
  );
});
