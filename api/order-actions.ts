// What the OMS may ask of a running order: cancel it, correct its address, return it.
// Each is a workflow update, so the caller learns at once whether it was accepted.
import { Router } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { AddressSchema, ReturnRequestSchema, text } from '../domain/order';
import { labelUrl } from '../domain/shipment';
import { OrderIdParams } from './orders';
import { cancelUpdate, correctAddressUpdate, requestReturnUpdate } from '../workflows/definitions';
import { HttpError } from './errors';
import { parse } from './validation';
import { updateOrder, updateOrderWithin } from './workflow-calls';

export const CancelBody = z.object({ reason: text(500) });
export const AddressBody = z.object({ address: AddressSchema });

/** How long POST /returns waits for the return label before answering that it is on its way. */
export const RETURN_LABEL_WAIT_MS = 20_000;

/** How long a cancel or an address correction may take before the caller is told it is still under way (504). */
export const UPDATE_WAIT_MS = 30_000;

export function orderActionsRouter({
  client,
  pool,
  returnLabelWaitMs = RETURN_LABEL_WAIT_MS,
  updateWaitMs = UPDATE_WAIT_MS,
}: {
  client: Client;
  pool: Pool;
  returnLabelWaitMs?: number;
  updateWaitMs?: number;
}): Router {
  const router = Router({ mergeParams: true });

  router.post('/:orderId/cancel', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const { reason } = parse(CancelBody, req.body);
    const status = await updateOrder(
      { client, pool, orderId, update: cancelUpdate, arg: { reason }, whenEnded: 'not_cancellable' },
      updateWaitMs,
    );
    res.json({ orderId, status });
  });

  router.put('/:orderId/shipping-address', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const { address } = parse(AddressBody, req.body);
    const status = await updateOrder(
      {
        client,
        pool,
        orderId,
        update: correctAddressUpdate,
        arg: { address },
        whenEnded: 'address_not_changeable',
      },
      updateWaitMs,
    );
    res.json({ orderId, status });
  });

  router.post('/:orderId/returns', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const request = parse(ReturnRequestSchema, req.body);
    const call = { client, pool, orderId, update: requestReturnUpdate, arg: request, whenEnded: 'return_window_closed' };
    const outcome = await updateOrderWithin(call, returnLabelWaitMs);
    if (!outcome.done) {
      // Accepted, and the label follows: the caller must not time out and ask again while a carrier is slow.
      res.status(202).json({
        orderId,
        status: 'return_requested',
        labels: [],
        message: `the return is accepted and its label is being booked: GET /v1/orders/${orderId} shows it`,
      });
      return;
    }
    const labels = outcome.result;
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
