// Customers who do not want our email or SMS: the OMS (or ops) records the wish here, and every
// later notification on that channel is skipped (and recorded as skipped in the ledger).
import { Router } from 'express';
import { z } from 'zod';
import { email, text } from '../domain/order';
import type { Pool } from 'pg';
import { toE164 } from '../lib/phone';
import { HttpError } from './errors';
import { parse } from './validation';

export const OptOutBody = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('email'), address: email() }),
  z.object({
    channel: z.literal('sms'),
    address: text(32, { min: 3 }).describe('the phone number; E.164, or national with `country`'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as TR')
      .default('TR'),
  }),
]);

/** The address as the ledger compares it: lower-case email, E.164 phone. */
function normalized(body: z.infer<typeof OptOutBody>): string {
  if (body.channel === 'email') return body.address.toLowerCase();
  const phone = toE164(body.address, body.country);
  if (!phone)
    throw new HttpError(400, 'validation_failed', 'invalid body: address: not a valid phone number', {
      issues: [{ path: 'address', message: 'not a valid phone number' }],
    });
  return phone;
}

export function optOutsRouter({ pool }: { pool: Pool }): Router {
  const router = Router();

  router.put('/', async (req, res) => {
    const body = parse(OptOutBody, req.body);
    const address = normalized(body);
    await pool.query('INSERT INTO notification_opt_outs (channel, address) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      body.channel,
      address,
    ]);
    res.json({ channel: body.channel, address, optedOut: true });
  });

  router.delete('/', async (req, res) => {
    const body = parse(OptOutBody, req.body);
    const address = normalized(body);
    await pool.query('DELETE FROM notification_opt_outs WHERE channel = $1 AND address = $2', [body.channel, address]);
    res.json({ channel: body.channel, address, optedOut: false });
  });

  return router;
}
