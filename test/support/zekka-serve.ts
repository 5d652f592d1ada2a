/**
 * @module zekka-serve
 * `zekka serve` as an operator runs it, in a child process: started with `PORT=0` on 127.0.0.1 and found
 * by its "listening on" log line, stopped with SIGTERM. Used by the packed-CLI test (the installed `zekka`
 * bin) and the browser check (the repository's CLI).
 */
import type { Subprocess } from 'bun';

export interface ServeOptions {
  /** The command, e.g. `['bun', 'packages/server/src/cli.ts', 'serve']`. */
  cmd: string[];
  cwd: string;
  /** Added to the environment (DATABASE_URL, DATA_DIR, …); `undefined` removes a variable. */
  env: Record<string, string | undefined>;
  /** @default 20_000 */
  startTimeoutMs?: number;
}

export interface ServingZekka {
  url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code once the process has ended. */
  stop(): Promise<number>;
  /** Ends the process at once if it is still running (for cleanup after a failed assertion). */
  kill(): void;
}

const LISTENING = /listening on (http:\/\/[^"\s]+)/;

/** Starts the server and resolves once it logged its URL; rejects with its output when it did not. */
export async function startZekkaServe(options: ServeOptions): Promise<ServingZekka> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.env,
  })) {
    if (value !== undefined) env[name] = value;
  }
  const child = Bun.spawn(options.cmd, {
    cwd: options.cwd,
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  });
  let output = '';
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) output += decoder.decode(chunk, { stream: true });
  };
  const collected = Promise.all([collect(child.stdout), collect(child.stderr)]);

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let url: string | undefined;
  while (url === undefined && Date.now() < deadline && child.exitCode === null) {
    url = LISTENING.exec(output)?.[1];
    if (url === undefined) await Bun.sleep(25);
  }
  url ??= LISTENING.exec(output)?.[1];
  if (url === undefined) {
    child.kill('SIGKILL');
    await child.exited;
    throw new Error(`${options.cmd.join(' ')} did not start listening:\n${output}`);
  }
  return serving(child, url, () => output, collected);
}

function serving(
  child: Subprocess<'ignore', 'pipe', 'pipe'>,
  url: string,
  output: () => string,
  collected: Promise<unknown>,
): ServingZekka {
  return {
    url,
    output,
    async stop() {
      child.kill('SIGTERM');
      const code = await child.exited;
      await collected;
      return code;
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
