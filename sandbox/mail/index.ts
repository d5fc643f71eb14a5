// A mail catcher for the dev stack and tests: a real SMTP server (smtp-server) that keeps what
// it receives in memory, parsed (mailparser), listed at /_admin/mail (a small viewer) and
// /_admin/mail/messages (JSON). Nothing is relayed anywhere. Like Resend's SMTP service, it
// accepts a message whose Resend-Idempotency-Key it has seen in the last 24 hours without
// delivering it again.
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: number;
  messageId?: string;
  from?: string;
  to: string[];
  subject?: string;
  text?: string;
  html?: string;
  receivedAt: string;
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));

const IDEMPOTENCY_HEADER = 'resend-idempotency-key';
const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export class MailCatcher {
  messages: CaughtMail[] = [];
  /** Messages accepted and not delivered again: their idempotency key had been seen. */
  deduplicated = 0;
  private seenKeys = new Map<string, number>();
  /** Fault: how long the server keeps the client waiting for "250 OK" after storing a message. */
  replyDelayMs = 0;
  private server?: SMTPServer;

  /** Starts the SMTP server; port 0 picks a free one. Returns the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'], // plain SMTP on loopback: no certificate to trust
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            const key = mail.headers.get(IDEMPOTENCY_HEADER);
            if (typeof key === 'string' && this.seen(key)) {
              this.deduplicated++;
              return void setTimeout(callback, this.replyDelayMs);
            }
            this.messages.push({
              id: this.messages.length + 1,
              messageId: mail.messageId,
              from: mail.from?.text,
              to: addresses(mail.to),
              subject: mail.subject,
              text: mail.text,
              html: typeof mail.html === 'string' ? mail.html : undefined,
              receivedAt: new Date().toISOString(),
            });
            setTimeout(callback, this.replyDelayMs);
          })
          .catch(callback);
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  /** Whether the key came within the window; notes it if not. */
  private seen(key: string): boolean {
    const now = Date.now();
    const at = this.seenKeys.get(key);
    if (at !== undefined && now - at < IDEMPOTENCY_WINDOW_MS) return true;
    this.seenKeys.set(key, now);
    return false;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const escape = (text = '') => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The viewer and JSON list of what the catcher received. */
export function mountMailViewer(app: Express, catcher: MailCatcher): void {
  const router = express.Router();
  router.get('/messages', (_req, res) => {
    res.json({ messages: catcher.messages, deduplicated: catcher.deduplicated });
  });
  router.delete('/messages', (_req, res) => {
    catcher.messages = [];
    catcher.deduplicated = 0;
    res.status(204).end();
  });
  router.get('/messages/:id', (req, res) => {
    const mail = catcher.messages.find((m) => String(m.id) === req.params.id);
    if (!mail) return void res.status(404).json({ error: 'not_found', message: 'no such message' });
    res.type('html').send(mail.html ?? `<pre>${escape(mail.text)}</pre>`);
  });
  router.get('/', (_req, res) => {
    const rows = [...catcher.messages]
      .reverse()
      .map(
        (m) =>
          `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.to.join(', '))}</td><td><a href="messages/${m.id}">${escape(m.subject)}</a></td></tr>`,
      );
    res.type('html').send(`<!doctype html><meta charset="utf-8"><title>Sandbox mail</title>
<h1>Mail received by the sandbox (${catcher.messages.length})</h1>
<table border="1" cellpadding="4"><tr><th>Received</th><th>To</th><th>Subject</th></tr>${rows.join('')}</table>`);
  });
  app.use('/_admin/mail', router);
}
