// GET /v1/kpis: how carriers perform, per carrier and per day, computed in PostgreSQL from the
// shipment and scan records (api/kpis/query.ts). Ops scope. Definitions: docs/operations.md, "KPIs".
import { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { Logger } from '../lib/logger';
import { queryKpis, type KpiFilter, type KpiGroup } from './kpis/query';
import { parse } from './validation';
import { CARRIERS } from '../carriers/registry';

const DAY_MS = 86_400_000;
/** A year and a day: a year-on-year comparison fits, an unbounded scan does not. */
export const MAX_KPI_DAYS = 367;
const DEFAULT_DAYS = 30;

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
const shiftDays = (day: string, days: number) => new Date(Date.parse(day) + days * DAY_MS).toISOString().slice(0, 10);

// Strict: a misspelt filter (`carier=`) is refused instead of silently widening the figures.
export const KpiQuery = z
  .strictObject({
    from: z.iso
      .date()
      .optional()
      .describe(`first day (UTC) on which the parcels' orders were placed, YYYY-MM-DD; default ${DEFAULT_DAYS - 1} days before to`),
    to: z.iso.date().optional().describe('last day (UTC, inclusive), YYYY-MM-DD; default today'),
    carrier: z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/, 'must be a carrier code: 1-32 of a-z 0-9 _ -')
      .optional(),
    channel: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a lower-case channel name such as shopify')
      .optional(),
    warehouse: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a warehouse id such as IST-1')
      .optional(),
  })
  .superRefine(({ from, to }, ctx) => {
    if (!from || !to) return;
    if (from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (daysBetween(from, to) > MAX_KPI_DAYS)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_KPI_DAYS} days after from` });
  });

/** Missing ends of the period: up to today (UTC), over the last 30 days; `from` alone in the past beyond reach, or ahead, runs 30 days from it. */
function period(query: z.infer<typeof KpiQuery>, today: string): KpiFilter {
  const fromTodayFits = (from: string) => from <= today && daysBetween(from, today) <= MAX_KPI_DAYS;
  const to = query.to ?? (query.from && !fromTodayFits(query.from) ? shiftDays(query.from, DEFAULT_DAYS - 1) : today);
  const from = query.from ?? shiftDays(to, -(DEFAULT_DAYS - 1));
  return { from, to, carrier: query.carrier, channel: query.channel, warehouse: query.warehouse };
}

/** Carriers by name (unbooked parcels last), days in order. */
function shape(filter: KpiFilter, groups: KpiGroup[]) {
  const byCarrier = (a: KpiGroup, b: KpiGroup) =>
    (a.carrier ?? '\uffff').localeCompare(b.carrier ?? '\uffff') || (a.day ?? '').localeCompare(b.day ?? '');
  const total = groups.find((g) => g.level === 'total')!;
  return {
    from: filter.from,
    to: filter.to,
    carrier: filter.carrier ?? null,
    channel: filter.channel ?? null,
    warehouse: filter.warehouse ?? null,
    timeZone: 'UTC',
    // Every carrier the engine books with (carriers/registry.ts), for the dashboard's carrier filter.
    knownCarriers: CARRIERS.map((c) => ({ carrier: c.name, name: c.displayName })),
    total: total.kpis,
    carriers: groups
      .filter((g) => g.level === 'carrier')
      .sort(byCarrier)
      .map((g) => ({ carrier: g.carrier, ...g.kpis })),
    daily: groups
      .filter((g) => g.level === 'day')
      .sort((a, b) => a.day!.localeCompare(b.day!) || byCarrier(a, b))
      .map((g) => ({ day: g.day, carrier: g.carrier, ...g.kpis })),
  };
}

export function kpisRouter({ pool, logger }: { pool: Pool; logger: Logger }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = parse(KpiQuery, req.query, 'query');
    const filter = period(query, new Date().toISOString().slice(0, 10));
    const started = Date.now();
    const groups = await queryKpis(pool, filter);
    logger.info({ ...filter, groups: groups.length, ms: Date.now() - started }, 'kpis computed');
    res.set('Cache-Control', 'no-store').json(shape(filter, groups));
  });
  return router;
}
