// npm run bench [-- --orders N --concurrency C --open 10000,50000 --samples K --json out.json --temporal host:port]
// Prints one table on stdout (progress on stderr); docs/performance.md says how to read it.
import { writeFileSync } from 'node:fs';
import { DEFAULT_OPTIONS, runBench, type BenchOptions } from './core';
import { formatTable } from './report';

const USAGE = `usage: npm run bench -- [--orders N] [--concurrency C] [--open 10000,50000] [--samples K] [--json out.json] [--temporal host:port] [--database name]
  --orders       orders in the full-load run and skeletons in the floor run (default ${DEFAULT_OPTIONS.orders})
  --concurrency  orders in flight at once under full load (default ${DEFAULT_OPTIONS.concurrency})
  --open         open-order sizes to park and measure at, beyond those the run leaves open (default none)
  --samples      webhook → visible samples at each open-order size (default ${DEFAULT_OPTIONS.scaleSamples})
  --json         also write the figures as JSON to this file
  --temporal     reuse this Temporal server (nothing else may poll its "orders" queue); default: a fresh dev server
  --database     the bench's own database, dropped and created again (default ${DEFAULT_OPTIONS.database})`;

function parseArgs(argv: string[]): { options: Partial<BenchOptions>; json?: string } {
  const options: Partial<BenchOptions> = {};
  let json: string | undefined;
  const count = (flag: string, value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} takes a whole number above 0, not ${value}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--orders':
        options.orders = count(flag, value());
        break;
      case '--concurrency':
        options.concurrency = count(flag, value());
        break;
      case '--samples':
        options.scaleSamples = count(flag, value());
        break;
      case '--open':
        options.open = value()
          .split(',')
          .filter(Boolean)
          .map((s) => count(flag, s));
        break;
      case '--json':
        json = value();
        break;
      case '--temporal':
        options.temporalAddress = value();
        break;
      case '--database':
        options.database = value();
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
    }
  }
  return { options, json };
}

async function main(): Promise<void> {
  const { options, json } = parseArgs(process.argv.slice(2));
  const report = await runBench(options);
  console.log(formatTable(report));
  if (json) {
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    console.error(`figures written to ${json}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
