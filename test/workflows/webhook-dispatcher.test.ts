// The webhook dispatcher under Temporal's time-skipping test server (real), with the real webhook
// activities on the PostgreSQL test database delivering to a real HTTP subscriber (the sandbox's
// inbox). Issue 16, defect 7: a paused dispatcher's history must stay bounded however many
// wake-ups the outbox pumps send, and nothing (the pause, a wake-up, a resume) may be lost when it
// continues as new.
import express from 'express';
import type { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createOrderActivities } from '../../activities/orders';
import { createWebhookActivities } from '../../activities/webhooks';
import { SubscribersSchema, type OutboundEvent, type Subscriber } from '../../domain/webhooks';
import { createPool } from '../../lib/db';
import { logger } from '../../lib/logger';
import { payloadDataConverter } from '../../lib/payload-codec';
import { mountInbox, SANDBOX_INBOX_SECRETS, type InboxState } from '../../sandbox/inbox';
import { outboxWakeSignal, resumeDeliveriesSignal, searchAttributes, webhookDispatcherWorkflowId } from '../../workflows/definitions';
import type { webhookDispatcherWorkflow, WebhookDispatcherInput } from '../../workflows/webhook-dispatcher';
import { eventually } from '../helpers/api-harness';
import { listen } from '../helpers/carrier-sandbox';
import { TEST_DATABASE_URL } from '../helpers/env';
import { everyRun, keepForCorpus } from '../helpers/history-corpus';
import { sampleOrder } from '../helpers/orders';
import { uniqueName } from '../helpers/stock';
import { bundleWorkflows, startTimeSkippingEnv } from '../helpers/time-skipping';
import { bundleVariant } from '../helpers/workflow-variants';

type History = Awaited<ReturnType<ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>['fetchHistory']>>;

/** A history limit small enough for a test to reach with a few dozen wake-ups. */
const LIMIT = 50;
/** Events a run may add past the limit: the task that notices it, the patch marker and the continue-as-new. */
const SLACK = 8;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let pool: Pool;
let inbox: { url: string; state: InboxState; close(): Promise<void> };
const subscriberIds: string[] = [];
/** The dispatchers this test started, kept for the corpus and replayed after it. */
const dispatchers: string[] = [];

beforeAll(async () => {
  bundle = await bundleWorkflows();
  pool = createPool(TEST_DATABASE_URL);
  const app = express();
  const state = mountInbox(app);
  inbox = { ...(await listen(app)), state };
}, 120_000);

beforeEach(async () => {
  env = await startTimeSkippingEnv();
  inbox.state.reset();
}, 60_000);

afterEach(async () => {
  const scenario = expect.getState().currentTestName ?? 'unnamed';
  const histories: { workflowId: string; history: History }[] = [];
  for (const workflowId of dispatchers.splice(0)) {
    await env.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
    for (const [n, history] of (await everyRun(env.client, workflowId)).entries()) {
      histories.push({ workflowId: `${workflowId}-run${n + 1}`, history });
      keepForCorpus(scenario, `dispatcher${n ? `.run${n + 1}` : ''}`, history);
    }
  }
  await env?.teardown();
  // Every run this test produced replays on today's code: a change of commands fails here.
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, dataConverter: payloadDataConverter() }, histories))
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  expect(failures).toEqual([]);
}, 120_000);

afterAll(async () => {
  await pool?.query('DELETE FROM webhook_subscribers WHERE subscriber_id = ANY ($1)', [subscriberIds]);
  await pool?.end();
  await inbox?.close();
});

/**
 * A subscriber of its own channel, in the database as the outbox pump registers one. Inserted
 * directly: syncSubscribers would deactivate the subscribers of tests running beside this one.
 */
async function newSubscriber(): Promise<Subscriber> {
  const id = uniqueName('dispatch');
  const [subscriber] = SubscribersSchema.parse([
    { id, kind: 'webhook', url: `${inbox.url}/inbox/oms`, secret: SANDBOX_INBOX_SECRETS.oms, channels: [id], maxAttempts: 1 },
  ]);
  await pool.query('INSERT INTO webhook_subscribers (subscriber_id, channels, events) VALUES ($1, $2, $3)', [
    id,
    subscriber.channels,
    subscriber.events,
  ]);
  subscriberIds.push(id);
  return subscriber;
}

/** An order received and allocated on the subscriber's channel: one event for it in the outbox. */
async function orderEvent(subscriber: Subscriber): Promise<string> {
  const order = sampleOrder({ channel: subscriber.channels[0] });
  const orders = createOrderActivities(pool);
  const at = new Date().toISOString();
  await orders.recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: at });
  await orders.recordStatus({ orderId: order.orderId, seq: 1, status: 'allocated', at });
  return order.orderId;
}

interface DispatcherWorker {
  workflowBundle?: WorkflowBundleWithSourceMap;
  taskQueue?: string;
  /** Held after pauseSubscriber wrote the pause, until this settles. */
  holdPause?: { written(): void; release: Promise<void> };
  /** Caches nothing, so a later worker on the same queue can take its dispatchers over. */
  handOver?: boolean;
}

/** Runs `scenario` with a worker of the real webhook activities; the worker stops when it ends. */
async function withWorker<T>(subscriber: Subscriber, scenario: (taskQueue: string) => Promise<T>, options: DispatcherWorker = {}) {
  const taskQueue = options.taskQueue ?? uniqueName('webhooks');
  const activities = createWebhookActivities(pool, logger.child({}, { level: 'silent' }), [subscriber], 'https://track.shop.example');
  const { holdPause } = options;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: options.workflowBundle ?? bundle,
    dataConverter: payloadDataConverter(),
    maxCachedWorkflows: options.handOver ? 0 : undefined,
    activities: {
      ...activities,
      async pauseSubscriber(input: Parameters<typeof activities.pauseSubscriber>[0]) {
        await activities.pauseSubscriber(input);
        holdPause?.written();
        await holdPause?.release;
      },
    },
  });
  return worker.runUntil(scenario(taskQueue));
}

/** Starts (or wakes) the subscriber's dispatcher the way the outbox pump does, with a small history limit. */
async function wake(subscriber: Subscriber, taskQueue: string): Promise<void> {
  const workflowId = webhookDispatcherWorkflowId(subscriber.id);
  if (!dispatchers.includes(workflowId)) dispatchers.push(workflowId);
  const input: WebhookDispatcherInput = { subscriberId: subscriber.id, maxAttempts: 1, limits: { maxHistoryEvents: LIMIT } };
  await env.client.workflow.signalWithStart<typeof webhookDispatcherWorkflow>('webhookDispatcherWorkflow', {
    workflowId,
    taskQueue,
    args: [input],
    signal: outboxWakeSignal,
    signalArgs: [],
  });
}

const pausedAt = async (subscriber: Subscriber): Promise<Date | null> =>
  (await pool.query('SELECT paused_at FROM webhook_subscribers WHERE subscriber_id = $1', [subscriber.id])).rows[0].paused_at;

const needsAttention = async (subscriber: Subscriber) =>
  (await env.client.workflow.getHandle(webhookDispatcherWorkflowId(subscriber.id)).describe()).typedSearchAttributes.get(
    searchAttributes.NeedsAttention,
  );

const deliveredOrders = () => inbox.state.deliveries.filter((d) => d.signatureValid).map((d) => (d.body as OutboundEvent).data.orderId);

/** Pauses the subscriber (its inbox down, one try per delivery) and waits until PostgreSQL shows it. */
async function pauseThrough(subscriber: Subscriber, taskQueue: string): Promise<string> {
  inbox.state.faults.add({ kind: 'down', probability: 1, seed: 1 });
  const first = await orderEvent(subscriber);
  await wake(subscriber, taskQueue);
  expect(await eventually(() => pausedAt(subscriber), Boolean, 30)).toBeTruthy();
  return first;
}

/** Whether a run has handled everything it was sent: no signal and no workflow task after its last completed task. */
function settled(events: History['events']): boolean {
  const list = events ?? [];
  const lastDone = list.map((e) => Boolean(e.workflowTaskCompletedEventAttributes)).lastIndexOf(true);
  const after = list.slice(lastDone + 1);
  return lastDone >= 0 && !after.some((e) => e.workflowExecutionSignaledEventAttributes || e.workflowTaskScheduledEventAttributes);
}

/** Until the dispatcher's current run has handled every signal sent so far. */
async function handled(subscriber: Subscriber): Promise<void> {
  const handle = env.client.workflow.getHandle(webhookDispatcherWorkflowId(subscriber.id));
  const deadline = Date.now() + 30_000;
  while (!settled((await handle.fetchHistory()).events)) {
    if (Date.now() > deadline) throw new Error(`${handle.workflowId} has not handled its signals after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `count` wake-ups, paced as the pumps send them (each sweep waits for the last): the dispatcher
 * handles each before the next comes. (A storm with no gap at all holds a continue-as-new off
 * until it stops: the server refuses to close a run while a signal is unhandled, so that none is lost.)
 */
async function wakeUps(subscriber: Subscriber, taskQueue: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await wake(subscriber, taskQueue);
    await handled(subscriber);
  }
}

test('a paused dispatcher woken again and again keeps a bounded history: it continues as new still paused, and resumed it delivers everything in order', async () => {
  const subscriber = await newSubscriber();
  await withWorker(subscriber, async (taskQueue) => {
    const first = await pauseThrough(subscriber, taskQueue);
    const second = await orderEvent(subscriber); // events keep coming while it is paused
    await wakeUps(subscriber, taskQueue, 100);

    const runs = await everyRun(env.client, webhookDispatcherWorkflowId(subscriber.id));
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.map((run) => run.events?.length ?? 0).filter((length) => length > LIMIT + SLACK)).toEqual([]);
    expect(await pausedAt(subscriber)).toBeTruthy();
    expect(await needsAttention(subscriber)).toBe(true);
    expect(deliveredOrders()).toEqual([]);

    inbox.state.faults.clear();
    await env.client.workflow.getHandle(webhookDispatcherWorkflowId(subscriber.id)).signal(resumeDeliveriesSignal);
    await expectResumedWith(subscriber, [first, second]);
    expect(await needsAttention(subscriber)).toBe(false);
  });
}, 120_000);

/** Resumed: these orders' events delivered, in order, and the pause gone from PostgreSQL. */
async function expectResumedWith(subscriber: Subscriber, orders: string[]): Promise<void> {
  const delivered = await eventually(
    () => Promise.resolve(deliveredOrders()),
    (d) => d.length >= orders.length,
    30,
  );
  expect(delivered).toEqual(orders);
  expect(
    await eventually(
      () => pausedAt(subscriber),
      (at) => at === null,
      30,
    ),
  ).toBeNull();
}

test('a resume sent with a burst of wake-ups is not lost when the dispatcher continues as new', async () => {
  const subscriber = await newSubscriber();
  await withWorker(subscriber, async (taskQueue) => {
    const first = await pauseThrough(subscriber, taskQueue);
    await wakeUps(subscriber, taskQueue, 14); // the second run is about half full: the burst below fills it
    inbox.state.faults.clear();
    const handle = env.client.workflow.getHandle(webhookDispatcherWorkflowId(subscriber.id));
    await Promise.all([...Array.from({ length: 12 }, () => wake(subscriber, taskQueue)), handle.signal(resumeDeliveriesSignal)]);

    await expectResumedWith(subscriber, [first]);
    expect((await everyRun(env.client, handle.workflowId)).length).toBeGreaterThan(1);
  });
}, 120_000);

test('NeedsAttention is set by the time PostgreSQL shows the subscriber paused', async () => {
  const subscriber = await newSubscriber();
  let written!: () => void;
  const pauseWritten = new Promise<void>((resolve) => (written = resolve));
  let release!: () => void;
  const holdPause = { written, release: new Promise<void>((resolve) => (release = resolve)) };
  await withWorker(
    subscriber,
    async (taskQueue) => {
      inbox.state.faults.add({ kind: 'down', probability: 1, seed: 1 });
      await orderEvent(subscriber);
      await wake(subscriber, taskQueue);
      await pauseWritten; // the pause is in PostgreSQL, the activity has not answered yet
      try {
        expect(await pausedAt(subscriber)).toBeTruthy();
        expect(await needsAttention(subscriber)).toBe(true);
      } finally {
        release();
      }
    },
    { holdPause },
  );
}, 120_000);

test('a dispatcher paused under the previous release (no patch) takes the patch at its next wake-up: it continues as new, still paused', async () => {
  const subscriber = await newSubscriber();
  const previous = await bundleVariant([
    {
      file: 'workflows/webhook-dispatcher.ts',
      from: 'const attributeFirst = patched(PATCHES.pausedDispatcherBounded);',
      to: 'const attributeFirst = false;',
    },
    { file: 'workflows/webhook-dispatcher.ts', from: 'if (patched(PATCHES.pausedDispatcherBounded)) return false;', to: '' },
  ]);
  const taskQueue = uniqueName('webhooks');
  await withWorker(
    subscriber,
    async () => {
      await pauseThrough(subscriber, taskQueue);
      await wakeUps(subscriber, taskQueue, 60); // past the limit: the old code grows on
    },
    { workflowBundle: previous, taskQueue, handOver: true },
  );
  const [old] = await everyRun(env.client, webhookDispatcherWorkflowId(subscriber.id));
  expect(old.events!.length).toBeGreaterThan(LIMIT + SLACK);

  await withWorker(
    subscriber,
    async () => {
      await wakeUps(subscriber, taskQueue, 1);
      const runs = await eventually(
        () => everyRun(env.client, webhookDispatcherWorkflowId(subscriber.id)),
        (r) => r.length === 2,
        30,
      );
      expect(runs).toHaveLength(2);
      const events = runs.flatMap((run) => run.events ?? []);
      expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      expect(await needsAttention(subscriber)).toBe(true);
      expect(await pausedAt(subscriber)).toBeTruthy();
    },
    { taskQueue },
  );
}, 180_000);
