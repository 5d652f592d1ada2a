import type { Logger, Mailer } from '../ports/services.ts';

/**
 * The default `Mailer`: logs the recipient, subject and link instead of sending. Good for development and
 * for a fresh install with no mail server; production hosts plug in a real one.
 */
export function createLogMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.info('mail (not sent: no mailer configured)', {
        to: message.to,
        subject: message.subject,
        link: message.link,
      });
    },
  };
}
