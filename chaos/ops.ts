// The runner as ops staff: a parcel in needs_attention (every carrier failed it) is noted with
// the shipment's own reason and what the carriers were doing at the time, then booked again
// with POST /v1/shipments/:shipmentId/retry-booking, as the runbook says, a few times at most.
import type { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';
import { CARRIER_FAILURE_TYPES, onlyTransientFailures, UNCLASSIFIED_FAILURE } from '../domain/carrier-failures';
import { shipmentQuery } from '../workflows/definitions';
import { parcelWorkflowId } from '../lib/parcels';
import { DEV_API_KEY } from './stack';

export interface AttentionCase {
  shipmentId: string;
  orderId: string;
  /** Seconds into the run it was first seen. */
  atS: number;
  seenAt: number;
  /** The shipment's attention text and the carrier decision behind it. */
  reason: string;
  decision?: string;
  /** What the carriers were doing then (faults on, a carrier down). */
  carriers: string;
  /** The failure types of the shipment's activities so far (a timeout counts as CarrierTimeout). */
  failureTypes: string[];
  /** Every failure was transient (5xx, timeout, 429, a carrier down): no carrier truly refused, ops should not have been called. */
  transientOnly: boolean;
  /** Times it went there (again after a retry). */
  episodes: number;
  retries: number;
  lastRetryAt?: number;
  resolved: boolean;
}

const UNASKED = '(the shipment could not be asked';

export class OpsDesk {
  readonly cases = new Map<string, AttentionCase>();

  constructor(
    private readonly deps: {
      pool: Pool;
      client: Client;
      connection: Connection;
      apiUrl: string;
      maxRetries: number;
      carriersNow: () => string;
      startedAt: number;
    },
  ) {}

  async sweep(now: number): Promise<void> {
    const { pool, apiUrl, maxRetries } = this.deps;
    const { rows } = await pool.query<{ shipment_id: string; order_id: string }>(
      `SELECT shipment_id, order_id FROM shipments WHERE status = 'needs_attention'`,
    );
    const open = new Set(rows.map((r) => r.shipment_id));
    for (const c of this.cases.values()) if (!open.has(c.shipmentId) && c.retries > 0) c.resolved = true;
    for (const { shipment_id: shipmentId, order_id: orderId } of rows) {
      let c = this.cases.get(shipmentId);
      if (!c) {
        c = {
          shipmentId,
          orderId,
          atS: Math.round((now - this.deps.startedAt) / 1000),
          seenAt: now,
          reason: '',
          carriers: this.deps.carriersNow(),
          failureTypes: [],
          transientOnly: false,
          episodes: 1,
          retries: 0,
          resolved: false,
        };
        this.cases.set(shipmentId, c);
        await this.describe(c);
      } else if (c.resolved) {
        c.resolved = false; // back after a retry: every carrier failed again
        c.episodes += 1;
        c.seenAt = now;
        c.carriers += `; then ${this.deps.carriersNow()}`;
        await this.describe(c);
      }
      if (c.reason.startsWith(UNASKED)) await this.describe(c);
      // Like a person on shift: 5 s after seeing it, then 10, 20, 30… apart, up to maxRetries.
      if (c.retries >= maxRetries || now - (c.lastRetryAt ?? c.seenAt) < Math.min(5_000 * 2 ** c.retries, 30_000)) continue;
      const res = await fetch(`${apiUrl}/v1/shipments/${encodeURIComponent(shipmentId)}/retry-booking`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEV_API_KEY}` },
        body: '{}',
        signal: AbortSignal.timeout(15_000),
      }).catch(() => undefined);
      if (res?.status === 202) {
        c.retries += 1;
        c.lastRetryAt = now;
      }
    }
  }

  private async describe(c: AttentionCase): Promise<void> {
    try {
      // The parcel's own workflow, or its order's when it runs inside it: its carrier calls are there either way.
      const parcel = this.deps.client.workflow.getHandle(await parcelWorkflowId(this.deps.pool, c.shipmentId));
      const view = await this.deps.connection.withDeadline(Date.now() + 5_000, () => parcel.query(shipmentQuery));
      c.reason = view.attention ?? view.status;
      c.decision = view.decision?.reason;
      const history = await this.deps.connection.withDeadline(Date.now() + 15_000, () => parcel.fetchHistory());
      c.failureTypes = [...new Set(failureTypesOf(history.events ?? []))];
      c.transientOnly = onlyTransientFailures(c.failureTypes);
    } catch (err) {
      c.reason = `${UNASKED}: ${(err as Error).message})`;
    }
  }

  /** Cases ops should never have seen: every failure before them was transient. */
  transientOnly(): AttentionCase[] {
    return [...this.cases.values()].filter((c) => c.transientOnly);
  }

  /** Still waiting for ops when the run ended. */
  open(): AttentionCase[] {
    return [...this.cases.values()].filter((c) => !c.resolved);
  }
}

/** How each activity of a shipment's history failed, as the engine classifies carrier failures (domain/carrier-failures.ts). */
export function failureTypesOf(events: temporal.api.history.v1.IHistoryEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.activityTaskTimedOutEventAttributes) return [CARRIER_FAILURE_TYPES.timeout];
    const failure = e.activityTaskFailedEventAttributes?.failure;
    return failure ? [failure.applicationFailureInfo?.type || UNCLASSIFIED_FAILURE] : [];
  });
}
