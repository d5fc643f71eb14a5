// Where a parcel's signals go: its own workflow, named by its shipment id, or the order's workflow
// it runs inside (a lean order's one parcel: workflows/order/parcel.ts), as its record says.
import type { Pool, PoolClient } from 'pg';
import type { ShipmentStatus } from '../domain/statuses';

/** SQL for a shipments row's workflow: its workflow_id when it runs inside another, else its shipment_id. */
export const PARCEL_WORKFLOW_SQL = 'COALESCE(workflow_id, shipment_id)';

/** The workflow each of `shipmentIds` runs in; a parcel not recorded yet is taken to be its own. */
export async function parcelWorkflowIds(db: Pool | PoolClient, shipmentIds: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ shipment_id: string; workflow_id: string }>(
    `SELECT shipment_id, ${PARCEL_WORKFLOW_SQL} AS workflow_id FROM shipments WHERE shipment_id = ANY($1)`,
    [shipmentIds],
  );
  const found = new Map(rows.map((r) => [r.shipment_id, r.workflow_id]));
  return new Map(shipmentIds.map((id) => [id, found.get(id) ?? id]));
}

export async function parcelWorkflowId(db: Pool | PoolClient, shipmentId: string): Promise<string> {
  return (await parcelRoute(db, shipmentId)).workflowId;
}

/**
 * Where a parcel's signals go, and its recorded status (none before its first record). A parcel
 * inside its order ends before the order does: the order's workflow would take its signals and do
 * nothing with them, so callers read the status to refuse them instead.
 */
export async function parcelRoute(db: Pool | PoolClient, shipmentId: string): Promise<{ workflowId: string; status?: ShipmentStatus }> {
  const { rows } = await db.query<{ workflow_id: string; status: ShipmentStatus }>(
    `SELECT ${PARCEL_WORKFLOW_SQL} AS workflow_id, status FROM shipments WHERE shipment_id = $1`,
    [shipmentId],
  );
  return rows[0] ? { workflowId: rows[0].workflow_id, status: rows[0].status } : { workflowId: shipmentId };
}
