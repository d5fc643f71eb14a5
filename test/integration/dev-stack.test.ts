// The README's run command (scripts/dev) brings the whole stack up: an order posted to
// the API is booked with a carrier in the sandbox, shows in `temporal workflow list` and tells the
// customer (email, SMS) and the OMS (a signed webhook), the Temporal UI answers, and SIGTERM stops every process it started.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, TEMPORAL_CLI } from '../helpers/env';
import { freePort } from '../helpers/ports';
import { sampleOrder } from '../helpers/orders';

const run = promisify(execFile);
let stack: ChildProcess;
let output = '';
let ports: { temporal: number; ui: number; api: number; sandbox: number; smtp: number };

function waitForOutput(text: string, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${seconds} s; output:\n${output}`)), seconds * 1000);
    const check = () => {
      if (!output.includes(text)) return;
      clearTimeout(timer);
      resolve();
    };
    stack.stdout!.on('data', check);
    stack.stderr!.on('data', check);
  });
}

async function portOpen(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}

beforeAll(async () => {
  ports = { temporal: await freePort(), ui: await freePort(), api: await freePort(), sandbox: await freePort(), smtp: await freePort() };
  stack = spawn('bash', ['scripts/dev'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
      TEMPORAL_UI_PORT: String(ports.ui),
      API_PORT: String(ports.api),
      SANDBOX_PORT: String(ports.sandbox),
      SANDBOX_SMTP_PORT: String(ports.smtp),
      TEMPORAL_DB_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'dev-stack-')), 'temporal.db'),
      KEEP_POSTGRES: '1', // the other suites share this PostgreSQL
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout!.on('data', (chunk) => (output += chunk));
  stack.stderr!.on('data', (chunk) => (output += chunk));
  await waitForOutput('Ctrl-C stops everything', 150);
}, 180_000);

afterAll(async () => {
  if (stack && stack.exitCode === null) stack.kill('SIGTERM');
});

test('an order posted to the running stack is booked with a carrier in the sandbox, listed by the Temporal CLI, and the UI answers', async () => {
  const order = sampleOrder();
  const res = await fetch(`http://127.0.0.1:${ports.api}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer dev-key-change-me' }, // the development key
    body: JSON.stringify(order),
  });
  expect(res.status).toBe(202);

  const list = async () =>
    (await run(TEMPORAL_CLI, ['workflow', 'list', '--address', `127.0.0.1:${ports.temporal}`, '--query', `WorkflowId="order-${order.orderId}"`])).stdout;
  let listed = await list();
  for (let i = 0; i < 50 && !listed.includes(`order-${order.orderId}`); i++) {
    await new Promise((r) => setTimeout(r, 200));
    listed = await list();
  }
  expect(listed).toContain(`order-${order.orderId}`);

  let view = { status: '', shipments: [] as { carrier?: string }[] };
  for (let i = 0; i < 100 && view.status !== 'labelled'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const res = await fetch(`http://127.0.0.1:${ports.api}/v1/orders/${order.orderId}`, { headers: { authorization: 'Bearer dev-key-change-me' } });
    view = (await res.json()) as typeof view;
  }
  expect(view.status).toBe('labelled');
  expect(['ups', 'yurtici']).toContain(view.shipments[0].carrier); // the cheaper of the sandbox's carriers

  const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
  expect(ui.status).toBe(200);

  // The trail the label leaves: the customer's email and SMS, and the signed webhook to the OMS (all caught by the sandbox).
  const sandbox = async <T>(path: string): Promise<T> => (await fetch(`http://127.0.0.1:${ports.sandbox}/_admin/${path}`)).json() as Promise<T>;
  const trail = async () => ({
    mails: (await sandbox<{ messages: { subject: string }[] }>('mail/messages')).messages.filter((m) => m.subject.includes(order.orderId)),
    sms: (await sandbox<{ messages: { text: string }[] }>('sms/messages')).messages.filter((m) => m.text.includes(order.orderId)),
    hooks: (await sandbox<{ deliveries: { type: string; signatureValid: boolean; body: { data: { orderId: string } } }[] }>('inbox/deliveries')).deliveries.filter(
      (d) => d.body?.data.orderId === order.orderId && d.type === 'shipment.labelled',
    ),
  });
  let seen = await trail();
  for (let i = 0; i < 75 && (seen.mails.length === 0 || seen.sms.length === 0 || seen.hooks.length === 0); i++) {
    await new Promise((r) => setTimeout(r, 200));
    seen = await trail();
  }
  expect(seen.mails.map((m) => m.subject)).toEqual([`${order.orderId} numaralı siparişiniz yola çıktı`]);
  expect(seen.sms).toHaveLength(1);
  expect(seen.hooks.map((h) => h.signatureValid)).toEqual([true]);
});

test('SIGTERM stops the API, the worker and the Temporal server', async () => {
  const exited = new Promise<number | null>((resolve) => stack.once('exit', resolve));
  stack.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('[dev]\u001b[0m stopped');
  expect(await portOpen(ports.api)).toBe(false);
  expect(await portOpen(ports.ui)).toBe(false);
  expect(await portOpen(ports.sandbox)).toBe(false);
}, 60_000);
