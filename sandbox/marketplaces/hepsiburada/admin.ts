// Test controls for the Hepsiburada double (never part of Hepsiburada's API): place a package as
// Hepsiburada makes one from a customer's order, see the packages (numbers, statuses and SKUs: no
// names or addresses), list every write the engine pushed back with the double's answer, set the
// rate limit; faults and reset as every double has them.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, adminRouter, parse } from '../../admin';
import { HEPSIBURADA_OPERATIONS, type HepsiburadaState, type SandboxPackage } from './state';

/** The dev stack's merchant in this double (a UUID, as Hepsiburada's merchant ids are). */
export const SANDBOX_HEPSIBURADA_MERCHANT = '3f6b6c1e-5d7a-4b8e-9c2f-0a1b2c3d4e5f';
/** Its account (scripts/sandbox-accounts.ts; scripts/dev keys its credentials by it): hepsiburada-<merchantId>. */
export const SANDBOX_HEPSIBURADA_ACCOUNT = `hepsiburada-${SANDBOX_HEPSIBURADA_MERCHANT}`;

const AddressSchema = z.object({
  name: z.string().min(1),
  address: z.string().min(1),
  city: z.string().min(1),
  town: z.string().min(1),
  district: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().length(2).default('TR'),
  phoneNumber: z.string().optional(),
});

/** A package as Hepsiburada makes one; made now unless `createdAt` says (a pull's window ends two minutes ago), due in two days. */
const PlacePackageSchema = z.object({
  orderNumber: z.string().min(1).optional(),
  cargoCompany: z.string().default('Yurtiçi Kargo'),
  currency: z.string().length(3).default('TRY'),
  createdAt: z.iso.datetime().optional(),
  /** When the customer ordered (its items were added); the package's making time unless given. */
  orderedAt: z.iso.datetime().optional(),
  dueDate: z.iso.datetime().optional(),
  items: z.array(z.object({ merchantSku: z.string().min(1), quantity: z.number().int().min(1), unitPrice: z.number().min(0) })).min(1),
  address: AddressSchema,
});

const summary = (p: SandboxPackage) => ({
  packageNumber: p.packageNumber,
  orderNumber: p.orderNumber,
  status: p.status,
  createdAt: p.createdAt.toISOString(),
  trackingNumber: p.trackingNumber ?? null,
  items: p.items.map(({ lineItemId, merchantSku, quantity }) => ({ lineItemId, merchantSku, quantity })),
});

const orderNumber = () => String(Math.floor(1e9 + Math.random() * 9e9));

export function hepsiburadaAdminRouter(state: HepsiburadaState): Router {
  return adminRouter(state, HEPSIBURADA_OPERATIONS, (router) => {
    router.post('/packages', (req, res) => {
      const { createdAt, orderedAt, dueDate, ...pkg } = parse(PlacePackageSchema, req.body);
      const made = createdAt ? new Date(createdAt) : new Date();
      const placed = state.place({
        ...pkg,
        orderNumber: pkg.orderNumber ?? orderNumber(),
        status: 'Packaged',
        createdAt: made,
        ...(orderedAt && { orderedAt: new Date(orderedAt) }),
        dueDate: dueDate ? new Date(dueDate) : new Date(made.getTime() + 2 * 86_400_000),
      });
      res.status(201).json(summary(placed));
    });
    router.get('/packages', (_req, res) => {
      res.json({ packages: [...state.packages.values()].map(summary) });
    });
    router.get('/packages/:packageNumber', (req, res) => {
      const pkg = state.packages.get(String(req.params.packageNumber));
      if (!pkg) throw new AdminError(404, `no package ${req.params.packageNumber}`);
      res.json(summary(pkg));
    });
    router.get('/pushes', (_req, res) => {
      res.json({ pushes: state.pushes });
    });
    router.put('/rate-limit', (req, res) => {
      state.requestsPerMinute = parse(z.object({ requestsPerMinute: z.number().int().min(1) }), req.body).requestsPerMinute;
      res.json({ requestsPerMinute: state.requestsPerMinute });
    });
  });
}
