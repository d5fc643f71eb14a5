// The closing report: what the orders came to (from the API), what the carriers booked and
// scanned, what the sandbox caught for customers and the OMS, and where to look next.
import type { DemoOptions } from './args';
import type { FateCounters, ListedOrder } from './fates';
import type { ClosedList } from './handovers';
import type { HttpClient } from './http';
import type { MarketplaceTally } from './marketplaces';
import type { PlannedOrder } from './orders';
import type { RatingsLeft } from './ratings';
import type { StockChange } from './stock';
import { CARRIERS } from './faults';
import { DEV_API_KEY } from './http';

const tally = (items: string[]) =>
  [...items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].sort(
    (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
  );

export interface SandboxCounts {
  /** What the customers of this run's orders were sent, by notification event. */
  mail: [string, number][];
  sms: [string, number][];
  /** What the OMS was sent about this run's orders, by event type. */
  webhooks: [string, number][];
  webhooksBadSignature: number;
  /** Per carrier: bookings the sandbox holds, and how many are still live (not voided or cancelled). */
  carriers: Record<string, { total: number; live: number }>;
}

async function list<T>(sandbox: HttpClient, path: string, key: string): Promise<T[]> {
  const reply = await sandbox.request('GET', path).catch(() => undefined);
  const items = (reply?.body as Record<string, unknown> | undefined)?.[key];
  return Array.isArray(items) ? (items as T[]) : [];
}

/**
 * What the sandbox caught for this run's orders (the notification ledger key names the order and
 * the event: the email's Message-ID, the SMS idempotency key; webhooks carry the order id).
 */
export async function sandboxCounts(sandbox: HttpClient, runTag: string): Promise<SandboxCounts> {
  const prefix = `DEMO-${runTag}-`;
  const mail = await list<{ messageId?: string }>(sandbox, '/_admin/mail/messages', 'messages');
  const sms = await list<{ idempotencyKey?: string }>(sandbox, '/_admin/sms/messages', 'messages');
  const deliveries = await list<{ signatureValid?: boolean; type?: string; body?: { data?: { orderId?: string } } }>(
    sandbox,
    '/_admin/inbox/deliveries',
    'deliveries',
  );
  const ours = deliveries.filter((d) => d.body?.data?.orderId?.startsWith(prefix));
  const carriers: SandboxCounts['carriers'] = {};
  for (const carrier of CARRIERS) {
    const reply = await sandbox
      .request<{ live?: number; shipments?: unknown[] }>('GET', `/_admin/${carrier}/shipments`)
      .catch(() => undefined);
    carriers[carrier] = { total: reply?.body?.shipments?.length ?? 0, live: reply?.body?.live ?? 0 };
  }
  return {
    mail: tally(
      mail.filter((m) => m.messageId?.startsWith(`<${prefix}`)).map((m) => /\.([a-z_]+)\.email@/.exec(m.messageId!)?.[1] ?? 'other'),
    ),
    sms: tally(sms.filter((m) => m.idempotencyKey?.startsWith(prefix)).map((m) => m.idempotencyKey!.split('/').at(-2) ?? 'other')),
    webhooks: tally(ours.map((d) => d.type ?? 'other')),
    webhooksBadSignature: ours.filter((d) => d.signatureValid === false).length,
    carriers,
  };
}

interface Subscriber {
  subscriberId: string;
  active: boolean;
  pausedAt: string | null;
  pending: number;
}

/** The OMS webhook subscribers as the API sees them (GET /v1/webhook-subscribers): paused or inactive ones explain missing webhooks. */
export async function webhookSubscribers(api: HttpClient): Promise<string> {
  const reply = await api.request<{ subscribers?: Subscriber[] }>('GET', '/v1/webhook-subscribers').catch(() => undefined);
  const subscribers = reply?.body?.subscribers ?? [];
  return (
    subscribers
      .map(
        (s) =>
          `${s.subscriberId} ${!s.active ? 'inactive' : s.pausedAt ? 'PAUSED' : 'active'}${s.pending > 0 ? `, ${s.pending} waiting` : ''}`,
      )
      .join('; ') || 'none'
  );
}

/** Why the orders needing ops wait, from each one's pendingActions (GET /v1/orders/:id; a few calls). */
export async function attentionReasons(api: HttpClient, listed: Map<string, ListedOrder>): Promise<[string, number][]> {
  const waiting = [...listed.values()].filter((o) => o.status === 'needs_attention' || o.status === 'address_invalid').slice(0, 30);
  const reasons: string[] = [];
  for (const o of waiting) {
    const reply = await api.request<{ pendingActions?: string[] }>('GET', `/v1/orders/${encodeURIComponent(o.orderId)}`);
    const action = reply.body?.pendingActions?.[0];
    // "shipment-X-1: every carrier refused (ups): send retryBooking, …" → "every carrier refused (ups)"
    reasons.push(action ? action.split(': ').slice(1, -1).join(': ') || action : o.status);
  }
  return tally(reasons);
}

export interface SummaryInput {
  options: DemoOptions;
  runTag: string;
  planned: PlannedOrder[];
  listed: Map<string, ListedOrder>;
  intake: {
    viaMarketplace: Record<string, number>;
    accepted: number;
    duplicates: number;
    rejected: string[];
    batches: number;
    batched: number;
  };
  /** Per marketplace: orders its buyers placed in the sandbox's double, those pulled, the pushes it took for them. */
  marketplaces: MarketplaceTally[];
  counters: FateCounters;
  returnShipmentIds: Set<string>;
  faults: { at: number; label: string }[];
  stock: StockChange[];
  caught: SandboxCounts;
  /** Why orders wait for ops (their pendingActions), counted. */
  attentionReasons: [string, number][];
  subscribers: string;
  apiThrottled: number;
  /** Customers who rated their delivery through the delivered email's link (demo/ratings.ts). */
  ratings: RatingsLeft;
  /** Today's handover lists the demo closed (demo/handovers.ts). */
  handovers: ClosedList[];
  seconds: number;
}

const table = (rows: [string, number | string][], indent = '    ') =>
  rows.map(([k, v]) => `${indent}${String(k).padEnd(22)} ${String(v).padStart(5)}`).join('\n');

/** "Trendyol: 12 placed by buyers in the sandbox's Trendyol, 12 pulled as orders, pushed back: updatePackageStatus 11, updateTrackingNumber 9 (…)". */
export function marketplaceLine({ marketplace, label, placed, pulled, pushed }: MarketplaceTally): string {
  const told = pushed.length > 0 ? pushed.map(([operation, n]) => `${operation} ${n}`).join(', ') : 'nothing yet';
  return `  ${label}: ${placed} placed by buyers in the sandbox's ${label}, ${pulled} pulled as orders, pushed back: ${told} (/_admin/${marketplace}/pushes)`;
}

export function renderSummary(s: SummaryInput): string {
  const { options, planned, listed } = s;
  const viaMarketplaces = Object.values(s.intake.viaMarketplace).reduce((sum, n) => sum + n, 0);
  const mine = planned.map((p) => listed.get(p.order.orderId)).filter((o): o is ListedOrder => o !== undefined);
  const byStatus = tally(mine.map((o) => o.status));
  const parcels = mine.flatMap((o) => o.shipments);
  const returnIds = s.returnShipmentIds;
  const booked = parcels.filter((p) => p.trackingNumber && !returnIds.has(p.shipmentId));
  const returns = parcels.filter((p) => p.trackingNumber && returnIds.has(p.shipmentId));
  const plannedById = new Map(planned.map((p) => [p.order.orderId, p]));
  const preferredElsewhere = tally(
    mine.flatMap((o) => {
      const wanted = plannedById.get(o.orderId)?.order.preferredCarriers?.[0];
      const got = o.shipments.find((sh) => sh.trackingNumber)?.carrier;
      return wanted && got && got !== wanted ? [`${wanted} → ${got}`] : [];
    }),
  );
  const attention = mine.filter((o) => o.status === 'needs_attention' || o.status === 'address_invalid');
  const caught = (counts: [string, number][]) =>
    `${counts.reduce((sum, [, n]) => sum + n, 0)}${counts.length > 0 ? ` (${counts.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`;
  const today = new Date().toISOString().slice(0, 10);
  const ui = options.temporalUiUrl;
  const q = (query: string) => `${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;

  const lines = [
    '',
    `Demo ${s.runTag} (seed ${options.seed}): ${planned.length} orders in ${Math.round(s.seconds)} s`,
    `  sent: ${planned.length - s.intake.batched - viaMarketplaces} one by one (POST /v1/orders), ${s.intake.batched} in ${s.intake.batches} batch(es) (POST /v1/orders/batch); ` +
      `accepted ${s.intake.accepted}, duplicates ${s.intake.duplicates}, rejected ${s.intake.rejected.length}` +
      (s.apiThrottled > 0 ? `; the API's rate limit made the demo wait ${s.apiThrottled} time(s)` : ''),
    ...s.intake.rejected.slice(0, 5).map((r) => `    rejected ${r}`),
    ...s.marketplaces.map(marketplaceLine),
    s.stock.length > 0
      ? `  stock sync: ${s.stock.map((c) => `${c.warehouseId}/${c.sku} ${c.from}→${c.to}`).join(', ')}`
      : '  stock sync: enough stock already',
    '',
    `  Orders by status (GET /v1/orders, ${mine.length} of ${planned.length} recorded):`,
    table(byStatus),
    '',
    '  Labels per carrier (voided ones included):',
    ...CARRIERS.map(
      (c) =>
        `    ${c.padEnd(10)} ${String(booked.filter((p) => p.carrier === c).length).padStart(4)} outbound  ${String(returns.filter((p) => p.carrier === c).length).padStart(3)} return`,
    ),
    `    ${'no label'.padEnd(10)} ${String(parcels.filter((p) => !p.trackingNumber).length).padStart(4)} parcel(s): booking, cancelled before a label, or waiting for ops`,
    preferredElsewhere.length > 0
      ? `  Preferred carrier not used (faults, COD or capabilities): ${preferredElsewhere.map(([k, n]) => `${k} ${n}`).join(', ')}`
      : '  Preferred carrier not used: none',
    `  Carrier sandbox (everything it holds): ${CARRIERS.map((c) => `${c} ${s.caught.carriers[c].total} booked / ${s.caught.carriers[c].live} live`).join(', ')}`,
    '',
    `  Scans sent: ${
      Object.entries(s.counters.scans)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || 'none'
    }` + (s.counters.advanceErrors > 0 ? ` (${s.counters.advanceErrors} refused by the sandbox)` : ''),
    `  Cancellations: ${s.counters.cancels.accepted} accepted, ${s.counters.cancels.refused} refused · returns: ${s.counters.returns.accepted} accepted, ${s.counters.returns.refused} refused · addresses corrected: ${s.counters.addressesCorrected}`,
    ...s.counters.refusals.slice(0, 5).map((r) => `    ${r}`),
    '',
    '  Caught by the sandbox for these orders so far (more follow as parcels move):',
    `    emails   ${caught(s.caught.mail)}`,
    `    SMS      ${caught(s.caught.sms)}`,
    `    webhooks ${caught(s.caught.webhooks)} to the OMS` +
      (s.caught.webhooksBadSignature > 0 ? `, ${s.caught.webhooksBadSignature} with a bad signature` : ''),
    `    webhook subscribers: ${s.subscribers}`,
    `    ratings  ${s.ratings.rated} customers rated their delivery from the email's link (${s.ratings.low} low, 1-2 ★: ops alerted)`,
    s.faults.length > 0
      ? `  Faults injected:\n${s.faults.map((f) => `    +${(f.at / 1000).toFixed(0).padStart(4)} s  ${f.label}`).join('\n')}`
      : '  Faults: none (add --faults)',
    '',
    `  Handover lists closed for today (POST /v1/handovers/close; docs/operations.md, "The floor's day"):`,
    ...(s.handovers.length > 0
      ? s.handovers.map((h) => `    ${h.handoverId.padEnd(28)} ${String(h.parcels).padStart(4)} parcel(s)  ${options.apiUrl}${h.pdfUrl}`)
      : ['    none: no parcel was labelled before the cut-off']),
    `    a PDF: curl -H 'Authorization: Bearer ${DEV_API_KEY}' -o handover.pdf <its URL>`,
    '',
    '  Where to look:',
    `    Temporal UI      ${ui}  queries:`,
    `                     NeedsAttention = true                 ${q('NeedsAttention = true')}`,
    `                     OrderStatus = "delivered"`,
    `                     Carrier = "ups" AND OrderStatus = "in_transit"`,
    `                     WorkflowId STARTS_WITH "order-DEMO-${s.runTag}"`,
    `    KPI dashboard    ${options.apiUrl}/dashboard#key=${DEV_API_KEY}&from=${today}&to=${today}`,
    `    Orders           curl -H 'Authorization: Bearer ${DEV_API_KEY}' '${options.apiUrl}/v1/orders?needsAttention=true'`,
    `    Mail             ${options.sandboxUrl}/_admin/mail   SMS ${options.sandboxUrl}/_admin/sms/messages   webhooks ${options.sandboxUrl}/_admin/inbox/deliveries`,
    `    Parcels          ${options.sandboxUrl}/_admin/ups/shipments (and yurtici, aras, mng, surat, ptt)`,
  ];
  if (attention.length > 0) {
    lines.push(
      `  Waiting for ops (${attention.length}): ${attention
        .slice(0, 6)
        .map((o) => `${o.orderId} ${o.status}`)
        .join(', ')}${attention.length > 6 ? ', …' : ''}`,
      ...s.attentionReasons.map(([why, n]) => `    ${String(n).padStart(3)} × ${why}`),
      `    fix one: curl -X POST -H 'Authorization: Bearer ${DEV_API_KEY}' -H 'Content-Type: application/json' -d '{}' ${options.apiUrl}/v1/shipments/shipment-${(attention.find((o) => o.status === 'needs_attention') ?? attention[0]).orderId}-1/retry-booking`,
      '      (or send the signal retryBooking {} to the workflow the parcel runs in from the UI: its order, when it ships from one warehouse; address_invalid orders need PUT /v1/orders/:id/shipping-address)',
    );
  }
  return lines.filter((l, i, all) => !(l === '' && all[i - 1] === '')).join('\n');
}
