// Issue 18, finding 9: data the database cannot hold is no transient fault. An order that reaches
// the workflow past the API's schema (another starter, a schema that drifted from a column) ends
// rejected with the field named and flagged for ops, instead of retrying its record for ever; and
// each PostgreSQL data error (SQLSTATE classes 22 and 23) becomes a non-retryable failure that
// names where, never what (values are customers' data). Real dev server, worker and PostgreSQL.
import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError } from 'pg';
import { dataErrorFailure } from '../../activities/data-errors';
import { DATA_REFUSED } from '../../domain/data-errors';
import type { OrderInput } from '../../domain/order';
import { orderWorkflowId, ORDER_TASK_QUEUE, searchAttributes } from '../../workflows/definitions';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { stockedOrder } from '../helpers/stock';

let harness: ApiHarness;

beforeAll(async () => {
  harness = await startApiHarness([new MemoryCarrier('cargo', 50)]);
}, 120_000);

afterAll(() => harness?.stop());

/** What PostgreSQL answers `sql` with. */
async function refusal(sql: string, params: unknown[]): Promise<DatabaseError> {
  const client = await harness.pool.connect();
  try {
    await client.query(
      `CREATE TEMP TABLE IF NOT EXISTS data_error_probe (id integer PRIMARY KEY, amount numeric(12, 2), name text NOT NULL CHECK (name <> 'forbidden'))`,
    );
    await client.query(`INSERT INTO data_error_probe VALUES (1, 1, 'Gülşen Çakır') ON CONFLICT DO NOTHING`);
    await client.query(sql, params);
  } catch (err) {
    return err as DatabaseError;
  } finally {
    client.release();
  }
  throw new Error(`PostgreSQL took ${sql}`);
}

test.each([
  ['numeric overflow', 'INSERT INTO data_error_probe VALUES (2, $1, $2)', [1e11, 'Zeynep Gizli'], '22003', 'value of type numeric(12,2)'],
  ['not-null', 'INSERT INTO data_error_probe VALUES (3, $1, NULL)', [5], '23502', 'column data_error_probe.name'],
  ['unique', 'INSERT INTO data_error_probe VALUES (1, $1, $2)', [5, 'Zeynep Gizli'], '23505', 'constraint data_error_probe_pkey'],
  ['check', 'INSERT INTO data_error_probe VALUES (4, $1, $2)', [5, 'forbidden'], '23514', 'constraint data_error_probe_name_check'],
  ['bad text for an integer', 'INSERT INTO data_error_probe VALUES ($1, 1, $2)', ['Zeynep Gizli', 'x'], '22P02', 'value of type integer'],
] as const)('a %s error is a non-retryable failure naming where, not the value', async (_what, sql, params, code, where) => {
  const err = await refusal(sql, [...params]);
  expect(err.code).toBe(code);
  const failure = dataErrorFailure(err)!;
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.type).toBe(DATA_REFUSED);
  expect(failure.message).toContain(`SQLSTATE ${code}`);
  expect(failure.message).toContain(where);
  for (const personal of ['Zeynep', 'Gülşen', 'forbidden']) expect(failure.message).not.toContain(personal);
});

test('other errors are not data errors: a lost connection is still retried', () => {
  expect(dataErrorFailure(Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' }))).toBeUndefined();
  expect(dataErrorFailure(new Error('timeout'))).toBeUndefined();
});

test('an order whose record the database refuses ends rejected naming the field, flagged for ops, not retried for ever', async () => {
  const { order: base } = await stockedOrder(harness.pool);
  // Past the API's schema (which refuses it): started straight on Temporal, as any other starter could.
  const order: OrderInput = { ...base, lines: base.lines.map((l) => ({ ...l, unitPrice: 123_456_789_012.5 })) };
  const handle = await harness.client.workflow.start('orderWorkflow', {
    taskQueue: ORDER_TASK_QUEUE,
    workflowId: orderWorkflowId(order.orderId),
    args: [order],
  });
  const res = await eventually(
    () => harness.api.get(`/v1/orders/${order.orderId}`),
    (r) => r.body.status === 'rejected',
    20,
  );
  expect(res.body.status).toBe('rejected');
  const reason: string = res.body.history.at(-1).reason;
  expect(reason).toContain('lines.0.unitPrice');
  expect(reason).not.toContain('123456789012');
  await handle.result(); // the workflow ends
  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(searchAttributes.NeedsAttention)).toBe(true);
  const { rows } = await harness.pool.query('SELECT status FROM orders WHERE order_id = $1', [order.orderId]);
  expect(rows).toEqual([{ status: 'rejected' }]);
  // Ended by the workflow's own decision, with no workflow task failed on the way.
  const history = await handle.fetchHistory();
  const failedTasks = history.events!.filter((e) => e.workflowTaskFailedEventAttributes);
  expect(failedTasks).toEqual([]);
}, 60_000);
