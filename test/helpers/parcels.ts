// The workflow a test's parcel runs in: its own (a child of the order), or its order's (a lean
// order's one parcel: workflows/order/parcel.ts), as its record says, as the API finds it.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { parcelWorkflowId } from '../../lib/parcels';
import { shipmentWorkflowId } from '../../workflows/definitions';

export async function parcelHandle(client: Client, pool: Pool, orderId: string, n = 1): Promise<WorkflowHandle> {
  return client.workflow.getHandle(await parcelWorkflowId(pool, shipmentWorkflowId(orderId, n)));
}
