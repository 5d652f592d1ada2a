/**
 * @module
 * The bare-Elysia reference the benchmark divides by: one route, no plugins, no database. Zekka's figures
 * are reported as a ratio to this server's req/s measured in the same run, on the same machine, with the
 * same load generator, so the noise of a shared machine cancels out.
 *
 * Started by `bench/run.ts` in its own process: `PORT=<port> bun bench/reference-server.ts`.
 */
import { Elysia } from 'elysia';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('reference-server: PORT must be set to a port number');
  process.exit(1);
}

// A fresh object per request, like a real handler, so serialisation is part of the work measured.
const app = new Elysia()
  .get('/ref', () => ({
    success: true,
    data: { id: '01920000-0000-7000-8000-000000000001', name: 'Reference' },
  }))
  .listen({ hostname: '127.0.0.1', port });

process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
