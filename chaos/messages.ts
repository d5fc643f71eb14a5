// What the customers and the OMS actually received, read back from the sandbox: every email (by
// its Message-ID, which the ledger key makes unique per order, parcel and event) and SMS (by the
// gateway's idempotency key) at most once, and every outbound event of the run's orders delivered
// to the webhook subscriber (at least once, with a valid signature).
import type { Pool } from 'pg';
import type { SandboxAdmin } from './sandbox-admin';

export interface MessageFindings {
  emails: number;
  sms: number;
  /** Emails sent again (a worker died before noting them sent) that the provider dropped by their idempotency key. */
  emailResendsDropped: number;
  /** A message the customer got more than once. */
  duplicates: { channel: 'email' | 'sms'; key: string; count: number }[];
  webhooks: {
    events: number;
    delivered: number;
    /** Deliveries beyond the first (allowed: at least once). */
    redelivered: number;
    badSignatures: number;
    /** Events of the run's orders the subscriber never received. */
    missing: { eventId: string; orderId: string; type: string }[];
  };
}

const repeated = (keys: string[]) => {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
};

export async function verifyMessages({
  pool,
  admin,
  orderIds,
  settleSeconds = 60,
}: {
  pool: Pool;
  admin: SandboxAdmin;
  orderIds: string[];
  settleSeconds?: number;
}): Promise<MessageFindings> {
  // The dispatcher may still be working through the outbox: give it a moment to drain.
  for (let deadline = Date.now() + settleSeconds * 1000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1_000))) {
    const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'");
    if (rows[0].n === 0) break;
  }
  const [{ messages: mails, deduplicated }, sms, deliveries] = await Promise.all([
    admin.mails(),
    admin.smsMessages(),
    admin.inboxDeliveries(),
  ]);
  const ours = new Set(orderIds);
  const { rows: events } = await pool.query<{ event_id: string; order_id: string; type: string }>(
    'SELECT event_id, order_id, type FROM outbound_events WHERE order_id = ANY ($1)',
    [[...ours]],
  );
  const received = new Set(deliveries.filter((d) => d.signatureValid).map((d) => d.eventId));
  const eventIds = new Set(events.map((e) => e.event_id));
  const ourDeliveries = deliveries.filter((d) => d.eventId && eventIds.has(d.eventId));
  return {
    emails: mails.length,
    sms: sms.length,
    emailResendsDropped: deduplicated,
    duplicates: [
      ...repeated(mails.map((m) => m.messageId ?? '')).map(([key, count]) => ({ channel: 'email' as const, key, count })),
      ...repeated(sms.map((m) => m.idempotencyKey)).map(([key, count]) => ({ channel: 'sms' as const, key, count })),
    ],
    webhooks: {
      events: events.length,
      delivered: events.filter((e) => received.has(e.event_id)).length,
      redelivered: ourDeliveries.length - new Set(ourDeliveries.map((d) => d.eventId)).size,
      badSignatures: deliveries.filter((d) => !d.signatureValid).length,
      missing: events.filter((e) => !received.has(e.event_id)).map((e) => ({ eventId: e.event_id, orderId: e.order_id, type: e.type })),
    },
  };
}
