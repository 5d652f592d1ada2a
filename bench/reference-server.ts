/**
 * @module
 * The bare-Elysia reference the benchmark divides by: `GET /ref`, no plugins, no database. Zekka's figures
 * are reported as a ratio to this server's req/s measured in the same run, on the same machine, with the
 * same load generator, so the noise of a shared machine cancels out.
 *
 * It also serves the storage floor under `message.send`, `POST /floor/messages` (see `writes-floor.ts`),
 * on a SQLite file in `FLOOR_DIR`; idle, it costs `GET /ref` nothing.
 *
 * Started by `bench/run.ts` in its own process: `PORT=<port> FLOOR_DIR=<dir> bun bench/reference-server.ts`.
 */
import { join } from 'node:path';
import { Elysia } from 'elysia';
import { openWritesFloor } from './writes-floor.ts';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('reference-server: PORT must be set to a port number');
  process.exit(1);
}

const floorDir = process.env.FLOOR_DIR;
if (floorDir === undefined || floorDir === '') {
  console.error('reference-server: FLOOR_DIR must name a directory for the floor database');
  process.exit(1);
}
const floor = await openWritesFloor(join(floorDir, 'floor.db'));

// A fresh object per request, like a real handler, so serialisation is part of the work measured.
const app = new Elysia()
  .get('/ref', () => ({
    success: true,
    data: { id: '01920000-0000-7000-8000-000000000001', name: 'Reference' },
  }))
  .post('/floor/messages', async ({ body, status }) => {
    const { content } = body as { content: string };
    return status(201, { success: true, data: await floor.send(content) });
  })
  .listen({ hostname: '127.0.0.1', port });

process.on('SIGTERM', () => {
  void app
    .stop()
    .then(() => floor.close())
    .then(() => process.exit(0));
});
