// The workflow bundle's entry point: every workflow the worker runs.
export { orderWorkflow } from './order';
export { shipmentWorkflow } from './shipment';
export { webhookDispatcherWorkflow } from './webhook-dispatcher';
export { handoverCloseWorkflow } from './handover-close';
export { marketplacePullWorkflow } from './marketplace-pull';
