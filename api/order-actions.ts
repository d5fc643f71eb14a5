// What the OMS may ask of a running order: cancel it, correct its address, return it.
// Each is a workflow update, so the caller learns at once whether it was accepted. And what ops
// supply to an order waiting on customs data: kept beside the order, then its parcels book again.
import { Router } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { AddressSchema, ReturnRequestSchema, text } from '../domain/order';
import { labelUrl } from '../domain/shipment';
import { OrderIdParams } from './orders';
import { cancelUpdate, correctAddressUpdate, requestReturnUpdate, retryBookingSignal } from '../workflows/definitions';
import { mergeSupplied, SuppliedCustomsSchema, type SuppliedCustoms } from '../domain/customs';
import { PARCEL_WORKFLOW_SQL } from '../lib/parcels';
import { inTransaction } from '../lib/transaction';
import { HttpError } from './errors';
import { parse } from './validation';
import { signalWorkflow, updateOrder, updateOrderWithin } from './workflow-calls';

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

  // The fields a carrier named as missing (the parcel waits in needs_attention saying which): kept
  // over the order's own, and every parcel of the order that waits is booked again with them. A
  // parcel still booking is asked too: its round may have read the customs data before this call
  // saved it, and a retry asked during a round runs one more round (ops sending the fields in two
  // calls otherwise found the parcel back in needs_attention).
  router.put('/:orderId/customs', async (req, res) => {
    const { orderId } = parse(OrderIdParams, req.params, 'path');
    const supplied = await supplyCustoms(pool, orderId, parse(SuppliedCustomsSchema, req.body));
    const { rows } = await pool.query<{ shipment_id: string; workflow_id: string }>(
      `SELECT shipment_id, ${PARCEL_WORKFLOW_SQL} AS workflow_id FROM shipments
        WHERE order_id = $1 AND status IN ('needs_attention', 'booking') ORDER BY shipment_id`,
      [orderId],
    );
    for (const { workflow_id } of rows) await signalWorkflow(client, workflow_id, retryBookingSignal, [{}], 'shipment_not_found');
    res.status(200).json({ orderId, supplied, rebooking: rows.map((r) => r.shipment_id) });
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

/** Keeps what ops supplied over what they supplied before; a SKU the order does not have is refused, naming it. */
async function supplyCustoms(pool: Pool, orderId: string, next: SuppliedCustoms): Promise<SuppliedCustoms> {
  return inTransaction(pool, async (db) => {
    const { rows } = await db.query<{ request: { lines: { sku: string }[] }; customs_supplied: SuppliedCustoms | null }>(
      'SELECT request, customs_supplied FROM orders WHERE order_id = $1 FOR UPDATE',
      [orderId],
    );
    if (rows.length === 0) throw new HttpError(404, 'order_not_found', `no order ${orderId}`);
    const skus = new Set(rows[0].request.lines.map((l) => l.sku));
    const stranger = (next.lines ?? []).findIndex((l) => !skus.has(l.sku));
    if (stranger >= 0)
      throw new HttpError(404, 'line_not_found', `lines.${stranger}.sku: ${next.lines![stranger].sku} is not a line of order ${orderId}`);
    const merged = mergeSupplied(rows[0].customs_supplied, next);
    await db.query('UPDATE orders SET customs_supplied = $2 WHERE order_id = $1', [orderId, merged]);
    return merged;
  });
}
