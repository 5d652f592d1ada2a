/**
 * @module tcp-proxy
 * A TCP proxy in front of Postgres that a test can cut and resume, to play a database that goes away
 * (a restart, a failover, a network partition) and comes back on the same address. While cut, the port
 * refuses connections and every proxied connection is closed, which is what clients of a restarting
 * Postgres see.
 */
import type { Socket, TCPSocketListener } from 'bun';

export interface TcpProxy {
  /** The local port clients connect to; it stays the same across `cut()` and `resume()`. */
  readonly port: number;
  /** Closes every proxied connection and stops listening: new connections are refused. */
  cut(): void;
  /** Listens again on the same port. */
  resume(): void;
  /** Like `cut()`, for good. */
  close(): void;
}

interface Link {
  /** The other side, once connected. */
  peer: Socket<Link> | undefined;
  /** Bytes waiting for the peer (not connected yet, or its buffer was full). */
  pending: Uint8Array[];
}

/** Forwards `127.0.0.1:<port>` to `target`. */
export function startTcpProxy(target: { host: string; port: number }): TcpProxy {
  const sockets = new Set<Socket<Link>>();
  let listener: TCPSocketListener<Link> | undefined;

  const forward = (from: Link, chunk: Uint8Array): void => {
    if (from.peer === undefined || from.pending.length > 0) from.pending.push(chunk);
    else write(from, chunk);
  };
  const write = (from: Link, chunk: Uint8Array): void => {
    const peer = from.peer;
    if (peer === undefined) return;
    const written = peer.write(chunk);
    if (written < 0) return; // the peer is closed; its close handler tears the pair down
    if (written < chunk.byteLength) from.pending.unshift(chunk.slice(written));
  };
  const flush = (from: Link): void => {
    while (from.peer !== undefined && from.pending.length > 0) {
      const chunk = from.pending.shift();
      if (chunk === undefined) break;
      const before = from.pending.length;
      write(from, chunk);
      if (from.pending.length > before) break; // the peer is full; its drain calls us again
    }
  };
  const track = (socket: Socket<Link>): void => {
    sockets.add(socket);
  };
  const drop = (socket: Socket<Link>): void => {
    sockets.delete(socket);
    socket.data.peer?.end();
  };

  const listen = (port: number): TCPSocketListener<Link> =>
    Bun.listen<Link>({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(client) {
          client.data = { peer: undefined, pending: [] };
          track(client);
          Bun.connect<Link>({
            hostname: target.host,
            port: target.port,
            data: { peer: client, pending: [] },
            socket: {
              open(upstream) {
                track(upstream);
                client.data.peer = upstream;
                flush(client.data);
              },
              data: (upstream, chunk) => forward(upstream.data, new Uint8Array(chunk)),
              drain: () => flush(client.data),
              close: drop,
              error: drop,
            },
          }).catch(() => client.end());
        },
        // A copy: Bun may reuse the buffer it hands to `data` once the handler returns.
        data: (client, chunk) => forward(client.data, new Uint8Array(chunk)),
        drain: (client) => {
          if (client.data.peer !== undefined) flush(client.data.peer.data);
        },
        close: drop,
        error: drop,
      },
    });

  listener = listen(0);
  const port = listener.port;
  const cut = (): void => {
    listener?.stop(true);
    listener = undefined;
    for (const socket of sockets) socket.terminate();
    sockets.clear();
  };
  return {
    port,
    cut,
    resume() {
      listener ??= listen(port);
    },
    close: cut,
  };
}
