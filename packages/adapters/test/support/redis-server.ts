/**
 * A private `redis-server` for fault tests: on a free port, without persistence, owned by the test so it can
 * be killed (SIGKILL, as a crash) and started again on the same port.
 */
import { createServer, Socket } from 'node:net';

export interface PrivateRedis {
  port: number;
  url: string;
  /** SIGKILLs the server and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (empty: nothing was persisted). */
  restart(): Promise<void>;
}

/** Whether a `redis-server` binary is on the PATH. */
export const hasRedisServer = (): boolean => Bun.which('redis-server') !== null;

/** Starts `redis-server` on a free port and resolves once it answers `PING`. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ReturnType<typeof Bun.spawn> | null = null;
  const start = async () => {
    child = Bun.spawn(
      ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdout: 'ignore', stderr: 'ignore' },
    );
    await waitForPong(port, 10_000);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const running = child;
      child = null;
      if (running === null) return;
      running.kill('SIGKILL');
      await running.exited;
    },
    restart: start,
  };
}

/** A port nothing listens on right now (the OS picks it; closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await pong(port)) return;
    await Bun.sleep(25);
  }
  throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
}

/** One raw `PING` over TCP: true on `+PONG`. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}
