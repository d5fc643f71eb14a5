// One parcel: its label; ops and WMS calls (book again after every carrier failed, ask the carrier
// for scans now, report it packed).
import { Router } from 'express';
import { z } from 'zod';
import { text } from '../domain/order';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { HttpError } from './errors';
import { packedSignal, pollTrackingSignal, retryBookingSignal } from '../workflows/definitions';
import { parse } from './validation';
import { signalWorkflow } from './workflow-calls';

export const ShipmentParams = z.object({
  shipmentId: z.string().regex(/^shipment-[A-Za-z0-9._-]{1,64}-\d{1,3}$/, 'must look like shipment-<orderId>-<n>'),
});
export const RetryBody = z.object({ carrier: text(32).optional() });
export const PackedBody = z.object({
  weightGrams: z.number().int().positive().max(1_000_000),
  dimensionsCm: z.object({ length: z.number().positive(), width: z.number().positive(), height: z.number().positive() }).optional(),
  /** Boxes the shipment was packed in, weight and size being their total; 1 when absent. */
  pieces: z.number().int().min(1).max(99).optional(),
});

export const LabelQuery = z.object({ format: z.enum(['pdf', 'zpl']).optional() });
const CONTENT_TYPES = { pdf: 'application/pdf', zpl: 'application/zpl' } as const;

export function shipmentsRouter({ client, pool }: { client: Client; pool: Pool }): Router {
  const router = Router();

  router.get('/:shipmentId/label', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { format } = parse(LabelQuery, req.query, 'query');
    const { rows: labels } = await pool.query<{ format: 'pdf' | 'zpl'; content: Buffer }>(
      'SELECT format, content FROM labels WHERE shipment_id = $1 ORDER BY format',
      [shipmentId],
    );
    if (labels.length === 0) throw new HttpError(404, 'label_not_found', `no label for ${shipmentId} (yet)`);
    const rows = labels.filter((l) => !format || l.format === format);
    // A carrier's own label carries its routing marks: we never convert it into another format.
    const available = labels.map((l) => l.format);
    if (rows.length === 0)
      throw new HttpError(404, 'label_format_unavailable', `the carrier's label for ${shipmentId} comes as ${available.join(', ')} only`, {
        available,
      });
    res.type(CONTENT_TYPES[rows[0].format]).setHeader('Content-Disposition', `inline; filename="${shipmentId}.${rows[0].format}"`);
    res.send(rows[0].content);
  });

  router.post('/:shipmentId/retry-booking', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { carrier } = parse(RetryBody, req.body ?? {});
    await signalWorkflow(client, shipmentId, retryBookingSignal, [{ carrier }], 'shipment_not_found');
    res.status(202).json({ shipmentId, accepted: 'retryBooking', carrier: carrier ?? null });
  });

  router.post('/:shipmentId/packed', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { weightGrams, dimensionsCm, pieces } = parse(PackedBody, req.body);
    const parcel = {
      weightGrams,
      ...(dimensionsCm && { lengthCm: dimensionsCm.length, widthCm: dimensionsCm.width, heightCm: dimensionsCm.height }),
      ...(pieces && { pieces }),
    };
    await signalWorkflow(client, shipmentId, packedSignal, [parcel], 'shipment_not_found');
    res.status(202).json({ shipmentId, accepted: 'packed' });
  });

  router.post('/:shipmentId/poll-tracking', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    await signalWorkflow(client, shipmentId, pollTrackingSignal, [], 'shipment_not_found');
    res.status(202).json({ shipmentId, accepted: 'pollTracking' });
  });

  return router;
}
