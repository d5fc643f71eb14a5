// What the OMS may ask of a running order: cancel it, correct its address, return it.
// Each is a workflow update, so the caller learns at once whether it was accepted.
import { Router } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { AddressSchema, ReturnRequestSchema } from '../domain/order';
import { labelUrl } from '../domain/shipment';
import { OrderIdParams } from './orders';
import { cancelUpdate, correctAddressUpdate, requestReturnUpdate } from '../workflows/definitions';
import { HttpError } from './errors';
import { parse } from './validation';
import { updateOrder } from './workflow-calls';

export const CancelBody = z.object({ reason: z.string().trim().min(1).max(500) });
export const AddressBody = z.object({ address: AddressSchema });

export function orderActionsRouter({ client, pool }: { client: Client; pool: Pool }): Router {
  const router = Router({ mergeParams: true });

  router.post('/:orderId/cancel', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const { reason } = parse(CancelBody, req.body);
    const status = await updateOrder({ client, pool, orderId, update: cancelUpdate, arg: { reason }, whenEnded: 'not_cancellable' });
    res.json({ orderId, status });
  });

  router.put('/:orderId/shipping-address', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const { address } = parse(AddressBody, req.body);
    const status = await updateOrder({ client, pool, orderId, update: correctAddressUpdate, arg: { address }, whenEnded: 'address_not_changeable' });
    res.json({ orderId, status });
  });

  router.post('/:orderId/returns', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const request = parse(ReturnRequestSchema, req.body);
    const labels = await updateOrder({ client, pool, orderId, update: requestReturnUpdate, arg: request, whenEnded: 'return_window_closed' });
    if (labels.length === 0) throw new HttpError(422, 'return_refused', 'no carrier would issue a return label for these parcels');
    res.status(202).json({
      orderId,
      returnId: labels[0]?.shipmentId,
      labelUrl: labelUrl(labels[0].shipmentId),
      labels: labels.map((l) => ({ ...l, labelUrl: labelUrl(l.shipmentId) })),
    });
  });

  return router;
}
