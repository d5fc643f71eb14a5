// Names shared by the workflows, the worker and the API: task queue, workflow ids,
// search attributes, queries. Defined once here so no caller repeats them as strings.
import { defineQuery } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { OrderView } from '../domain/order';

export const ORDER_TASK_QUEUE = 'orders';

export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** Registered on the dev server (scripts/dev, test/global-setup.ts) so ops can filter in the UI. */
export const searchAttributes = {
  OrderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  SalesChannel: defineSearchAttributeKey('SalesChannel', SearchAttributeType.KEYWORD),
  Carrier: defineSearchAttributeKey('Carrier', SearchAttributeType.KEYWORD),
  TrackingNumber: defineSearchAttributeKey('TrackingNumber', SearchAttributeType.KEYWORD),
  WarehouseId: defineSearchAttributeKey('WarehouseId', SearchAttributeType.KEYWORD),
  NeedsAttention: defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL),
};

export const statusQuery = defineQuery<OrderView>('status');
