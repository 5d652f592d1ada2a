/**
 * A small server-sent-events reader for the scale tests: frames `id: <n>` + `data: <json>` + a blank line
 * into `{ id, type, data, error }`, one at a time, from a streaming `fetch` response.
 */
export interface SseEvent {
  id: number | null;
  type: string;
  data: unknown;
  error?: { code: string; message: string };
}

export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffered = '';
  readonly events: SseEvent[] = [];

  constructor(response: Response) {
    if (response.body === null) throw new Error('no body');
    this.reader = response.body.getReader();
  }

  /** The next event, or `null` when the stream ended; rejects after `timeoutMs`. */
  async next(timeoutMs = 15_000): Promise<SseEvent | null> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const end = this.buffered.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 2);
        let id: number | null = null;
        let json = '';
        for (const line of frame.split('\n')) {
          if (line.startsWith('id: ')) id = Number(line.slice(4));
          else if (line.startsWith('data: ')) json += line.slice(6);
        }
        const parsed = JSON.parse(json) as { type: string; data?: unknown; error?: SseEvent['error'] };
        const event: SseEvent = { id, type: parsed.type, data: parsed.data ?? null };
        if (parsed.error) event.error = parsed.error;
        this.events.push(event);
        return event;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return null;
      this.buffered += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** Reads until the stream ends (or `done`/`error`), returning every event read by this reader. */
  async rest(timeoutMs = 30_000): Promise<SseEvent[]> {
    while (true) {
      const event = await this.next(timeoutMs);
      if (event === null || event.type === 'done' || event.type === 'error') return this.events;
    }
  }

  /** Stops reading (the client goes away). */
  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}
