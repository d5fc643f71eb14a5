// GET/POST /track/:trackingNumber/rating: the customer rates a delivery (issue 26) through the
// signed link in the delivered notice; no API key, the token names the parcel. HTML in English or
// Turkish, or JSON with Accept: application/json. One rating per parcel, changeable for a week
// from the first; a low one (1-2 stars) raises an ops alert, and the outbox publishes it
// (shipment.rated, db/migrations/1763900020000_delivery-ratings.sql).
import express, { Router, type Request, type Response } from 'express';
import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import { inTransaction } from '../lib/transaction';
import type { Logger } from '../lib/logger';
import { checkRatingToken } from '../lib/rating-token';
import { HttpError, validationError } from './errors';
import { messagePage } from './tracking/html';
import { LANGUAGES, type Language } from './tracking/locales';
import { LOW_STARS, RATING_REASONS } from '../domain/ratings';
import { ratingError, ratingForm, thanksPage, type Rating } from './tracking/rating';
import { TrackingParams } from './tracking-page';

/** How long after the first rating the customer may still change it. */
export const RATING_CHANGE_DAYS = 7;
const DAY_MS = 86_400_000;
/** A form of stars, a few ticks and 500 characters of comment. */
const FORM_LIMIT = '8kb';

export const RatingToken = z.object({ token: z.string().min(1, 'required: the token from the rating link').max(400) });
const asList = (value: unknown): unknown[] =>
  value === undefined || value === '' ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
export const RatingBody = RatingToken.extend({
  stars: z.coerce.number().int('must be a whole number of stars').min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
  reasons: z.preprocess(asList, z.array(z.enum(RATING_REASONS)).max(RATING_REASONS.length)),
  comment: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .max(500, 'must be at most 500 characters')
      .refine((text) => !/<[a-z!/?][^>]*>/i.test(text), 'must be plain text: no markup')
      .optional(),
  ),
});

interface RatedParcel {
  shipmentId: string;
  orderId: string;
  status: string;
  rating?: Rating & { ratedAt: Date };
}

type Refusal = Parameters<typeof ratingError>[1];

function languageOf(req: Request): Language {
  return (req.acceptsLanguages(...LANGUAGES) || 'en') as Language;
}
const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** JSON clients get our error shape; people get a page in their language. */
function refuse(req: Request, res: Response, error: HttpError, code: Refusal): void {
  if (wantsJson(req)) throw error;
  const lang = languageOf(req);
  const { title, text } = ratingError(lang, code);
  res
    .status(error.status)
    .type('html')
    .send(messagePage(lang, title, text));
}

interface RatingRow {
  shipment_id: string;
  order_id: string;
  status: string;
  stars: number | null;
  reasons: Rating['reasons'];
  comment: string | null;
  rated_at: Date;
}

async function parcelOf(pool: Pool, shipmentId: string, trackingNumber: string): Promise<RatedParcel | undefined> {
  const { rows } = await pool.query<RatingRow>(
    `SELECT s.shipment_id, s.order_id, s.status, r.stars, r.reasons, r.comment, r.rated_at
       FROM shipments s LEFT JOIN delivery_ratings r ON r.shipment_id = s.shipment_id
      WHERE s.shipment_id = $1 AND upper(s.tracking_number) = upper($2) AND s.kind = 'outbound'`,
    [shipmentId, trackingNumber],
  );
  const row = rows[0];
  if (!row) return undefined;
  const rating = row.stars === null ? undefined : { stars: row.stars, reasons: row.reasons, comment: row.comment, ratedAt: row.rated_at };
  return { shipmentId: row.shipment_id, orderId: row.order_id, status: row.status, rating };
}

const changeableUntil = (ratedAt: Date) => new Date(ratedAt.getTime() + RATING_CHANGE_DAYS * DAY_MS);

/** The parcel the link is for, or why not (the refusal is sent). */
async function linkedParcel(pool: Pool, secret: string, req: Request, res: Response, token: string): Promise<RatedParcel | undefined> {
  const params = TrackingParams.safeParse(req.params);
  if (!params.success) return void refuse(req, res, validationError(params.error, 'path'), 'invalid_token');
  const check = checkRatingToken(secret, token);
  if (!check.ok && check.problem === 'expired')
    return void refuse(req, res, new HttpError(410, 'token_expired', 'the rating link has expired'), 'token_expired');
  const parcel = check.ok ? await parcelOf(pool, check.shipmentId, params.data.trackingNumber) : undefined;
  if (!parcel)
    return void refuse(req, res, new HttpError(403, 'invalid_token', 'the rating link is not valid for this parcel'), 'invalid_token');
  if (parcel.status !== 'delivered')
    return void refuse(req, res, new HttpError(409, 'not_delivered', `the parcel is ${parcel.status}, not delivered`), 'not_delivered');
  if (parcel.rating && changeableUntil(parcel.rating.ratedAt).getTime() < Date.now()) {
    const error = new HttpError(
      409,
      'rating_closed',
      `rated on ${parcel.rating.ratedAt.toISOString()}; a rating can be changed for ${RATING_CHANGE_DAYS} days`,
    );
    return void refuse(req, res, error, 'rating_closed');
  }
  return parcel;
}

async function saveRating(client: PoolClient, parcel: RatedParcel, rating: Rating, language: Language): Promise<Date> {
  const { rows } = await client.query<{ rated_at: Date }>(
    `INSERT INTO delivery_ratings (shipment_id, order_id, stars, reasons, comment, language) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (shipment_id) DO UPDATE SET stars = $3, reasons = $4, comment = $5, language = $6, updated_at = now()
     RETURNING rated_at`,
    [parcel.shipmentId, parcel.orderId, rating.stars, rating.reasons, rating.comment, language],
  );
  if (rating.stars <= LOW_STARS) {
    // Ops follow a low rating up; a changed rating updates the open alert instead of adding one.
    await client.query(
      `INSERT INTO ops_alerts (shipment_id, kind, order_id, message) VALUES ($1, 'low_rating', $2, $3)
       ON CONFLICT (shipment_id, kind) DO UPDATE SET message = $3, created_at = now(), resolved_at = NULL`,
      [
        parcel.shipmentId,
        parcel.orderId,
        `customer rated the delivery ${rating.stars}/5${rating.reasons.length ? `: ${rating.reasons.join(', ')}` : ''}`,
      ],
    );
  }
  return rows[0].rated_at;
}

export function ratingPageRouter({ pool, secret, logger }: { pool: Pool; secret: string; logger: Logger }): Router {
  const router = Router();
  router.get('/:trackingNumber/rating', async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Content-Language': languageOf(req) }).vary('Accept-Language');
    const query = RatingToken.safeParse(req.query);
    if (!query.success) return refuse(req, res, validationError(query.error, 'query'), 'invalid_token');
    const parcel = await linkedParcel(pool, secret, req, res, query.data.token);
    if (!parcel) return;
    if (wantsJson(req)) return void res.json({ trackingNumber: req.params.trackingNumber, rating: parcel.rating ?? null });
    res.type('html').send(ratingForm(languageOf(req), req.params.trackingNumber, query.data.token, parcel.rating));
  });
  router.post(
    '/:trackingNumber/rating',
    express.urlencoded({ extended: false, limit: FORM_LIMIT }),
    express.json({ limit: FORM_LIMIT }),
    async (req, res) => {
      res.set({ 'Cache-Control': 'no-store', 'Content-Language': languageOf(req) });
      const body = RatingBody.safeParse(req.body ?? {});
      const token = RatingToken.safeParse(req.body ?? {});
      if (!token.success) return refuse(req, res, validationError(token.error), 'invalid_token');
      const parcel = await linkedParcel(pool, secret, req, res, token.data.token);
      if (!parcel) return;
      if (!body.success) return refuse(req, res, validationError(body.error), 'invalid_rating');
      const rating: Rating = { stars: body.data.stars, reasons: body.data.reasons, comment: body.data.comment ?? null };
      const ratedAt = await inTransaction(pool, (client) => saveRating(client, parcel, rating, languageOf(req)));
      logger.info({ shipmentId: parcel.shipmentId, stars: rating.stars, changed: parcel.rating !== undefined }, 'delivery rated');
      const until = changeableUntil(ratedAt);
      if (wantsJson(req)) return void res.json({ rating, changeableUntil: until.toISOString() });
      res.type('html').send(thanksPage(languageOf(req), rating, until));
    },
  );
  return router;
}
