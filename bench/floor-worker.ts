// The floor's worker (a child process of bench/stack.ts): the skeleton workflows of
// bench/floor-workflows.ts and one no-op activity, with the SDK's default options, as the
// engine's worker has. Sends 'ready' to its parent once the workers poll.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { FLOOR_TASK_QUEUE } from './floor';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: FLOOR_TASK_QUEUE,
    workflowsPath: require.resolve('./floor-workflows'),
    activities: { async noop() {} },
  });
  const running = worker.run();
  process.send?.('ready');
  await running;
  await connection.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
