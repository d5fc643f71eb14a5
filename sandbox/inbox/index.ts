// A webhook subscriber for the dev stack: stands in for an OMS receiving our outbound webhooks.
// POST /inbox/<name> checks the Signature header (t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "t.body">) against the name's secret and keeps every delivery, listed at
// /_admin/inbox/deliveries. Faults (/_admin/inbox/faults) make it a flaky subscriber.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Response } from 'express';
import { RecordsState, recordsAdminRouter } from '../admin';
import { injectFaults } from '../faults';

/** Development-only: the dev stack's outbound webhook subscriber "oms" signs with this. */
export const SANDBOX_INBOX_SECRETS: Record<string, string> = { oms: 'oms-webhook-secret-dev-only' };

export interface InboxDelivery {
  inbox: string;
  eventId?: string;
  type?: string;
  signatureValid: boolean;
  /** The Signature header and the raw body, as received: what a receiver verifies. */
  signature?: string;
  raw: string;
  body: unknown;
  receivedAt: string;
}

export class InboxState extends RecordsState<InboxDelivery> {
  /** Every delivery received, in order. */
  get deliveries(): InboxDelivery[] {
    return this.records;
  }
}

function signatureValid(secret: string | undefined, header: string | undefined, raw: Buffer): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
  if (!secret || !parts.t || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.`).update(raw).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const fail = (res: Response, status: number, message: string) => {
  res.status(status).json({ error: 'subscriber_error', message });
};

export function mountInbox(app: Express, secrets = SANDBOX_INBOX_SECRETS): InboxState {
  const state = new InboxState();
  app.post('/inbox/:name', injectFaults(state.faults, 'receive', fail), express.raw({ type: '*/*' }), (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const inbox = String(req.params.name);
    const valid = signatureValid(secrets[inbox], req.get('signature'), raw);
    let body: { id?: string; type?: string } | undefined;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    state.deliveries.push({
      inbox,
      eventId: body?.id,
      type: body?.type,
      signatureValid: valid,
      signature: req.get('signature'),
      raw: raw.toString('utf8'),
      body,
      receivedAt: new Date().toISOString(),
    });
    res.status(valid ? 204 : 401).end();
  });
  app.use('/_admin/inbox', recordsAdminRouter(state, 'receive', 'deliveries'));
  return state;
}
