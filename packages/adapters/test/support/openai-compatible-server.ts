/**
 * @module test/support/openai-compatible-server
 * A local OpenAI-compatible server for tests: `POST /v1/chat/completions` (plain JSON, or SSE with
 * `stream: true`, ending in a usage chunk when `stream_options.include_usage` is set) and `GET /v1/models`,
 * on `Bun.serve` port 0. Each test scripts the replies — text, usage, pacing, HTTP errors, a hang, a stall
 * or a dropped connection mid-stream — and reads back the requests it received. Nothing leaves the machine.
 *
 * @example
 * const server = startOpenAICompatibleServer();
 * server.reply({ text: 'Hi there', usage: { promptTokens: 12, completionTokens: 3 } });
 * const provider = createOpenAICompatible({ name: 'local', baseURL: server.url, includeUsage: true });
 * // … call the model, then:
 * expect(server.requests[0]?.body.messages).toEqual([{ role: 'user', content: 'Hello' }]);
 * await server.close();
 */

/** Usage numbers the server reports, in the OpenAI wire format's terms. */
export interface ScriptedUsage {
  promptTokens: number;
  completionTokens: number;
  /** Sent as `prompt_tokens_details.cached_tokens` (part of `promptTokens`). */
  cachedTokens?: number;
  /** Sent as `completion_tokens_details.reasoning_tokens` (part of `completionTokens`). */
  reasoningTokens?: number;
}

/** How the server answers one chat completion request. Every field is optional. */
export interface ScriptedReply {
  /** The answer. @default 'Hello from the local model.' */
  text?: string;
  /** How `text` is cut into stream chunks. @default words, each with the whitespace before it */
  chunks?: string[];
  /** @default prompt = 10, completion = number of chunks */
  usage?: ScriptedUsage;
  /** @default 'stop' */
  finishReason?: 'stop' | 'length';
  /** Pause before each streamed chunk (and before a non-streamed answer). @default 0 */
  chunkDelayMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body instead. */
  status?: number;
  /** Accept the request and never answer (not even headers), until the server closes. */
  hang?: boolean;
  /** Stream this many content chunks, then stop sending while keeping the connection open. */
  stallAfterChunks?: number;
  /** Stream this many content chunks, then drop the connection without finishing the response. */
  disconnectAfterChunks?: number;
}

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body; `null` for requests without one. */
  // biome-ignore lint/suspicious/noExplicitAny: test glue — assertions read arbitrary wire fields.
  body: any;
  /** True once the client went away before a streamed answer ended (an abort, a consumer that stopped). */
  cancelled: boolean;
}

export interface OpenAICompatibleTestServer {
  /** Base URL to give a provider, ending in `/v1`. */
  readonly url: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Sets the reply for every later request (replaces the previous default). */
  reply(reply: ScriptedReply): void;
  /** Queues a reply for the next request only; queued replies are used before the default, in order. */
  replyOnce(reply: ScriptedReply): void;
  /** Forgets the recorded requests, the queue and the default reply. */
  reset(): void;
  /** Stops the server, dropping open connections (hung requests included). */
  close(): Promise<void>;
}

export interface OpenAICompatibleTestServerOptions {
  /** Ids listed by `GET /v1/models`. @default ['llama3.1'] */
  models?: string[];
}

const DEFAULT_TEXT = 'Hello from the local model.';
const encoder = new TextEncoder();

export function startOpenAICompatibleServer(
  options: OpenAICompatibleTestServerOptions = {},
): OpenAICompatibleTestServer {
  const models = options.models ?? ['llama3.1'];
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  let fallbackReply: ScriptedReply = {};
  // Settled on close so that hung handlers finish and the server can stop.
  const { promise: closed, resolve: markClosed } = Promise.withResolvers<void>();

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    // A hung or stalled request must stay open for as long as the test wants, not Bun's idle default.
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const text = await request.text();
      const recorded: RecordedRequest = {
        method: request.method,
        path: url.pathname,
        headers: Object.fromEntries(request.headers),
        body: text === '' ? null : JSON.parse(text),
        cancelled: false,
      };
      requests.push(recorded);
      if (request.method === 'GET' && url.pathname === '/v1/models') {
        return Response.json({
          object: 'list',
          data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'local' })),
        });
      }
      if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
        return errorResponse(404, `No route for ${request.method} ${url.pathname}`);
      }
      const reply = queue.shift() ?? fallbackReply;
      const body = recorded.body;
      if (reply.hang) {
        await closed;
        return errorResponse(503, 'server closed');
      }
      if (reply.status !== undefined) return errorResponse(reply.status, `Scripted failure ${reply.status}`);
      const model = typeof body?.model === 'string' ? body.model : 'unknown';
      if (body?.stream === true) {
        return streamResponse(reply, model, body.stream_options?.include_usage === true, closed, recorded);
      }
      if (reply.chunkDelayMs) await Bun.sleep(reply.chunkDelayMs);
      return Response.json(completion(reply, model));
    },
  });

  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    requests,
    reply(reply) {
      fallbackReply = reply;
    },
    replyOnce(reply) {
      queue.push(reply);
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
      fallbackReply = {};
    },
    async close() {
      markClosed();
      await server.stop(true);
    },
  };
}

function errorResponse(status: number, message: string): Response {
  return Response.json({ error: { message, type: 'server_error', code: null } }, { status });
}

function chunksOf(reply: ScriptedReply): string[] {
  return reply.chunks ?? (reply.text ?? DEFAULT_TEXT).match(/\s*\S+/g) ?? [];
}

function usageOf(reply: ScriptedReply) {
  const usage = reply.usage ?? { promptTokens: 10, completionTokens: chunksOf(reply).length };
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

function completion(reply: ScriptedReply, model: string) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: chunksOf(reply).join('') },
        finish_reason: reply.finishReason ?? 'stop',
      },
    ],
    usage: usageOf(reply),
  };
}

function streamResponse(
  reply: ScriptedReply,
  model: string,
  includeUsage: boolean,
  closed: Promise<void>,
  recorded: RecordedRequest,
): Response {
  const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model };
  const sse = (data: unknown) =>
    encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  const chunks = chunksOf(reply);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (const [index, content] of chunks.entries()) {
        if (index === reply.stallAfterChunks) {
          await closed;
          controller.close();
          return;
        }
        if (index === reply.disconnectAfterChunks) {
          // Let the chunks already queued reach the client first; erroring the body then resets the
          // connection (no terminating chunk), which clients see as a network failure.
          await Bun.sleep(20);
          controller.error();
          return;
        }
        if (reply.chunkDelayMs) await Bun.sleep(reply.chunkDelayMs);
        if (recorded.cancelled) return;
        const delta = index === 0 ? { role: 'assistant', content } : { content };
        controller.enqueue(sse({ ...base, choices: [{ index: 0, delta, finish_reason: null }] }));
      }
      controller.enqueue(
        sse({ ...base, choices: [{ index: 0, delta: {}, finish_reason: reply.finishReason ?? 'stop' }] }),
      );
      if (includeUsage) controller.enqueue(sse({ ...base, choices: [], usage: usageOf(reply) }));
      controller.enqueue(sse('[DONE]'));
      controller.close();
    },
    cancel() {
      recorded.cancelled = true;
    },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
  });
}
