// Ops and WMS calls on one parcel: book again after every carrier failed, or report it packed.
import { Router } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { packedSignal, retryBookingSignal } from '../workflows/definitions';
import { parse } from './validation';
import { signalWorkflow } from './workflow-calls';

const ShipmentParams = z.object({ shipmentId: z.string().regex(/^shipment-[A-Za-z0-9._-]{1,64}-\d{1,3}$/, 'must look like shipment-<orderId>-<n>') });
const RetryBody = z.object({ carrier: z.string().min(1).max(32).optional() });
const PackedBody = z.object({
  weightGrams: z.number().int().positive().max(1_000_000),
  dimensionsCm: z.object({ length: z.number().positive(), width: z.number().positive(), height: z.number().positive() }).optional(),
});

export function shipmentsRouter({ client }: { client: Client }): Router {
  const router = Router();

  router.post('/:shipmentId/retry-booking', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { carrier } = parse(RetryBody, req.body ?? {});
    await signalWorkflow(client, shipmentId, retryBookingSignal, [{ carrier }], 'shipment_not_found');
    res.status(202).json({ shipmentId, accepted: 'retryBooking', carrier: carrier ?? null });
  });

  router.post('/:shipmentId/packed', async (req, res) => {
    const { shipmentId } = parse(ShipmentParams, req.params, 'path');
    const { weightGrams, dimensionsCm } = parse(PackedBody, req.body);
    const parcel = dimensionsCm
      ? { weightGrams, lengthCm: dimensionsCm.length, widthCm: dimensionsCm.width, heightCm: dimensionsCm.height }
      : { weightGrams };
    await signalWorkflow(client, shipmentId, packedSignal, [parcel], 'shipment_not_found');
    res.status(202).json({ shipmentId, accepted: 'packed' });
  });

  return router;
}
