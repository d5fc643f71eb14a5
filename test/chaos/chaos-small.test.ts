// npm run chaos at small size: 20 orders through a stack of the run's own (PostgreSQL, Temporal
// dev server, carrier sandbox, worker, API as child processes on free ports), while the worker
// is SIGKILLed once, Temporal and PostgreSQL are each restarted and the carriers fail. Nothing
// may be lost and nothing may happen twice; no personal data or secret may reach a log. About two minutes.
import { parseArgs } from '../../chaos/run';
import { formatReport } from '../../chaos/report';
import { runChaos, type ChaosReport } from '../../chaos/runner';

let report: ChaosReport;

beforeAll(async () => {
  report = await runChaos({
    orders: 20,
    seed: 7,
    workerKills: 1,
    outageSeconds: 5,
    drainSeconds: 90,
    say: () => undefined,
    // Logs and databases are kept for what this test asserts.
    keepWhen: (r) =>
      r.verification.lost.length +
        r.verification.duplicateBookings.length +
        r.verification.notifications.duplicates.length +
        r.submitted.unsubmitted.length >
      0,
  });
  process.stdout.write(`\n${formatReport(report)}\n`);
}, 240_000);

test('the chaos happened while the orders flowed', () => {
  expect(report.chaos.workerKills).toHaveLength(1);
  expect(report.chaos.restarts.map((r) => r.what).sort()).toEqual(['postgres', 'temporal']);
  expect(report.chaos.steadyFaults).not.toBeNull();
  expect(report.chaos.carrierDown).toHaveLength(1);
  expect(report.chaos.parcelScans).toBeGreaterThan(0);
  expect(report.submitted.accepted).toBeGreaterThanOrEqual(20);
});

test('no order is lost: every accepted order reached where it should, every order was accepted', () => {
  expect(report.verification.lost).toEqual([]);
  expect(report.submitted.unsubmitted).toEqual([]);
  expect(report.verification.completed.length + report.verification.needsAttention.length).toBe(report.submitted.accepted);
});

test('every order ends (issue 16): no workflow failed or stuck, no order open past its final deadline, no parcel sent to ops by transient faults alone', () => {
  expect(report.verification.workflowsFailed).toEqual([]);
  expect(report.verification.openPastDeadline).toEqual([]);
  expect(report.needsAttention.filter((c) => c.transientOnly)).toEqual([]);
});

test('no parcel has two live bookings, across every carrier', () => {
  expect(report.verification.duplicateBookings).toEqual([]);
  expect(report.verification.untraced).toEqual([]);
});

test('no customer is told the same thing twice: not by the ledger, not in what the mail catcher and SMS gateway received', () => {
  expect(report.verification.notifications.duplicates).toEqual([]);
  expect(report.messages.emails).toBeGreaterThan(0);
  expect(report.messages.sms).toBeGreaterThan(0);
  expect(report.messages.duplicates).toEqual([]);
});

test('every webhook event of every order reached the OMS, signed', () => {
  expect(report.messages.webhooks.events).toBeGreaterThan(0);
  expect(report.messages.webhooks.missing).toEqual([]);
  expect(report.messages.webhooks.badSignatures).toBe(0);
});

test('no customer name, email, phone or street, and no secret, in any engine log line', () => {
  expect(report.logs.lines).toBeGreaterThan(0);
  expect(report.logs.leaks).toEqual([]);
});

test('through the Temporal and PostgreSQL outages the API answered (503 while down) and came back by itself; no process crashed', () => {
  expect(report.outageChecks.filter((c) => !c.ok)).toEqual([]);
  expect(report.chaos.crashes.filter((c) => c.name === 'api' || c.name === 'worker')).toEqual([]);
  expect(report.verdict).toEqual({ pass: true, failures: [] });
});

test('npm run chaos reads its flags; defaults follow the order count', () => {
  const { options, json } = parseArgs(['--orders', '50', '--seed', '3', '--json', 'out.json', '--no-faults']);
  expect(options).toMatchObject({ orders: 50, seed: 3, faults: false, workerKills: 2, rate: 2 });
  expect(json).toBe('out.json');
  expect(parseArgs([]).options).toMatchObject({ orders: 1_000, workerKills: 5, rate: 4 });
  expect(() => parseArgs(['--orders'])).toThrow(/needs a number/);
});
