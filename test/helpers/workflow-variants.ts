// Workflow code as another release has it: a copy of workflows/ (and domain/, the one folder of ours
// it imports) with some edits, bundled as the worker bundles the real one. Tests use it to play a
// release that breaks open orders, or the previous release that open orders started under.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ROOT } from './env';
import type { PATCHES } from '../../workflows/patches';

export interface Edit {
  /** A path under the repository, e.g. workflows/order.ts. */
  file: string;
  from: string;
  to: string;
}

/** Bundles workflows/ with `edits` applied; each edit's `from` must be found exactly once. */
export async function bundleVariant(edits: Edit[]): Promise<WorkflowBundleWithSourceMap> {
  // Inside the repository, so the copy resolves @temporalio/workflow from our node_modules.
  const dir = path.join(ROOT, '.data', 'workflow-variants', randomUUID());
  mkdirSync(dir, { recursive: true });
  try {
    for (const folder of ['workflows', 'domain']) cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
    for (const edit of edits) apply(dir, edit);
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    return await bundleWorkflowCode({ workflowsPath: path.join(dir, 'workflows'), logger: quiet });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function apply(dir: string, { file, from, to }: Edit): void {
  const target = path.join(dir, file);
  const text = readFileSync(target, 'utf8');
  if (text.split(from).length !== 2) throw new Error(`edit of ${file}: ${JSON.stringify(from)} must occur exactly once`);
  writeFileSync(target, text.replace(from, to));
}

/** A release that breaks every open order: the order asks for a timer before anything it did before. */
export const BREAKING_EDIT: Edit = {
  file: 'workflows/order.ts',
  from: '): Promise<OrderView> {\n  const order = new Order(',
  to: '): Promise<OrderView> {\n  await condition(() => false, 1);\n  const order = new Order(',
};

/** Where `file` asks its run's patches: through the state object it holds (RunPatches). */
function askerIn(file: string): string {
  if (file.endsWith('/state.ts')) return 'this';
  return file.startsWith('workflows/order') ? 'order' : 'shipment';
}

/** The old path of patch `id` where `file` asks it. */
const notTaken = (id: keyof typeof PATCHES, file: string): Edit => ({
  file,
  from: `${askerIn(file)}.patches.taken(PATCHES.${id})`,
  to: 'false',
});

/** The previous release (0.1.0), as today's code without the patches that came after it (workflows/patches.ts). */
export const PREVIOUS_RELEASE: Edit[] = [
  {
    file: 'workflows/order/state.ts',
    from: "if (this.view.status !== 'cancelled' && this.patches.taken(PATCHES.lostCancelForgotten)) this.cancelReason = undefined;",
    to: '',
  },
  {
    file: 'workflows/shipment/tracking.ts',
    from: 'if (shipment.cancelRequested && !shipment.cancellable && shipment.patches.taken(PATCHES.lostCancelForgotten))\n      shipment.cancelRequested = false;',
    to: '',
  },
  // Issue 16's patches: the old path everywhere (the code around them stays today's).
  ...(['voidBesideFallback', 'transientFaultsRetried', 'lostParcelEnds'] as const).map((id) =>
    notTaken(id, id === 'lostParcelEnds' ? 'workflows/shipment/tracking.ts' : 'workflows/shipment/book.ts'),
  ),
  // Issue 16's later patches, each in its own file.
  ...(
    [
      ['trackingSubscribed', 'workflows/shipment/tracking.ts'],
      ['correctionRebooks', 'workflows/shipment/book.ts'],
      ['failedReturnVoided', 'workflows/shipment/returns.ts'],
      ['progressCarriesChanges', 'workflows/shipment/state.ts'],
      ['childrenOutliveRun', 'workflows/order/shipments.ts'],
      ['temporalCancelUndone', 'workflows/order.ts'],
      ['signalsKeptAcrossContinueAsNew', 'workflows/shipment/tracking.ts'],
      ['returnScansNotNotified', 'workflows/shipment/tracking.ts'],
      ['lateSubscriptionCatchesUp', 'workflows/shipment/tracking.ts'],
      ['customsHoldNotified', 'workflows/shipment/tracking.ts'],
      ['continueAsNewOnEvents', 'workflows/order/shipments.ts'],
      ['historyReadOnWakes', 'workflows/shipment/tracking.ts'],
      // Issue 24's: every report, upserts one by one, quotes on the carriers' queues.
      ['halfTheCost', 'workflows/order/state.ts'],
      ['halfTheCost', 'workflows/shipment/state.ts'],
    ] as const
  ).map(([id, file]) => notTaken(id, file)),
  // Every run takes its patches where its code first asks for them, one marker each, as before.
  { file: 'workflows/patches.ts', from: 'patched(PATCHES.everyPatchOf03)', to: 'false' },
  { file: 'workflows/patches.ts', from: 'patched(PATCHES.patchesAtRunStart)', to: 'false' },
  // Issue 18's patch: a refused record fails the order, as before.
  notTaken('dataRefusedRejects', 'workflows/order/record.ts'),
];
