// One order, from intake to close. Thin first version: it records the order, accepts it,
// keeps it open through the return window, then closes it. Allocation, packing, carriers
// and tracking arrive with the order workflow issue.
import { proxyActivities, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities } from '../activities';
import type { OrderInput, OrderStatus, OrderView } from '../domain/order';
import { searchAttributes, statusQuery } from './definitions';

const { recordOrder, recordStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface OrderWorkflowOptions {
  /** How long a delivered order stays open for returns. */
  returnWindow: Duration;
}

export const defaultOrderOptions: OrderWorkflowOptions = { returnWindow: '14 days' };

export async function orderWorkflow(order: OrderInput, options: Partial<OrderWorkflowOptions> = {}): Promise<OrderView> {
  const { returnWindow } = { ...defaultOrderOptions, ...options };
  const view: OrderView = { orderId: order.orderId, channel: order.channel, status: 'received', lines: order.lines, history: [] };
  setHandler(statusQuery, () => view);

  async function moveTo(status: OrderStatus, reason?: string): Promise<void> {
    const change = { status, at: new Date().toISOString(), reason };
    view.status = status;
    view.history.push(change);
    upsertSearchAttributes([{ key: searchAttributes.OrderStatus, value: status }]);
    await recordStatus({ orderId: order.orderId, seq: view.history.length, ...change });
  }

  await recordOrder({ order, workflowId: workflowInfo().workflowId });
  await moveTo('received');
  await moveTo('accepted');
  await sleep(returnWindow);
  await moveTo('closed', 'return window over');
  return view;
}
