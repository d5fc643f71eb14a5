// Test controls for the Amazon double (never part of SP-API): place an order as a buyer would, see
// the orders (ids, statuses and SKUs: no names or addresses), list every write the engine pushed
// back with the double's answer, expire the issued tokens; faults and reset as every double has them.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, adminRouter, parse } from '../../admin';
import { AMAZON_OPERATIONS, type AmazonState, type SandboxOrder } from './state';

/** Amazon.com.tr's marketplace id (Amazon's developer docs: not in the model). */
export const TURKEY_MARKETPLACE_ID = 'A33AVAJ2PDY3EV';

/** The dev stack's seller account for this double (scripts/sandbox-accounts.ts; scripts/dev keys its credentials by it). */
export const SANDBOX_AMAZON_ACCOUNT = `amazon-sandbox-${TURKEY_MARKETPLACE_ID.toLowerCase()}`;

const AddressSchema = z.object({
  Name: z.string().min(1),
  AddressLine1: z.string().min(1),
  AddressLine2: z.string().optional(),
  City: z.string().min(1),
  District: z.string().optional(),
  County: z.string().optional(),
  StateOrRegion: z.string().optional(),
  PostalCode: z.string().optional(),
  CountryCode: z.string().length(2),
  Phone: z.string().optional(),
});

/** An order as a buyer places it; dates default to now (LastUpdateDate an earlier time, so a pull's window, which ends two minutes ago, holds it). */
const PlaceOrderSchema = z.object({
  marketplaceId: z.string().default(TURKEY_MARKETPLACE_ID),
  status: z.enum(['Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'Canceled']).default('Unshipped'),
  fulfillmentChannel: z.enum(['MFN', 'AFN']).default('MFN'),
  paymentMethod: z.enum(['COD', 'CVS', 'Other']).default('Other'),
  serviceLevelCategory: z.string().default('Standard'),
  currency: z.string().length(3).default('TRY'),
  lastUpdateDate: z.iso.datetime().optional(),
  latestShipDate: z.iso.datetime().optional(),
  latestDeliveryDate: z.iso.datetime().optional(),
  items: z
    .array(
      z.object({
        sellerSku: z.string().min(1),
        asin: z.string().default('B000SANDBOX'),
        quantity: z.number().int().min(1),
        itemPrice: z.number().min(0),
      }),
    )
    .min(1),
  address: AddressSchema,
});

const summary = (o: SandboxOrder) => ({
  amazonOrderId: o.amazonOrderId,
  status: o.status,
  lastUpdateDate: o.lastUpdateDate.toISOString(),
  items: o.items.map(({ orderItemId, sellerSku, quantity, quantityShipped }) => ({ orderItemId, sellerSku, quantity, quantityShipped })),
});

export function amazonAdminRouter(state: AmazonState): Router {
  return adminRouter(state, AMAZON_OPERATIONS, (router) => {
    router.post('/orders', (req, res) => {
      const { lastUpdateDate, latestShipDate, latestDeliveryDate, ...order } = parse(PlaceOrderSchema, req.body);
      const updated = lastUpdateDate ? new Date(lastUpdateDate) : new Date();
      const placed = state.place({
        ...order,
        purchaseDate: updated,
        lastUpdateDate: updated,
        latestShipDate: latestShipDate ? new Date(latestShipDate) : new Date(updated.getTime() + 2 * 86_400_000),
        latestDeliveryDate: latestDeliveryDate ? new Date(latestDeliveryDate) : new Date(updated.getTime() + 5 * 86_400_000),
      });
      res.status(201).json(summary(placed));
    });
    router.get('/orders', (_req, res) => {
      res.json({ orders: [...state.orders.values()].map(summary) });
    });
    router.get('/orders/:orderId', (req, res) => {
      const order = state.orders.get(String(req.params.orderId));
      if (!order) throw new AdminError(404, `no order ${req.params.orderId}`);
      res.json(summary(order));
    });
    router.get('/pushes', (_req, res) => {
      res.json({ pushes: state.pushes });
    });
    router.post('/tokens/revoke', (_req, res) => {
      state.tokens.revoke();
      state.restrictedTokens.revoke();
      res.status(204).end();
    });
  });
}
