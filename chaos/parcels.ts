// Parcels move as a carrier moves them: once the engine has a label (a tracking number in its
// shipments table), the runner advances the parcel one happy-path scan at a time in the sandbox,
// a second or three apart, until it is delivered. UPS pushes each scan to the API by Track Alert;
// the runner adds the webhook faults of a real carrier: resends of the same delivery,
// older scans arriving after newer ones, deliveries replayed long after (also the ones that
// failed while the API or its database was down).
import type { Pool } from 'pg';
import { pushTrackAlert } from '../sandbox/ups/webhooks';
import type { Door } from './orders';
import type { Random } from './random';
import type { SandboxAdmin, SandboxBooking, UpsDelivery } from './sandbox-admin';
import type { CarrierName } from './stack';

interface ParcelState {
  nextAt: number;
  ended: boolean;
  moves: number;
}

export interface WebhookStats {
  /** Sandbox resends of a delivery already made (same event id). */
  duplicates: number;
  /** Older scans posted (signed) after newer ones. */
  outOfOrder: number;
  /** Deliveries resent after the parcel was delivered. */
  late: number;
  /** Deliveries that had failed (the API down or its database) sent again. */
  failedReplayed: number;
  /** The API's answers to the runner's own signed posts: `<http status> <status|error>` → count. */
  answers: Record<string, number>;
}

export class ParcelMover {
  private readonly parcels = new Map<string, ParcelState>();
  private readonly replays = new Map<string, number>();
  readonly webhooks: WebhookStats = { duplicates: 0, outOfOrder: 0, late: 0, failedReplayed: 0, answers: {} };
  moved = 0;
  /** Tracking numbers the engine recorded that the carrier did not know: must stay 0. */
  readonly unknownToCarrier = new Set<string>();

  constructor(
    private readonly deps: {
      pool: Pool;
      admin: SandboxAdmin;
      apiUrl: string;
      /** The Track Alert client registered for the API (UPS_WEBHOOK_CLIENT_ID, UPS_WEBHOOK_SECRET). */
      upsTrackAlert: { clientId: string; clientSecret: string };
      random: Random;
      /** Which door an order came through (orders through the API are moved only when their carrier pushes scans). */
      doorOf: (orderId: string) => Door | undefined;
    },
  ) {}

  /** One pass: every labelled parcel due for its next scan gets it, with the webhook faults on the way. */
  async sweep(now: number): Promise<void> {
    const { pool, admin, random } = this.deps;
    const { rows } = await pool.query<{ order_id: string; carrier: CarrierName; tracking_number: string }>(
      `SELECT order_id, carrier, tracking_number FROM shipments
        WHERE tracking_number IS NOT NULL AND status NOT IN ('delivered', 'cancelled', 'returned', 'needs_attention', 'address_invalid')`,
    );
    // Orders through the API keep the engine's default timers (first poll after an hour): only
    // a carrier that pushes its scans (UPS) reaches them within the run.
    const due = rows.filter((r) => {
      if (this.deps.doorOf(r.order_id) === 'api' && r.carrier !== 'ups') return false;
      const state = this.parcels.get(`${r.carrier}:${r.tracking_number}`);
      return !state || (!state.ended && state.nextAt <= now);
    });
    let upsMoved = false;
    for (let i = 0; i < due.length; i += 16) {
      await Promise.all(
        due.slice(i, i + 16).map(async ({ carrier, tracking_number: trackingNumber }) => {
          const key = `${carrier}:${trackingNumber}`;
          const state = this.parcels.get(key) ?? { nextAt: 0, ended: false, moves: 0 };
          this.parcels.set(key, state);
          const outcome = await admin.advance(carrier, trackingNumber).catch(() => 'error' as const);
          if (outcome === 'moved') {
            state.moves += 1;
            this.moved += 1;
            if (carrier === 'ups') upsMoved = true;
          }
          if (outcome === 'end') state.ended = true;
          if (outcome === 'unknown') this.unknownToCarrier.add(key);
          state.nextAt = now + random.between(1_000, 3_000);
        }),
      );
    }
    if (upsMoved || this.upsFollowed()) await this.webhookFaults();
  }

  private upsFollowed(): boolean {
    return [...this.parcels.keys()].some((key) => key.startsWith('ups:'));
  }

  /** Resends, scrambled order and late replays on UPS's pushed scans. */
  private async webhookFaults(): Promise<void> {
    const { admin, random } = this.deps;
    const [deliveries, bookings] = await Promise.all([admin.upsDeliveries(), admin.bookings('ups')]);
    const byTracking = new Map<string, UpsDelivery[]>();
    for (const d of deliveries) byTracking.set(d.trackingNumber, [...(byTracking.get(d.trackingNumber) ?? []), d]);
    const jobs: Promise<unknown>[] = [];

    for (const d of deliveries.filter((x) => x.state === 'failed')) {
      const n = this.replays.get(d.eventId) ?? 0;
      if (n >= 5) continue;
      this.replays.set(d.eventId, n + 1);
      this.webhooks.failedReplayed += 1;
      jobs.push(admin.redeliver(d.eventId));
    }
    for (const booking of bookings.filter((b) => b.live && b.trackingNumber && this.parcels.has(`ups:${b.trackingNumber}`))) {
      const sent = (byTracking.get(booking.trackingNumber!) ?? []).filter((d) => d.state === 'delivered');
      if (sent.length === 0) continue;
      const last = booking.scans.at(-1)!;
      if (last.code.startsWith('D')) {
        // Late: once, some seconds after delivery, an old scan comes again.
        if (Date.parse(last.at) > Date.now() - 5_000) continue;
        if (this.replays.has(`late:${booking.trackingNumber}`)) continue;
        this.replays.set(`late:${booking.trackingNumber}`, 1);
        if (random.chance(0.4)) {
          this.webhooks.late += 1;
          jobs.push(admin.redeliver(random.pick(sent).eventId));
        }
        continue;
      }
      if (random.chance(0.2)) {
        this.webhooks.duplicates += 1;
        jobs.push(admin.redeliver(random.pick(sent).eventId));
      }
      const older = booking.scans.slice(1, -1); // after the label, before the newest
      if (older.length > 0 && random.chance(0.2)) {
        this.webhooks.outOfOrder += 1;
        jobs.push(this.postScan(booking, random.pick(older)));
      }
    }
    await Promise.all(jobs.map((job) => job.catch(() => undefined)));
  }

  /** One real scan pushed again, out of order, as a carrier's second system might send it. */
  private async postScan(booking: SandboxBooking, scan: { code: string; at: string }): Promise<void> {
    const [type, code] = scan.code.split('/');
    const body = JSON.stringify({
      trackingNumber: booking.trackingNumber,
      activityStatus: { type, code },
      gmtActivityDate: scan.at.slice(0, 10).replaceAll('-', ''),
      gmtActivityTime: scan.at.slice(11, 19).replaceAll(':', ''),
    });
    const url = `${this.deps.apiUrl}/v1/webhooks/carriers/ups`;
    const res = await pushTrackAlert({ url, tokenUrl: `${url}/token`, ...this.deps.upsTrackAlert }, body);
    const answer = (await res.json().catch(() => ({}))) as { status?: string; error?: string };
    const key = `${res.status} ${answer.status ?? answer.error ?? ''}`.trim();
    this.webhooks.answers[key] = (this.webhooks.answers[key] ?? 0) + 1;
  }
}
