/**
 * @module test/support/collect-model-stream
 * Drains a `ModelHandle` stream for assertions: the deltas, the finish part, and the error that ended it.
 */
import type { ModelHandle, ModelRegistry, ModelStreamPart } from '@zekka/core';

export type FinishPart = Extract<ModelStreamPart, { type: 'finish' }>;

export interface CollectedStream {
  deltas: string[];
  text: string;
  finish: FinishPart | null;
  /** Parts after the first `finish` (there must be none). */
  extraParts: ModelStreamPart[];
  error: unknown;
  /** Milliseconds from the start until the stream ended. */
  elapsedMs: number;
}

/** Reads `stream` to its end; `onDelta` runs after each delta (e.g. to abort after the n-th). */
export async function collectModelStream(
  stream: AsyncIterable<ModelStreamPart>,
  onDelta?: (count: number) => void,
): Promise<CollectedStream> {
  const started = performance.now();
  const collected: CollectedStream = {
    deltas: [],
    text: '',
    finish: null,
    extraParts: [],
    error: null,
    elapsedMs: 0,
  };
  try {
    for await (const part of stream) {
      if (collected.finish !== null) collected.extraParts.push(part);
      else if (part.type === 'finish') collected.finish = part;
      else {
        collected.deltas.push(part.text);
        onDelta?.(collected.deltas.length);
      }
    }
  } catch (error) {
    collected.error = error;
  }
  collected.text = collected.deltas.join('');
  collected.elapsedMs = performance.now() - started;
  return collected;
}

/** The handle for `id`; fails the test when the registry does not have it. */
export function handleOf(registry: ModelRegistry, id: string): ModelHandle {
  const handle = registry.resolve(id);
  if (handle === null) throw new Error(`${id} is not configured`);
  return handle;
}
