// The order's business record, written first. Data the database refuses to hold (a value past a
// column's limit that got past intake) cannot be fixed by retrying: the order ends rejected,
// naming the field, flagged for ops, instead of failing or retrying for ever.
import { ActivityFailure, ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { DATA_REFUSED } from '../../domain/data-errors';
import { searchAttributes } from '../definitions';
import { PATCHES } from '../patches';
import { recordOrder, recordRejectedOrder } from './activities';
import type { Order } from './state';

/** Records the order; false when the database refused it and the order has ended rejected. */
export async function recordOrRejectOrder(order: Order): Promise<boolean> {
  const record = { order: order.input, workflowId: workflowInfo().workflowId, receivedAt: workflowInfo().startTime.toISOString() };
  if (!order.patches.taken(PATCHES.dataRefusedRejects)) {
    await recordOrder(record);
    return true;
  }
  try {
    await recordOrder(record);
    return true;
  } catch (err) {
    const reason = refusalOf(err);
    if (!reason) throw err;
    reject(order, reason);
    try {
      await recordRejectedOrder({ ...record, reason });
    } catch (refused) {
      // Even the bare record may be refused (a NUL in the id): the order still ends rejected in its history.
      if (!refusalOf(refused)) throw refused;
    }
    return false;
  }
}

/** The database's refusal ("the database refused <field>: <rule>"), when that is what failed. */
function refusalOf(err: unknown): string | undefined {
  // A failed local activity reaches the workflow as its own failure, a remote one wrapped in ActivityFailure.
  const failure = err instanceof ActivityFailure ? err.cause : err;
  return failure instanceof ApplicationFailure && failure.type === DATA_REFUSED ? failure.message : undefined;
}

/** The order's view ends rejected (the record is written apart: recordStatus needs the order's row). */
function reject(order: Order, reason: string): void {
  order.view.status = 'rejected';
  order.view.history.push({ status: 'rejected', at: new Date().toISOString(), reason });
  upsertSearchAttributes([
    { key: searchAttributes.OrderStatus, value: 'rejected' },
    { key: searchAttributes.NeedsAttention, value: true },
  ]);
}
