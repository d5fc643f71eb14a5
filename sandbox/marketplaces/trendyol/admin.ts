// Test controls for the Trendyol double (never part of Trendyol's API): place a shipment package as a
// buyer's order makes one (shipped on the seller's contract, or on Trendyol's with its carrier and
// tracking number), move one as Trendyol would (cancelled by the buyer, shipped, to another carrier), see the packages (ids,
// statuses, SKUs: no names or addresses), every write the engine pushed back with the double's answer,
// and set an operation's rate limit; faults and reset as every double has them.
import type { Router } from 'express';
import { z } from 'zod';
import { AdminError, adminRouter, parse } from '../../admin';
import { PACKAGE_STATUSES, TRENDYOL_OPERATIONS, type SandboxPackage, type TrendyolState } from './state';

const AddressSchema = z.object({
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  address1: z.string().min(1),
  address2: z.string().optional(),
  city: z.string().min(1),
  district: z.string().optional(),
  postalCode: z.string().optional(),
  countryCode: z.string().length(2).default('TR'),
});

/** A package as Trendyol makes it from a buyer's order; dates default to now, the agreed delivery date to two days on. */
export const PlacePackageSchema = z
  .object({
    orderNumber: z.string().min(1).optional(),
    status: z.enum(PACKAGE_STATUSES).default('Created'),
    currencyCode: z.string().length(3).default('TRY'),
    orderDate: z.number().int().optional(),
    lastModifiedDate: z.number().int().optional(),
    agreedDeliveryDate: z.number().int().optional(),
    lines: z
      .array(
        z.object({
          merchantSku: z.string(),
          barcode: z.string().default('8690000000001'),
          productName: z.string().default('Sandbox product'),
          quantity: z.number().int().min(1),
          price: z.number().min(0),
        }),
      )
      .min(1),
    address: AddressSchema,
    /** merchant: the seller's own carrier contract; trendyol: Trendyol pays, names the carrier and the tracking number. */
    contract: z.enum(['merchant', 'trendyol']).default('merchant'),
    cargoProviderName: z.string().min(1).optional(),
    cargoTrackingNumber: z
      .string()
      .regex(/^\d{6,24}$/)
      .optional(),
  })
  .refine((p) => p.contract === 'merchant' || (p.cargoProviderName && p.cargoTrackingNumber), {
    message: 'a Trendyol-contracted package has its cargoProviderName and cargoTrackingNumber',
    path: ['cargoTrackingNumber'],
  });

const MoveSchema = z.object({ status: z.enum(PACKAGE_STATUSES), at: z.number().int().optional() });
/** Another carrier for a Trendyol-contracted package, as Trendyol (or the seller's panel, changeCargoProvider) moves it: a new tracking number, no label yet. */
const CarrierSchema = z.object({
  cargoProviderName: z.string().min(1),
  cargoTrackingNumber: z.string().regex(/^\d{6,24}$/),
});
const RateLimitSchema = z.object({ limit: z.number().int().min(1), windowMs: z.number().int().min(1) });

export const summary = (p: SandboxPackage) => ({
  id: p.id,
  orderNumber: p.orderNumber,
  status: p.status,
  contract: p.contract,
  cargoProviderName: p.cargoProviderName ?? null,
  cargoTrackingNumber: p.cargoTrackingNumber ?? null,
  invoiceNumber: p.invoiceNumber ?? null,
  lastModifiedDate: p.lastModifiedDate,
  lines: p.lines.map(({ id, merchantSku, quantity }) => ({ id, merchantSku, quantity })),
  labels: p.labels?.length ?? 0,
});

export function trendyolAdminRouter(state: TrendyolState): Router {
  const packageOf = (id: string) => {
    const pkg = state.packages.get(Number(id));
    if (!pkg) throw new AdminError(404, `no package ${id}`);
    return pkg;
  };
  return adminRouter(state, TRENDYOL_OPERATIONS, (router) => {
    router.post('/packages', (req, res) => {
      const { orderDate, lastModifiedDate, agreedDeliveryDate, orderNumber, ...pkg } = parse(PlacePackageSchema, req.body);
      const now = Date.now();
      const placed = state.place({
        ...pkg,
        orderNumber: orderNumber ?? String(10_000_000_000 + Math.floor(Math.random() * 9_000_000_000)),
        orderDate: orderDate ?? lastModifiedDate ?? now,
        lastModifiedDate: lastModifiedDate ?? now,
        agreedDeliveryDate: agreedDeliveryDate ?? now + 2 * 86_400_000,
      });
      res.status(201).json(summary(placed));
    });
    router.get('/packages', (_req, res) => {
      res.json({ packages: [...state.packages.values()].map(summary) });
    });
    router.get('/packages/:id', (req, res) => {
      res.json(summary(packageOf(String(req.params.id))));
    });
    router.post('/packages/:id/status', (req, res) => {
      const pkg = packageOf(String(req.params.id));
      const { status, at } = parse(MoveSchema, req.body);
      state.move(pkg, status, at);
      res.json(summary(pkg));
    });
    router.post('/packages/:id/carrier', (req, res) => {
      const pkg = packageOf(String(req.params.id));
      if (pkg.contract !== 'trendyol') throw new AdminError(409, `package ${pkg.id} ships on the seller's own contract`);
      state.reassign(pkg, parse(CarrierSchema, req.body));
      res.json(summary(pkg));
    });
    router.get('/pushes', (_req, res) => {
      res.json({ pushes: state.pushes });
    });
    router.put('/rate-limits/:operation', (req, res) => {
      const operation = TRENDYOL_OPERATIONS.find((o) => o === req.params.operation);
      if (!operation) throw new AdminError(404, `no operation ${req.params.operation}`);
      state.rateLimits = { ...state.rateLimits, [operation]: parse(RateLimitSchema, req.body) };
      res.json({ rateLimits: state.rateLimits });
    });
  });
}
