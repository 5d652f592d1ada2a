/**
 * @module server-process
 * `zekka serve` as an operator runs it: a separate `bun src/cli.ts serve` process on a free port, with its
 * output kept so a test can read the logs afterwards.
 */
import { join } from 'node:path';

export const CLI = join(import.meta.dir, '..', '..', '..', 'src', 'cli.ts');

export interface ServerProcess {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** Everything written so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number>;
}

/**
 * Starts the server with `env` on top of the current environment (`PORT=0`, `HOST=127.0.0.1` and
 * `LOG_LEVEL=info`, which logs the URL, unless given) and resolves once it logs its URL; rejects with its
 * output if it exits or says nothing within `timeoutMs`.
 */
export async function startServerProcess(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ServerProcess> {
  const child = Bun.spawn({
    cmd: [process.execPath, CLI, 'serve'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const pumped = Promise.all([pump(child.stdout), pump(child.stderr)]);

  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (url === undefined && !exited && Date.now() < deadline) {
    url = /listening on (http:\/\/[^"\s]+)"/.exec(output)?.[1];
    if (url === undefined) await Bun.sleep(25);
  }
  if (url === undefined) {
    child.kill('SIGKILL');
    await pumped;
    throw new Error(`zekka serve did not start:\n${output}`);
  }
  return {
    url,
    output: () => output,
    alive: () => !exited,
    async stop() {
      child.kill('SIGTERM');
      const code = await child.exited;
      await pumped;
      return code;
    },
  };
}

/** `fetch` that also reports how long the answer took; a request that takes over `timeoutMs` rejects. */
export async function timedFetch(
  url: string,
  init: RequestInit = {},
  timeoutMs = 10_000,
): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body, ms: performance.now() - started };
}
