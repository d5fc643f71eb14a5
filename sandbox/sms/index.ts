// A fake SMS gateway for the dev stack and tests: POST /sms/v1/messages with a bearer key and an
// Idempotency-Key (a resend with the same key is answered, not sent again), and the messages
// "sent" listed under /_admin/sms/messages. Faults as for the carriers (/_admin/sms/faults).
import { randomUUID } from 'node:crypto';
import express, { type Express, type Response } from 'express';
import { z } from 'zod';
import { RecordsState, recordsAdminRouter } from '../admin';
import { injectFaults } from '../faults';

/** Development-only key; the engine's SMS_API_KEY default. */
export const SANDBOX_SMS_API_KEY = 'sandbox-sms-key-dev-only';

export interface SmsMessage {
  id: string;
  to: string;
  from: string;
  text: string;
  idempotencyKey: string;
  sentAt: string;
}

const MessageSchema = z.object({
  to: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +905321234567'),
  from: z.string().min(1).max(11),
  text: z.string().min(1).max(918),
});

export class SmsState extends RecordsState<SmsMessage> {
  /** Every message "sent", in order. */
  get messages(): SmsMessage[] {
    return this.records;
  }
}

const fail = (res: Response, status: number, message: string) => {
  res.status(status).json({ error: status === 401 ? 'unauthorized' : status >= 500 ? 'gateway_error' : 'invalid_request', message });
};

export function mountSms(app: Express, apiKey = SANDBOX_SMS_API_KEY): SmsState {
  const state = new SmsState();
  const router = express.Router();
  router.use(express.json());
  router.post('/v1/messages', injectFaults(state.faults, 'send', fail), (req, res) => {
    if (req.get('authorization') !== `Bearer ${apiKey}`) return fail(res, 401, 'unknown API key');
    const idempotencyKey = req.get('idempotency-key');
    if (!idempotencyKey) return fail(res, 400, 'Idempotency-Key header is required');
    const known = state.messages.find((m) => m.idempotencyKey === idempotencyKey);
    if (known) return res.status(200).json({ id: known.id, status: 'queued', duplicate: true });
    const parsed = MessageSchema.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const message = { id: `sms_${randomUUID()}`, ...parsed.data, idempotencyKey, sentAt: new Date().toISOString() };
    state.messages.push(message);
    return res.status(201).json({ id: message.id, status: 'queued' });
  });
  app.use('/sms', router);
  app.use('/_admin/sms', recordsAdminRouter(state, 'send', 'messages'));
  return state;
}
