/**
 * @module
 * The `ws.fanout` measurement, for one client count N:
 *
 * 1. a fresh Zekka server (`startZekkaWs`: echo model with a token delay, fd limit raised), seeded with
 *    one conversation and enough viewers for N sockets (the server allows 20 sockets per user per instance
 *    and has no setting for it, so N / 20 users, the owner included);
 * 2. one generation in that conversation before any socket (JIT warm-up), then the server's RSS;
 * 3. one `bun` child (`load/ws-clients.ts`, fd limit raised too) opens the N sockets in batches and
 *    subscribes each to the conversation; after a short settle, the RSS again (growth per idle socket);
 * 4. one message sent (`POST …/messages`, answered by echo in ~`words` deltas), the child collects every
 *    socket's events up to `message:completed`; then the RSS a third time;
 * 5. the server and the child are stopped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from './load/types.ts';
import type { WsClientsConfig, WsClientsReady, WsClientsResult } from './load/ws-clients.ts';
import { track } from './processes.ts';
import type { WsFanoutScenario } from './scenarios.ts';
import { type RunPaths, seedConversations, seedMembers, startZekkaWs, withRaisedFdLimit } from './servers.ts';

/** Sockets the server allows one user on one instance (`maxSocketsPerUser`, no env setting). */
export const SOCKETS_PER_USER = 20;
/** Sockets opened at once by the client process. */
export const CONNECT_BATCH = 200;
/** Wait after the last socket subscribed before reading the idle RSS, so the server has settled. */
const IDLE_SETTLE_MS = 2000;

export interface WsFanoutDetails {
  /** Sockets asked for. */
  clients: number;
  /** Sockets connected and subscribed. */
  connected: number;
  /** Users the sockets were spread over. */
  users: number;
  connectSeconds: number;
  /** Server RSS (VmRSS) in KB: before any socket, with every socket idle, after the generation. */
  rssKb: { before: number; idle: number; after: number };
  /** (idle − before) / connected, in KB. */
  rssPerIdleKb: number;
  /** Events received, all sockets together, and `message:delta` among them. */
  events: number;
  deltas: number;
  /** Deltas of the generation (the most one socket received), and sockets that received fewer. */
  deltasPerSocket: number;
  socketsShort: number;
  /** Sockets that received the whole generation, up to `message:completed`. */
  completed: number;
}

/** VmRSS of `pid`, in KB (Linux `/proc`). */
export function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (match?.[1] === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Reads JSON lines from a child's stdout, one `next()` at a time. */
function lineReader(stream: ReadableStream<Uint8Array>): () => Promise<unknown> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  return async () => {
    while (true) {
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() !== '') return JSON.parse(line);
        continue;
      }
      const { done, value } = await reader.read();
      if (done) throw new Error('the ws client process ended without an answer (see its log)');
      buffered += decoder.decode(value, { stream: true });
    }
  };
}

export async function measureWsFanout(
  scenario: WsFanoutScenario,
  clients: number,
  paths: RunPaths,
): Promise<{ result: LoadResult; details: WsFanoutDetails }> {
  const name = `zekka-ws-${clients}`;
  const zekka = await startZekkaWs(paths, name, scenario.echoTokenDelayMs);
  const pid = zekka.process.proc.pid;
  try {
    const { seed } = zekka;
    await seedConversations(seed, 'fanout', 1);
    const conversationId = seed.conversations.fanout?.[0];
    const projectId = seed.projectIds[0];
    if (conversationId === undefined || projectId === undefined) throw new Error('ws.fanout: seeding failed');
    const users = Math.ceil(clients / SOCKETS_PER_USER);
    const memberTokens = await seedMembers(seed, projectId, users - 1);
    const userTokens = [seed.accessToken, ...memberTokens];
    const tokens = Array.from(
      { length: clients },
      (_, i) => userTokens[Math.floor(i / SOCKETS_PER_USER)] ?? '',
    );

    const content = Array.from({ length: scenario.words }, (_, i) => `word${i + 1}`).join(' ');
    const send = async (): Promise<void> => {
      const response = await fetch(`${seed.baseUrl}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${seed.accessToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content }),
      });
      const text = await response.text();
      if (response.status !== 201) {
        throw new Error(`ws.fanout: POST …/messages answered ${response.status}: ${text.slice(0, 500)}`);
      }
    };
    await send(); // warm-up: the generation path runs once before anything is measured
    await Bun.sleep(500);
    const before = rssKb(pid);

    const proc = Bun.spawn(
      withRaisedFdLimit([process.execPath, join(import.meta.dir, 'load', 'ws-clients.ts')]),
      {
        cwd: paths.repoRoot,
        stdin: 'pipe',
        stdout: 'pipe',
        stderr: Bun.file(join(paths.logDir, `ws-clients-${clients}.log`)),
      },
    );
    track(proc);
    try {
      const next = lineReader(proc.stdout);
      const config: WsClientsConfig = {
        wsUrl: `${seed.baseUrl.replace(/^http/, 'ws')}/ws`,
        tokens,
        topic: `conversation:${conversationId}`,
        batchSize: CONNECT_BATCH,
        timeoutMs: 30_000,
      };
      proc.stdin.write(`${JSON.stringify(config)}\n`);
      await proc.stdin.flush();
      const ready = (await next()) as WsClientsReady;
      await Bun.sleep(IDLE_SETTLE_MS);
      const idle = rssKb(pid);

      const started = performance.now();
      await send();
      proc.stdin.write(`${JSON.stringify({ type: 'collect' })}\n`);
      await proc.stdin.flush();
      const collected = (await next()) as WsClientsResult;
      const elapsed = (performance.now() - started) / 1000;
      const after = rssKb(pid);

      const { deltasPerSocket, socketsShort } = collected;
      const durationSeconds = collected.spanMs > 0 ? collected.spanMs / 1000 : elapsed;
      const problems = [...ready.problems, ...collected.problems];
      if (socketsShort > 0)
        problems.push(`${socketsShort} sockets received fewer than ${deltasPerSocket} deltas`);
      const result: LoadResult = {
        requests: collected.events,
        durationSeconds,
        requestsPerSecond: collected.events / durationSeconds,
        latencyMs: collected.latencyMs,
        non2xx: 0,
        errors: clients - ready.connected,
        problems: [...new Set(problems)].slice(0, 20),
      };
      const details: WsFanoutDetails = {
        clients,
        connected: ready.connected,
        users,
        connectSeconds: ready.connectMs / 1000,
        rssKb: { before, idle, after },
        rssPerIdleKb: ready.connected === 0 ? Number.NaN : (idle - before) / ready.connected,
        events: collected.events,
        deltas: collected.deltas,
        deltasPerSocket,
        socketsShort,
        completed: collected.completed,
      };
      return { result, details };
    } finally {
      proc.stdin.end();
      proc.kill('SIGTERM');
      await proc.exited;
    }
  } finally {
    zekka.process.proc.kill('SIGTERM');
    await Promise.race([zekka.process.proc.exited, Bun.sleep(5000)]);
    zekka.process.proc.kill('SIGKILL');
  }
}
