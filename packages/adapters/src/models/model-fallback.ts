/**
 * @module models/model-fallback
 * The registry's wrapper around every handle: it stamps the id of the model that answered on the `finish`
 * part and, when a fallback model is configured, retries a call once on it if the first model fails before
 * producing any text. After the first delta the caller has already seen part of an answer, so a failure
 * then is thrown as it is.
 */
import {
  isZekkaError,
  type Logger,
  type ModelHandle,
  type ModelRequest,
  type ModelStreamPart,
  ZekkaError,
} from '@zekka/core';

export function withFallback(
  primary: ModelHandle,
  fallback: ModelHandle | null,
  logger: Logger,
): ModelHandle {
  const usable = fallback !== null && fallback.info.id !== primary.info.id ? fallback : null;
  return { info: primary.info, stream: (request) => streamWithFallback(primary, usable, request, logger) };
}

async function* streamWithFallback(
  primary: ModelHandle,
  fallback: ModelHandle | null,
  request: ModelRequest,
  logger: Logger,
): AsyncGenerator<ModelStreamPart> {
  let answered = false;
  let primaryError: ZekkaError;
  try {
    for await (const part of primary.stream(request)) {
      if (part.type === 'delta') answered = true;
      yield stamp(part, primary.info.id);
    }
    return;
  } catch (error) {
    const retryable = isZekkaError(error) && error.code === 'MODEL_UNAVAILABLE';
    if (!retryable || answered || fallback === null || request.signal?.aborted) throw error;
    primaryError = error;
  }
  logger.warn('model unavailable before its first token; answering with the fallback model', {
    model: primary.info.id,
    fallback: fallback.info.id,
    cause: describe(primaryError.cause),
  });
  try {
    for await (const part of fallback.stream(request)) yield stamp(part, fallback.info.id);
  } catch (error) {
    throw new ZekkaError('MODEL_UNAVAILABLE', `${primary.info.id} is unavailable`, {
      cause: new AggregateError([primaryError, error], 'the model and its fallback both failed'),
    });
  }
}

function stamp(part: ModelStreamPart, model: string): ModelStreamPart {
  return part.type === 'finish' ? { ...part, model } : part;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
