// The gate of every workflow change (issue 17, docs/upgrading.md): today's workflow code replays
// every history in the committed corpus (test/histories/), the runs of every earlier release the
// workflow tests drove, some finished, some left open at labelled, in transit, in the return window,
// waiting for ops, or mid continue-as-new. A change that alters the commands those runs recorded
// would break the orders of that shape still open in production: it fails here, naming the history
// and the first command that differs. Put the change behind patched() (or a new worker version).
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { payloadDataConverter } from '../../lib/payload-codec';
import { corpusPayloadKeys, loadCorpus } from '../helpers/history-corpus';
import { bundleWorkflows } from '../helpers/time-skipping';

const corpus = loadCorpus();
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleWorkflows();
}, 120_000);

test('the corpus holds orders, shipments and the webhook dispatcher, finished and open', () => {
  const names = corpus.map((entry) => entry.name);
  const kinds = [/\/order\.completed/, /\/order\.at-labelled\.open/, /\/order\.at-delivered\.open/, /\/order\.at-needs_attention\.open/];
  kinds.push(/\/shipment-1\.completed/, /\/shipment-1\.at-in_transit\.open/, /\.continued-as-new/, /\/dispatcher\./);
  for (const kind of kinds) expect(names.filter((name) => kind.test(name))).not.toEqual([]);
});

test("today's workflow code replays every history of every release in the corpus", async () => {
  const failures: string[] = [];
  const replays = Worker.runReplayHistories({ workflowBundle: bundle, dataConverter: payloadDataConverter(corpusPayloadKeys()) }, corpus);
  for await (const result of replays) if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  expect(failures).toEqual([]);
}, 300_000);
