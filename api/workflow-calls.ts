// Updates and signals from HTTP to workflows, with the workflow's refusals turned into
// HTTP answers: a validator's "code: detail" becomes 409 {error: code, message: detail, status}.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Pool } from 'pg';
import { orderWorkflowId, statusQuery } from '../workflows/definitions';
import { HttpError } from './errors';

/** The order's current status: live from its workflow, else from its record. */
export async function currentStatus(client: Client, pool: Pool, orderId: string): Promise<string | undefined> {
  try {
    return (await client.workflow.getHandle(orderWorkflowId(orderId)).query(statusQuery)).status;
  } catch {
    const { rows } = await pool.query('SELECT status FROM orders WHERE order_id = $1', [orderId]);
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

export async function updateOrder<Ret, Arg>({ client, pool, orderId, update, arg, whenEnded }: UpdateCall<Ret, Arg>): Promise<Ret> {
  try {
    return await client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(update, { args: [arg] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const [code, ...detail] = (err.cause?.message ?? 'refused').split(': ');
      throw new HttpError(409, code, detail.join(': ') || code, { status: await currentStatus(client, pool, orderId) });
    }
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
