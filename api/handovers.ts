// End-of-day handover lists (issue 21, item 3): close a carrier's day at a warehouse by hand (the
// schedule closes it at the cut-off otherwise), read the lists as JSON or as the PDF the driver
// signs, and see the parcels the carrier never scanned. WMS and ops scopes.
import { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { CARRIER_PATTERN, HANDOVER_ID_PATTERN, WAREHOUSE_PATTERN, type Handover } from '../domain/handovers';
import { renderHandoverPdf } from '../lib/handovers/pdf';
import { closeHandover, getHandover, HandoverRefused, listHandovers, listNotAccepted, type HandoverFilter } from '../lib/handovers/store';
import { CARRIERS, carrierDisplayName } from '../carriers/registry';
import { HttpError } from './errors';
import { parse } from './validation';

const carrier = z.string().regex(CARRIER_PATTERN, 'must be a carrier code: 1-32 of a-z 0-9 _ -');
const warehouseId = z.string().regex(WAREHOUSE_PATTERN, 'must be a warehouse id such as IST-1: 1-32 of A-Z a-z 0-9 _ -');
const day = z.iso.date().regex(/^20\d{2}-/, 'must be a day of this century');

export const CloseBody = z.strictObject({
  carrier,
  warehouseId,
  day: day.optional().describe("YYYY-MM-DD in the warehouse's time zone; default its today. A day not begun there is refused (409)"),
});
// Strict: a misspelt filter is refused instead of silently listing everything.
export const HandoverQuery = z.strictObject({
  carrier: carrier.optional(),
  warehouseId: warehouseId.optional(),
  day: day.optional().describe('the handover day, YYYY-MM-DD'),
});
export const HandoverParams = z.object({
  handoverId: z.string().regex(HANDOVER_ID_PATTERN, 'must be a handover id: <carrier>.<warehouseId>.<YYYY-MM-DD>'),
});

/** A request valid by the contract is answered 404 or 409, never 400/422 (the contract fuzzer holds us to it). */
const REFUSED_STATUS = { warehouse_not_found: 404, day_not_started: 409 } as const;

const known = (name: string) => CARRIERS.some((c) => c.name === name);
const pdfUrl = (id: string) => `/v1/handovers/${encodeURIComponent(id)}/pdf`;

/** What the API answers for a list: the list, the carrier's name and where its PDF is. */
const view = (h: Handover) => ({ ...h, carrierName: carrierDisplayName(h.carrier), pdfUrl: pdfUrl(h.handoverId) });

async function found(pool: Pool, id: string): Promise<Handover> {
  const handover = await getHandover(pool, id);
  if (!handover) throw new HttpError(404, 'handover_not_found', `no handover list ${id}`);
  return handover;
}

export function handoversRouter({ pool }: { pool: Pool }): Router {
  const router = Router();

  router.post('/close', async (req, res) => {
    const body = parse(CloseBody, req.body);
    if (!known(body.carrier)) throw new HttpError(404, 'carrier_not_found', `no carrier ${body.carrier} is registered`);
    try {
      const { handover, created } = await closeHandover(pool, body);
      if (created) req.log.info({ handoverId: handover.handoverId, parcels: handover.totals.parcels }, 'handover closed');
      res.status(created ? 201 : 200).json(view(handover));
    } catch (err) {
      if (err instanceof HandoverRefused) throw new HttpError(REFUSED_STATUS[err.reason], err.reason, err.message);
      throw err;
    }
  });

  router.get('/', async (req, res) => {
    const filter: HandoverFilter = parse(HandoverQuery, req.query, 'query');
    const lists = await listHandovers(pool, filter);
    res.json({
      handovers: lists.map(({ parcels: _parcels, ...list }) => ({
        ...list,
        carrierName: carrierDisplayName(list.carrier),
        pdfUrl: pdfUrl(list.handoverId),
      })),
    });
  });

  // Before /:handoverId, which it would otherwise match.
  router.get('/not-accepted', async (req, res) => {
    const filter: HandoverFilter = parse(HandoverQuery, req.query, 'query');
    res.json({ parcels: await listNotAccepted(pool, filter) });
  });

  // Only POST is declared on /close: other methods go on to the 405 (api/methods.ts), not to a list named "close".
  router.all('/close', (_req, _res, next) => next('router'));

  router.get('/:handoverId', async (req, res) => {
    const { handoverId } = parse(HandoverParams, req.params, 'path');
    res.json(view(await found(pool, handoverId)));
  });

  router.get('/:handoverId/pdf', async (req, res) => {
    const { handoverId } = parse(HandoverParams, req.params, 'path');
    const handover = await found(pool, handoverId);
    const pdf = await renderHandoverPdf(handover, { carrierName: carrierDisplayName(handover.carrier) });
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="handover-${handoverId}.pdf"`);
    res.send(pdf);
  });

  return router;
}
