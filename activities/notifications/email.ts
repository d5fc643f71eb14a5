// Email over SMTP with nodemailer: an HTML and a plain-text part. SMTP itself cannot say whether
// a message whose "250 OK" never arrived was stored (RFC 1047), so each message carries the ledger
// key twice: as its Message-ID, recognisably the same message to every mail system on the way,
// and in the provider's idempotency header, which makes a provider that honours one (Resend:
// Resend-Idempotency-Key, kept 24 h) deliver a resent message once.
import nodemailer from 'nodemailer';
import type { RenderedMessage } from './templates';

export interface EmailSender {
  send(message: { to: string; ledgerKey: string; content: RenderedMessage }): Promise<{ providerRef: string }>;
  close(): void;
}

export interface EmailConfig {
  /** smtp://user:pass@host:port or smtps://… */
  smtpUrl: string;
  /** "Shop <orders@shop.example>" */
  from: string;
  /** To connect and be greeted: nothing is sent yet, so giving up early and retrying is harmless. */
  timeoutMs?: number;
  /**
   * For each reply once the conversation is under way, above all the one that accepts the message.
   * A server that stored the message but answers late must be waited for: giving up and retrying
   * sends it twice (RFC 1047).
   */
  replyTimeoutMs?: number;
  /** The header the mail provider reads an idempotency key from; empty: none is sent. */
  idempotencyHeader?: string;
}

/** Resend's, for SMTP (resend.com/docs/dashboard/emails/idempotency-keys); keys up to 256 characters. */
export const DEFAULT_IDEMPOTENCY_HEADER = 'Resend-Idempotency-Key';

/**
 * The wait for the reply to the message's final dot: 50 s, inside the notice attempt's 60 s
 * (workflows/definitions.ts) so the attempt ends on the server's answer, not on Temporal's timeout.
 * RFC 5321 §4.5.3.2.6 suggests up to 10 minutes; a notice held that long is late news, and a
 * 12-minute attempt stalled the Java test server's time skipping.
 */
export const SMTP_REPLY_TIMEOUT_MS = 50_000;

export function createEmailSender({
  smtpUrl,
  from,
  timeoutMs = 10_000,
  replyTimeoutMs = SMTP_REPLY_TIMEOUT_MS,
  idempotencyHeader = DEFAULT_IDEMPOTENCY_HEADER,
}: EmailConfig): EmailSender {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: replyTimeoutMs,
  });
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'order-engine.local';
  return {
    async send({ to, ledgerKey, content }) {
      const info = await transport.sendMail({
        from,
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${ledgerKey.replace(/[^A-Za-z0-9._-]/g, '.')}@${domain}>`,
        headers: idempotencyHeader ? { [idempotencyHeader]: ledgerKey.slice(0, 256) } : {},
      });
      return { providerRef: info.messageId };
    },
    close: () => transport.close(),
  };
}
