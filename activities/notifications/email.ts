// Email over SMTP with nodemailer: an HTML and a plain-text part. The Message-ID is derived
// from the ledger key, so a message resent after a crash between "sent" and "marked sent" is
// recognisably the same message to every mail system on the way.
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
  timeoutMs?: number;
}

export function createEmailSender({ smtpUrl, from, timeoutMs = 10_000 }: EmailConfig): EmailSender {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
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
      });
      return { providerRef: info.messageId };
    },
    close: () => transport.close(),
  };
}
