/**
 * @module formats
 * TypeBox validates `format` only for formats registered in its `FormatRegistry`. Register the ones our
 * schemas use, once, unless a host (Elysia does) registered its own first.
 */
import { FormatRegistry } from '@sinclair/typebox';

const EMAIL =
  /^[^\s@"<>()[\],;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i;

const formats: Record<string, (value: string) => boolean> = {
  email: (value) => EMAIL.test(value),
  'date-time': (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
  uri: (value) => URL.canParse(value),
};

/**
 * Registers the formats (once; formats a host registered first are kept). Called before the first
 * validation rather than on import, so bundlers that drop side-effect-only imports cannot skip it.
 */
export function registerFormats(): void {
  for (const [name, check] of Object.entries(formats)) {
    if (!FormatRegistry.Has(name)) FormatRegistry.Set(name, check);
  }
}
