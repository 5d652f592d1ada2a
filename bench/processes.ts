/**
 * @module
 * What the runner leaves running or lying around: the servers under test, wrk, and scratch folders. Each
 * is tracked so that it is stopped or removed however the runner ends (done, an error, Ctrl-C), and a
 * server's output goes to a log file whose tail is shown when it fails to start.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subprocess } from 'bun';

const children = new Set<Subprocess>();
const scratchDirs = new Set<string>();

/** A fresh folder under the OS temp dir, removed by {@link removeScratchDir} or when the runner exits. */
export function makeScratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.add(dir);
  return dir;
}

export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  scratchDirs.delete(dir);
}

/** Registers a process to be stopped by {@link stopAll} or, at the latest, when the runner exits. */
export function track(proc: Subprocess): Subprocess {
  children.add(proc);
  void proc.exited.then(() => children.delete(proc));
  return proc;
}

/** SIGTERM to every tracked process, then SIGKILL to those still running after `graceMs`. */
export async function stopAll(graceMs = 3000): Promise<void> {
  const running = [...children];
  for (const proc of running) proc.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  await Promise.race([Promise.all(running.map((proc) => proc.exited)), timeout]);
  for (const proc of children) proc.kill('SIGKILL');
}

/** Last resort for paths that cannot await, such as `process.on('exit')`: kills and removes everything. */
export function cleanUpNow(): void {
  for (const proc of children) proc.kill('SIGKILL');
  for (const dir of scratchDirs) removeScratchDir(dir);
}

export interface ServerProcess {
  readonly name: string;
  readonly proc: Subprocess;
  readonly logPath: string;
}

/** Starts a long-running server with stdout and stderr appended to `logPath`. */
export function spawnServer(
  name: string,
  cmd: string[],
  options: { cwd: string; env: Record<string, string | undefined>; logPath: string },
): ServerProcess {
  const fd = openSync(options.logPath, 'w');
  try {
    const proc = Bun.spawn(cmd, {
      cwd: options.cwd,
      env: options.env,
      stdin: 'ignore',
      stdout: fd,
      stderr: fd,
    });
    return { name, proc: track(proc), logPath: options.logPath };
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
}

/** The last `lines` lines of a server's log, for error messages. */
export function logTail(server: ServerProcess, lines = 30): string {
  try {
    const text = readFileSync(server.logPath, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Asks the OS for a free TCP port on 127.0.0.1. Another process could take it before we use it; unlikely. */
export function freePort(): number {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);
  return port;
}

/**
 * Polls `url` until it answers 200, failing early if the server process exits.
 * @default timeoutMs 30000
 */
export async function waitForOk(server: ServerProcess, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) {
      throw new Error(
        `${server.name} exited (code ${server.proc.exitCode ?? server.proc.signalCode}) before ${url} answered.\n` +
          `Last lines of ${server.logPath}:\n${logTail(server)}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await Bun.sleep(100);
  }
  throw new Error(
    `${server.name} did not answer 200 at ${url} within ${timeoutMs} ms (${lastProblem}).\n` +
      `Last lines of ${server.logPath}:\n${logTail(server)}`,
  );
}
