// The run's summary as people read it (the --json file holds the whole report).
import type { ChaosReport } from './runner';
import { STALL_WINDOW_S } from './stall';

const LIST_LIMIT = 20;

function list<T>(items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, LIST_LIMIT).map((item) => `                ${line(item)}`);
  if (items.length > LIST_LIMIT) shown.push(`                … and ${items.length - LIST_LIMIT} more (see the --json report)`);
  return shown;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const flag = (n: number, word: string) => (n > 0 ? `${word.toUpperCase()} ${n}` : `${word} 0`);

export function formatReport(r: ChaosReport): string {
  const v = r.verification;
  const { chaos, submitted } = r;
  const out: string[] = [];
  out.push(`══ chaos run · seed ${r.seed} · ${r.orders} orders · ${r.durationS} s ${'═'.repeat(40)}`);

  const resends =
    submitted.resends.sent > 0
      ? ` · ${submitted.resends.sent} resent → 200 ×${submitted.resends.answered200}${Object.entries(submitted.resends.other)
          .map(([s, n]) => `, ${s} ×${n}`)
          .join('')}`
      : '';
  out.push(
    `orders          accepted ${submitted.accepted} (${submitted.direct} started with short timers, ${submitted.viaApi} through POST /v1/orders incl. ${submitted.probes} outage probe(s)); ${submitted.retried} retried after a refusal${resends}`,
  );
  out.push(
    `                completed ${v.completed.length} · ${flag(v.lost.length, 'lost')} · needs_attention at the end ${v.needsAttention.length}${submitted.unsubmitted.length ? ` · NEVER ACCEPTED ${submitted.unsubmitted.length}` : ''}`,
  );

  const transientAttention = r.needsAttention.filter((c) => c.transientOnly).length;
  out.push(
    `ends            ${flag(v.workflowsFailed.length, 'workflows failed')} (of ${v.workflowsChecked} runs) · ${flag(v.openPastDeadline.length, 'orders open past their final deadline')} · ${flag(transientAttention, 'parcels sent to needs_attention by transient faults alone')}`,
  );

  const perCarrier = Object.entries(v.bookingsPerCarrier)
    .map(([c, n]) => `${c} ${n.live}`)
    .join(' · ');
  const voided = Object.values(v.bookingsPerCarrier).reduce((a, n) => a + n.voided, 0);
  out.push(
    `bookings        live: ${perCarrier} (${voided} voided) · ${flag(v.duplicateBookings.length, 'duplicate live')} · orphan ${v.orphanBookings.length} · recorded but voided ${v.recordedButVoided.length} · untraced ${v.untraced.length}`,
  );
  const n = v.notifications;
  out.push(
    `notifications   ${n.sent} sent, ${n.ledgerRows} in the ledger · ${flag(n.duplicates.length, 'duplicate')} · recorded but not sent ${n.recordedNotSent} · delivered parcels missing a notice ${n.missing.length}`,
  );
  const m = r.messages;
  out.push(
    `                received: ${m.emails} emails, ${m.sms} SMS · ${flag(m.duplicates.length, 'received twice')} · email resends the provider dropped by idempotency key ${m.emailResendsDropped}`,
  );
  out.push(
    `webhooks        ${m.webhooks.delivered}/${m.webhooks.events} events delivered to the OMS · ${flag(m.webhooks.missing.length, 'missing')} · resent ${m.webhooks.redelivered} (at least once) · bad signatures ${m.webhooks.badSignatures}`,
  );
  out.push(`logs            ${r.logs.lines} engine log lines · ${flag(r.logs.leaks.length, 'with personal data or a secret')}`);

  const kills = chaos.workerKills
    .map((k) => `${Math.round(k.atS)} s${k.restartedAfterS !== undefined ? ` (back after ${k.restartedAfterS} s)` : ''}`)
    .join(', ');
  out.push(`chaos           worker SIGKILL ×${chaos.workerKills.length}${kills ? `: ${kills}` : ''}`);
  for (const restart of chaos.restarts)
    out.push(`                ${restart.what} restarted at ${Math.round(restart.atS)} s (down ${restart.downS} s)`);
  for (const kill of chaos.clusterKills)
    out.push(
      `                ${kill.service} SIGKILL at ${Math.round(kill.atS)} s${kill.shards ? ` (owner of ${kill.shards} shards)` : ''}${kill.backAfterS !== undefined ? `, back after ${kill.backAfterS} s` : ', NOT BACK'}`,
    );
  if (chaos.steadyFaults) out.push(`                carriers: ${chaos.steadyFaults}`);
  for (const d of chaos.carrierDown)
    out.push(
      `                ${d.carrier} down from ${Math.round(d.fromS)} s to ${d.toS !== undefined ? `${Math.round(d.toS)} s` : 'the end'}`,
    );
  if (chaos.rateLimitBursts.length)
    out.push(
      `                429 bursts: ${chaos.rateLimitBursts.map((b) => `${b.carrier} ×${b.times} at ${Math.round(b.atS)} s`).join(', ')}`,
    );
  const w = chaos.webhooks;
  const answers = Object.entries(w.answers)
    .map(([a, k]) => `${a} ×${k}`)
    .join(', ');
  out.push(
    `                UPS webhooks: ${w.duplicates} resent, ${w.outOfOrder} older scan(s) after newer, ${w.late} late after delivery, ${w.failedReplayed} failed deliveries replayed${answers ? `; the API answered the signed posts ${answers}` : ''}`,
  );
  out.push(`                ${chaos.parcelScans} parcel scans made in the sandbox`);

  if (chaos.crashes.length) {
    out.push('crashes');
    out.push(
      ...list(
        chaos.crashes,
        (c) =>
          `${c.name} exited by itself (code ${c.code ?? c.signal}) at ${Math.round(c.atS)} s${c.during ? ` during the ${c.during} outage` : ''}; the runner started it again`,
      ),
    );
  }
  if (r.outageChecks.length) {
    out.push('outages');
    out.push(
      ...list(
        r.outageChecks,
        (c) =>
          `${c.ok ? '✓' : '✗'} ${c.outage.padEnd(8)} ${c.what.padEnd(28)} ${String(c.status).padEnd(8)} ${seconds(c.ms).padStart(7)}   expected ${c.expected}`,
      ),
    );
  }
  if (r.stalls.length) {
    out.push(
      `stalls          order status changes a second, ${STALL_WINDOW_S} s before → after each fault; the longest pause; stalled: until a 5 s window is back to half the rate`,
    );
    out.push(
      ...list(
        r.stalls,
        (s) =>
          `${s.what.padEnd(20)} at ${String(Math.round(s.atS)).padStart(4)} s: ${s.beforePerS.toFixed(1)} → ${s.afterPerS.toFixed(1)}/s · pause ${s.longestPauseS.toFixed(1)} s · stalled ${s.stalledS !== null ? `${s.stalledS.toFixed(1)} s` : s.beforePerS > 0 ? 'NOT BACK within 120 s' : 'n/a (nothing flowed before)'}`,
      ),
    );
  }
  if (r.needsAttention.length) {
    out.push(
      `needs_attention ${r.needsAttention.length} parcel(s) went there, ${transientAttention} by transient faults alone (the run injects no refusal); the runner, as ops, sent retry-booking (up to 5×, 5 s, 10 s, 20 s… apart):`,
    );
    out.push(
      ...list(
        r.needsAttention,
        (c) =>
          `${c.shipmentId} at ${c.atS} s: ${c.reason}${c.decision ? ` [${c.decision}]` : ''}; failures: ${c.failureTypes.join(', ') || 'none seen'}${c.transientOnly ? ' (TRANSIENT ONLY)' : ''}; carriers then: ${c.carriers}; ${c.episodes > 1 ? `${c.episodes} times; ` : ''}retried ${c.retries}×, ${c.resolved ? 'booked after' : 'STILL WAITING'}`,
      ),
    );
  }
  if (v.lost.length) {
    out.push('lost');
    out.push(...list(v.lost, (o) => `${o.orderId} (${o.door}${o.carrier ? `, ${o.carrier}` : ''}): ${o.why}`));
  }
  if (v.workflowsFailed.length) {
    out.push('workflows failed');
    out.push(...list(v.workflowsFailed, (w) => `${w.workflowId} (${w.type}): ${w.how}`));
  }
  if (v.openPastDeadline.length) {
    out.push('orders open past their final deadline');
    out.push(...list(v.openPastDeadline, (o) => `${o.orderId} (${o.door}${o.carrier ? `, ${o.carrier}` : ''}): ${o.why}`));
  }
  if (v.duplicateBookings.length) {
    out.push('duplicate live bookings');
    out.push(
      ...list(v.duplicateBookings, (b) => `${b.shipmentId}: live ${b.live.join(', ')}; the engine recorded ${b.recorded ?? 'none'}`),
    );
  }
  if (v.orphanBookings.length) {
    out.push('orphan bookings (live at the carrier, not the one the engine recorded)');
    out.push(...list(v.orphanBookings, (b) => `${b.shipmentId}: live ${b.live.join(', ')}; the engine recorded ${b.recorded ?? 'none'}`));
  }
  if (v.recordedButVoided.length) {
    out.push('recorded bookings voided at the carrier');
    out.push(...list(v.recordedButVoided, (b) => `${b.shipmentId}: recorded ${b.recorded}; live ${b.live.join(', ') || 'none'}`));
  }
  if (n.duplicates.length) {
    out.push('duplicate notifications');
    out.push(...list(n.duplicates, (d) => `${d.orderId} ${d.event} ×${d.count} (${d.source})`));
  }
  if (n.missing.length) {
    out.push('delivered parcels missing a notice');
    out.push(...list(n.missing, (m) => `${m.shipmentId}: no ${m.event}`));
  }
  if (m.duplicates.length) {
    out.push('messages received twice');
    out.push(...list(m.duplicates, (d) => `${d.channel} ${d.key} ×${d.count}`));
  }
  if (m.webhooks.missing.length) {
    out.push('webhook events never received');
    out.push(...list(m.webhooks.missing, (e) => `${e.orderId} ${e.type} ${e.eventId}`));
  }
  if (r.logs.leaks.length) {
    out.push('log lines with personal data or secrets');
    out.push(...list(r.logs.leaks, (l) => `${l.log}: ${l.what}: ${l.line}`));
  }
  if (v.recordMismatches.length) {
    out.push('orders table behind its workflow');
    out.push(...list(v.recordMismatches, (m) => `${m.orderId}: workflow ${m.workflow}, database ${m.database}`));
  }
  out.push(r.verdict.pass ? 'verdict         PASS: nothing lost, nothing twice' : `verdict         FAIL: ${r.verdict.failures.join('; ')}`);
  if (r.kept) out.push(`                logs and data: ${r.dir}`);
  return out.join('\n');
}
