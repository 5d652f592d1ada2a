/**
 * @module models/sdk-model
 * A `ModelHandle` over one AI SDK language model, streamed with `streamText`.
 *
 * - Text deltas become `delta` parts; the call ends with exactly one `finish` part carrying the normalized
 *   usage the provider reported.
 * - Every provider failure — an HTTP error, a network error, a dropped stream, an error event, a timeout —
 *   is thrown from the iteration as `ZekkaError('MODEL_UNAVAILABLE')` with the original as `cause`.
 *   Timeouts are enforced by a watchdog (`model-timeouts.ts`) so that no call can hang.
 * - An abort through `request.signal` ends the stream with `finish` / `aborted`. Its usage is what the SDK
 *   reported for the call if it did (a step that had finished); otherwise — the usual case, since a
 *   cancelled stream never receives the provider's usage — it is an estimate: output from the text produced
 *   so far and input from the prompt, both with `estimateTokens`. Estimates are used only then.
 */
import {
  type ChatTurn,
  type ModelHandle,
  type ModelInfo,
  type ModelRequest,
  type ModelStreamPart,
  ZekkaError,
} from '@zekka/core';
import { type LanguageModel, type LanguageModelUsage, type ModelMessage, streamText } from 'ai';
import { type ModelTimeouts, startStreamWatchdog } from './model-timeouts.ts';
import { countPromptTokens, estimateTokens } from './token-estimate.ts';
import { toFinishReason, toTokenUsage } from './usage-mapping.ts';

/** An AI SDK model object (a model id string would route through the Vercel gateway, which we never do). */
export type SdkLanguageModel = Exclude<LanguageModel, string>;

export interface SdkModelSettings {
  timeouts: ModelTimeouts;
  /** Retries of a failed request before the first byte of the answer (the SDK's `maxRetries`). */
  maxRetries: number;
}

/** The `MODEL_UNAVAILABLE` error for `modelId`, keeping what went wrong as `cause`. */
export function modelUnavailable(modelId: string, cause: unknown): ZekkaError {
  return new ZekkaError('MODEL_UNAVAILABLE', `${modelId} is unavailable`, { cause });
}

export function createSdkModelHandle(
  info: ModelInfo,
  model: SdkLanguageModel,
  settings: SdkModelSettings,
): ModelHandle {
  return { info, stream: (request) => streamSdkModel(info, model, settings, request) };
}

async function* streamSdkModel(
  info: ModelInfo,
  model: SdkLanguageModel,
  settings: SdkModelSettings,
  request: ModelRequest,
): AsyncGenerator<ModelStreamPart> {
  if (request.signal?.aborted) {
    // Nothing was sent, so nothing was consumed.
    yield { type: 'finish', reason: 'aborted', usage: toTokenUsage(emptyUsage()) };
    return;
  }
  const watchdog = startStreamWatchdog(settings.timeouts);
  const signal = request.signal ? AbortSignal.any([request.signal, watchdog.signal]) : watchdog.signal;
  let produced = '';
  let reported: LanguageModelUsage | undefined;
  let finish: ModelStreamPart | undefined;
  let failure: unknown;
  try {
    const result = streamText({
      model,
      instructions: request.system,
      messages: request.messages.map(toModelMessage),
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature,
      maxRetries: settings.maxRetries,
      abortSignal: signal,
      // Errors reach us as `error` parts (or a thrown error); the SDK's default handler would also log them.
      onError: () => {},
    });
    stream: for await (const part of result.stream) {
      switch (part.type) {
        case 'text-delta':
          if (part.text === '') break;
          produced += part.text;
          // Time the consumer spends on a delta is not the provider's: the between-token clock waits.
          watchdog.hold();
          yield { type: 'delta', text: part.text };
          watchdog.progress();
          break;
        case 'reasoning-delta':
          watchdog.progress();
          break;
        case 'finish-step':
          reported = part.usage;
          break;
        case 'finish':
          finish = {
            type: 'finish',
            reason: toFinishReason(part.finishReason),
            usage: toTokenUsage(part.totalUsage),
          };
          break stream;
        case 'error':
          throw part.error;
        case 'abort':
          failure = new Error(part.reason ?? 'the model call was aborted');
          break;
      }
    }
    if (finish === undefined) failure ??= new Error('the model stream ended without finishing');
  } catch (error) {
    failure = error;
  } finally {
    watchdog.stop();
  }
  if (finish !== undefined) {
    yield finish;
    return;
  }
  // The caller's stop wins over a limit that fired while the call was winding down.
  if (request.signal?.aborted) {
    const usage = reported ?? {
      ...emptyUsage(),
      inputTokens: countPromptTokens(request, estimateTokens),
      outputTokens: estimateTokens(produced),
    };
    yield { type: 'finish', reason: 'aborted', usage: toTokenUsage(usage) };
    return;
  }
  throw modelUnavailable(info.id, watchdog.timeout ?? failure);
}

function toModelMessage(turn: ChatTurn): ModelMessage {
  return { role: turn.role, content: turn.content };
}

function emptyUsage(): LanguageModelUsage {
  return {
    inputTokens: undefined,
    inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
    outputTokens: undefined,
    outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
    totalTokens: undefined,
  };
}
