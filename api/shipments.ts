// One parcel: its label; ops and WMS calls (book again after every carrier failed, ask the carrier
// for scans now, report it packed).
import { Router } from 'express';
import { z } from 'zod';
import { text } from '../domain/order';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { CONTENT_TYPES, LabelQuery, labelFor } from './label-formats';
import { packedSignal, pollTrackingSignal, retryBookingSignal } from '../workflows/definitions';
import { HttpError } from './errors';
import { parse } from './validation';
import { signalWorkflow } from './workflow-calls';
import { parcelRoute } from '../lib/parcels';
import { shipmentFinished } from '../domain/statuses';

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

export function shipmentsRouter({ client, pool }: { client: Client; pool: Pool }): Router {
  const router = Router();

  /** Signals the parcel where it runs; one whose record says it has ended is refused with its status. */
  async function signalParcel<Args extends unknown[]>(shipmentId: string, signal: { name: string }, args: Args): Promise<void> {
    const { workflowId, status } = await parcelRoute(pool, shipmentId);
    if (status && shipmentFinished(status))
      throw new HttpError(409, 'shipment_finished', `${shipmentId} has ended (${status}): there is nothing left to do for it`, { status });
    await signalWorkflow(client, workflowId, signal, args, 'shipment_not_found');
  }

  router.get('/:shipmentId/label', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const query = parse(LabelQuery, req.query, 'query');
    const started = Date.now();
    const { format, content, rendered } = await labelFor(pool, shipmentId, query);
    if (rendered) req.log.info({ shipmentId, ...query, ms: Date.now() - started }, 'label rendered');
    res.type(CONTENT_TYPES[format]).setHeader('Content-Disposition', `inline; filename="${shipmentId}.${format}"`);
    res.send(content);
  });

  // The paper invoice of a parcel across a customs border (issue 25): three A4 copies, rendered at booking.
  router.get('/:shipmentId/documents/commercial-invoice', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { rows } = await pool.query<{ content: Buffer }>(
      `SELECT content FROM shipment_documents WHERE shipment_id = $1 AND kind = 'commercial_invoice'`,
      [shipmentId],
    );
    if (rows.length === 0) throw new HttpError(404, 'document_not_found', `no commercial invoice for ${shipmentId}`);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${shipmentId}-commercial-invoice.pdf"`);
    res.send(rows[0].content);
  });

  router.post('/:shipmentId/retry-booking', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { carrier } = parse(RetryBody, req.body ?? {});
    await signalParcel(shipmentId, retryBookingSignal, [{ carrier }]);
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
    await signalParcel(shipmentId, packedSignal, [parcel]);
    res.status(202).json({ shipmentId, accepted: 'packed' });
  });

  router.post('/:shipmentId/poll-tracking', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    await signalParcel(shipmentId, pollTrackingSignal, []);
    res.status(202).json({ shipmentId, accepted: 'pollTracking' });
  });

  return router;
}
