// GET /track/:trackingNumber: the public tracking page, no API key. HTML in English or Turkish
// by Accept-Language, or JSON with Accept: application/json. Read from the records, never from
// a workflow, and only the columns a stranger holding the number may see.
import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { HttpError, validationError } from './errors';
import { messagePage, trackingPage } from './tracking/html';
import { LANGUAGES, MESSAGES, type Language } from './tracking/locales';
import { trackingView, type ParcelRecord } from './tracking/view';

export const TrackingParams = z.object({
  trackingNumber: z.string().regex(/^[A-Za-z0-9-]{6,40}$/, 'must be 6-40 letters, digits or dashes'),
});
export const TrackingHeaders = z.object({
  'Accept-Language': z.string().optional().describe('tr for Turkish; English otherwise. Send Accept: application/json for JSON'),
});

interface Negotiated {
  language: Language;
  format: 'html' | 'json';
}

function negotiate(req: Request): Negotiated {
  return {
    language: (req.acceptsLanguages(...LANGUAGES) || 'en') as Language,
    format: req.accepts(['html', 'json']) === 'json' ? 'json' : 'html',
  };
}

/** The shipment row findParcel reads: the WHERE clause guarantees the number and the carrier; the
 *  order's part is null when the order record or its fields are missing. */
interface ParcelRow {
  shipment_id: string;
  tracking_number: string;
  carrier: string;
  status: string;
  city: string | null;
  country_code: string | null;
  promised_delivery_date: string | null;
}

/** A customer may type the number in lower case; carriers issue it in upper. */
async function findParcel(pool: Pool, trackingNumber: string): Promise<ParcelRecord | undefined> {
  const { rows } = await pool.query<ParcelRow>(
    `SELECT s.shipment_id, s.tracking_number, s.carrier, s.status,
            o.request->'shippingAddress'->>'city' AS city,
            o.request->'shippingAddress'->>'countryCode' AS country_code,
            o.request->>'promisedDeliveryDate' AS promised_delivery_date
       FROM shipments s LEFT JOIN orders o ON o.order_id = s.order_id
      WHERE upper(s.tracking_number) = upper($1) AND s.carrier IS NOT NULL
      ORDER BY s.updated_at DESC LIMIT 1`,
    [trackingNumber],
  );
  const parcel = rows[0];
  if (!parcel) return undefined;
  const events = await pool.query<{ status: string; reason: string | null; location: string | null; occurred_at: Date }>(
    `SELECT status, reason, location, occurred_at FROM tracking_events
      WHERE shipment_id = $1 AND tracking_number = $2 ORDER BY occurred_at DESC`,
    [parcel.shipment_id, parcel.tracking_number],
  );
  return {
    trackingNumber: parcel.tracking_number,
    carrier: parcel.carrier,
    status: parcel.status,
    city: parcel.city,
    countryCode: parcel.country_code,
    promisedDeliveryDate: parcel.promised_delivery_date,
    events: events.rows.map((e) => ({ status: e.status, reason: e.reason, location: e.location, occurredAt: e.occurred_at })),
  };
}

/** JSON clients get our error shape; people get a page in their language. */
function refuse(res: Response, { format, language }: Negotiated, error: HttpError, page: { title: string; text: string }): void {
  if (format === 'json') throw error;
  res
    .status(error.status)
    .type('html')
    .send(messagePage(language, page.title, page.text));
}

export function trackingPageRouter({ pool }: { pool: Pool }): Router {
  const router = Router();
  router.get('/:trackingNumber', async (req, res) => {
    const negotiated = negotiate(req);
    const t = MESSAGES[negotiated.language];
    // Always the parcel's latest state; one URL answers per language and format.
    res.set({ 'Cache-Control': 'no-store', 'Content-Language': negotiated.language }).vary('Accept').vary('Accept-Language');
    const params = TrackingParams.safeParse(req.params);
    if (!params.success)
      return refuse(res, negotiated, validationError(params.error, 'path'), { title: t.invalidTitle, text: t.invalidText });
    const parcel = await findParcel(pool, params.data.trackingNumber);
    if (!parcel) {
      const error = new HttpError(404, 'tracking_not_found', `no parcel with tracking number ${params.data.trackingNumber}`);
      return refuse(res, negotiated, error, { title: t.notFoundTitle, text: t.notFoundText });
    }
    const view = trackingView(parcel, negotiated.language);
    if (negotiated.format === 'json') res.json(view);
    else res.type('html').send(trackingPage(view, negotiated.language));
  });
  return router;
}
