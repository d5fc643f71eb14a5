// Updates and signals from HTTP to workflows, with the workflow's refusals turned into
// HTTP answers: a validator's "code: detail" becomes 409 {error: code, message: detail, status}.
import {
  isGrpcDeadlineError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Pool } from 'pg';
import { orderWorkflowId, statusQuery } from '../workflows/definitions';
import { HttpError } from './errors';

/** How long an answer waits for the workflow's own status before it reads the record instead. */
const STATUS_QUERY_WAIT_MS = 1_000;

/** The order's current status: live from its workflow (when it answers within a second), else from its record. */
export async function currentStatus(client: Client, pool: Pool, orderId: string): Promise<string | undefined> {
  try {
    const handle = client.workflow.getHandle(orderWorkflowId(orderId));
    return (await client.withDeadline(Date.now() + STATUS_QUERY_WAIT_MS, () => handle.query(statusQuery))).status;
  } catch {
    const { rows } = await pool.query<{ status: string }>('SELECT status FROM orders WHERE order_id = $1', [orderId]);
    return rows[0]?.status;
  }
}

export interface UpdateCall<Ret, Arg> {
  client: Client;
  pool: Pool;
  orderId: string;
  update: UpdateDefinition<Ret, [Arg]>;
  arg: Arg;
  /** The refusal to answer when the order's workflow has already ended. */
  whenEnded: string;
}

/**
 * An update answered within `waitMs`: its result, its refusal, or, when the order accepted it but has
 * not finished it in time (a carrier slow to void a label, say), a 504 update_pending: the order goes
 * on with it, and the caller reads the outcome from the order instead of holding a connection open.
 */
export async function updateOrder<Ret, Arg>(call: UpdateCall<Ret, Arg>, waitMs: number): Promise<Ret> {
  const outcome = await updateOrderWithin(call, waitMs);
  if (outcome.done) return outcome.result;
  const message = `the order accepted the ${call.update.name} but has not finished it within ${waitMs / 1000} s; it goes on with it: GET /v1/orders/${call.orderId} shows the outcome`;
  throw new HttpError(504, 'update_pending', message, { status: await currentStatus(call.client, call.pool, call.orderId) });
}

/** What an update gave back within the wait, or not done yet: the order accepted it and is still working on it. */
export type Within<Ret> = { done: true; result: Ret } | { done: false };

/**
 * An update the order accepts at once but may take long to finish (a return label waits on a
 * carrier): refusals are answered as from `updateOrder`; past `waitMs` the caller is told the
 * update is pending, and the workflow finishes it all the same.
 */
export async function updateOrderWithin<Ret, Arg>(call: UpdateCall<Ret, Arg>, waitMs: number): Promise<Within<Ret>> {
  const deadline = Date.now() + waitMs;
  return withRefusals(call, async () => {
    const update = await accepted(call, deadline);
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<Within<Ret>>((resolve) => (timer = setTimeout(() => resolve({ done: false }), deadline - Date.now())));
    try {
      return await Promise.race([update.result().then((result): Within<Ret> => ({ done: true, result })), pending]);
    } finally {
      clearTimeout(timer);
    }
  });
}

/**
 * The update once the order has accepted it. An order that does not take it by the deadline (its
 * worker down, its workflow task failing, a long step holding the task) is a 504
 * update_not_accepted: the request stays with Temporal and the order may still take it later.
 */
async function accepted<Ret, Arg>(call: UpdateCall<Ret, Arg>, deadline: number) {
  const options = { args: [call.arg] as [Arg], waitForStage: WorkflowUpdateStage.ACCEPTED } as const;
  try {
    return await call.client.withDeadline(deadline, () => orderHandle(call).startUpdate(call.update, options));
  } catch (err) {
    if (!(err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) && !isGrpcDeadlineError(err)) throw err;
    const message = `the order has not taken the ${call.update.name} within the wait (it is busy or its worker is down); it may still take it: GET /v1/orders/${call.orderId} shows whether it did`;
    throw new HttpError(504, 'update_not_accepted', message, { status: await currentStatus(call.client, call.pool, call.orderId) });
  }
}

const orderHandle = ({ client, orderId }: { client: Client; orderId: string }) => client.workflow.getHandle(orderWorkflowId(orderId));

/** Refusals about the request's own fields ("code: path: problem"): 422 naming the field, not 409 about the order's state. */
const FIELD_REFUSALS = new Set(['return_lines_invalid']);

/** A validator's refusal: "code: detail" about the order's state is a 409; about a field of the request, a 422 naming it. */
async function refusal(
  err: WorkflowUpdateFailedError,
  { client, pool, orderId }: Pick<UpdateCall<unknown, unknown>, 'client' | 'pool' | 'orderId'>,
): Promise<HttpError> {
  const [code, ...detail] = (err.cause?.message ?? 'refused').split(': ');
  const status = await currentStatus(client, pool, orderId);
  if (!FIELD_REFUSALS.has(code)) return new HttpError(409, code, detail.join(': ') || code, { status });
  const [path, ...problem] = detail;
  return new HttpError(422, code, detail.join(': '), { status, issues: [{ path, message: problem.join(': ') }] });
}

/** The workflow's refusals as HTTP answers (see refusal); an ended order answers `whenEnded`. */
async function withRefusals<T>({ client, pool, orderId, whenEnded }: UpdateCall<unknown, unknown>, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw await refusal(err, { client, pool, orderId });
    if (err instanceof WorkflowNotFoundError) {
      const status = await currentStatus(client, pool, orderId);
      if (!status) throw new HttpError(404, 'order_not_found', `no order ${orderId}`);
      throw new HttpError(409, whenEnded, `the order is ${status}`, { status });
    }
    throw err;
  }
}

/** Signals a workflow by id; 404 with `notFound` when there is none running. */
export async function signalWorkflow<Args extends unknown[]>(
  client: Client,
  workflowId: string,
  signal: { name: string },
  args: Args,
  notFound: string,
): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).signal(signal.name, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new HttpError(404, notFound, `no running workflow ${workflowId}`);
    throw err;
  }
}
