/**
 * @module capturing-mailer
 * A `Mailer` that keeps every message, so tests can follow verification and reset links.
 */
import type { Mailer, MailMessage } from '@zekka/core';

export interface CapturingMailer extends Mailer {
  readonly messages: MailMessage[];
  /** Messages sent to `email` (compared case-insensitively), oldest first. */
  sentTo(email: string): MailMessage[];
  /**
   * The one-time token carried by the newest message to `email` whose subject or text matches `about`.
   * Throws when there is no such message, so a missing e-mail fails the test with a clear message.
   */
  tokenFor(email: string, about: RegExp): string;
}

export function createCapturingMailer(): CapturingMailer {
  const messages: MailMessage[] = [];
  const sentTo = (email: string) => messages.filter((m) => m.to.toLowerCase() === email.toLowerCase());
  return {
    messages,
    sentTo,
    async send(message) {
      messages.push(message);
    },
    tokenFor(email, about) {
      const mine = sentTo(email);
      // The subject says what a message is for; the text is only a fallback for terse subjects.
      const message =
        mine.filter((m) => about.test(m.subject)).at(-1) ?? mine.filter((m) => about.test(m.text)).at(-1);
      if (!message) throw new Error(`no e-mail matching ${about} was sent to ${email}`);
      const token = extractToken(message);
      if (!token) throw new Error(`the e-mail to ${email} (${message.subject}) carries no token link`);
      return token;
    },
  };
}

/** The `token` query parameter of the message's link (or of the first URL in its text). */
function extractToken(message: MailMessage): string | null {
  const link = message.link ?? message.text.match(/https?:\/\/\S+/)?.[0];
  if (!link) return null;
  const url = new URL(link);
  return url.searchParams.get('token') ?? (new URLSearchParams(url.hash.slice(1)).get('token') || null);
}
