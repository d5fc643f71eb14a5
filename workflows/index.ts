// The workflow bundle's entry point: every workflow the worker runs, and how each behaves when a new
// worker version rolls out (docs/upgrading.md).
import { setWorkflowOptions } from '@temporalio/workflow';
import { orderWorkflow } from './order';
import { shipmentWorkflow } from './shipment';
import { webhookDispatcherWorkflow } from './webhook-dispatcher';

export { orderWorkflow, shipmentWorkflow, webhookDispatcherWorkflow };

// All three auto-upgrade: orders and their parcels live for weeks and the dispatcher forever, longer
// than any old version should keep running. Each moves to the current version at its next task,
// which replays it: every change goes behind patched() and the history corpus proves it replays.
// (Pinned would suit a workflow of minutes that must end on the code it started with; none here.)
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, orderWorkflow);
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, shipmentWorkflow);
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, webhookDispatcherWorkflow);
