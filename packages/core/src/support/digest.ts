/**
 * @module digest
 * SHA-256 for tokens and keys at rest. Tokens are high-entropy random strings, so a fast unsalted hash is
 * the right tool (a slow KDF would add latency to every request for no security gain).
 */
import { createHash } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
