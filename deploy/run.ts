// npm run deploy:check -- --temporal host:port [--namespace ns] [--query '...'] [--sample N]:
// replays a sample of the running workflows against this checkout's workflow code and names the
// ones it would break. Exit 0: all replay; 1: some would break; 2: the check could not run.
import { parseArgs } from 'node:util';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { loadConfig } from '../lib/config';
import { payloadDataConverter } from '../lib/payload-codec';
import { checkDeploy, DeployCheckError } from './check';

const USAGE = `usage: npm run deploy:check -- --temporal host:port [options]
  --temporal ADDR   the live Temporal frontend (default: TEMPORAL_ADDRESS)
  --namespace NS    default: TEMPORAL_NAMESPACE or "default"
  --query Q         which workflows (default: ExecutionStatus = "Running")
  --sample N        at most N of them, newest first (default 500)
Payloads are decoded with PAYLOAD_KEYS / PAYLOAD_KEY_ID from the environment, as the workers do.`;

// Replaying an incompatible history makes the SDK log a warning per failed task: the report says it once, on stdout.
Runtime.install({
  logger: new DefaultLogger('ERROR', ({ message }) => console.error(`[deploy:check] sdk: ${message}`)),
  telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      temporal: { type: 'string', default: process.env.TEMPORAL_ADDRESS },
      namespace: { type: 'string', default: process.env.TEMPORAL_NAMESPACE ?? 'default' },
      query: { type: 'string', default: 'ExecutionStatus = "Running"' },
      sample: { type: 'string', default: '500' },
      help: { type: 'boolean' },
    },
  });
  const sample = Number(values.sample);
  if (values.help || !values.temporal || !Number.isInteger(sample) || sample < 1) {
    console.error(values.help ? USAGE : `--temporal host:port and a whole --sample are needed\n${USAGE}`);
    return values.help ? 0 : 2;
  }
  const report = await checkDeploy({
    address: values.temporal,
    namespace: values.namespace,
    query: values.query,
    sample,
    dataConverter: payloadDataConverter(loadConfig()),
    progress: (line) => console.error(`[deploy:check] ${line}`),
  });
  for (const broken of report.incompatible)
    console.log(`INCOMPATIBLE ${broken.workflowType} ${broken.workflowId} (run ${broken.runId}): ${broken.error}`);
  console.log(`${report.checked} running workflows replayed against this release: ${report.incompatible.length} incompatible`);
  return report.incompatible.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[deploy:check] error: ${error instanceof DeployCheckError ? error.message : String((error as Error).stack ?? error)}`);
    process.exit(2);
  },
);
