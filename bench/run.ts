// npm run bench [-- --orders N --concurrency C --open 10000,50000 --samples K --json out.json --temporal host:port]
// Prints one table on stdout (progress on stderr); docs/performance.md says how to read it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs as readFlags } from 'node:util';
import { DEFAULT_OPTIONS, runBench, type BenchOptions } from './core';
import { formatTable } from './report';

const USAGE = `usage: npm run bench -- [--orders N] [--concurrency C] [--open 10000,50000] [--samples K] [--json out.json] [--temporal host:port] [--database name] [--profile-worker DIR]
  --orders       orders in the full-load run and skeletons in the floor run (default ${DEFAULT_OPTIONS.orders})
  --concurrency  orders in flight at once under full load (default ${DEFAULT_OPTIONS.concurrency})
  --open         open-order sizes to park and measure at, beyond those the run leaves open (default none)
  --samples      webhook → visible samples at each open-order size (default ${DEFAULT_OPTIONS.scaleSamples})
  --json         also write the figures as JSON to this file
  --temporal     reuse this Temporal server (nothing else may poll its "orders" queue); default: a fresh dev server
  --database     the bench's own database, dropped and created again (default ${DEFAULT_OPTIONS.database})
  --profile-worker  profile the worker (node --cpu-prof) into this directory and print its CPU by part`;

/** A flag that takes a value, for util.parseArgs. */
const VALUE = { type: 'string' } as const;
const FLAGS = {
  orders: VALUE,
  concurrency: VALUE,
  open: VALUE,
  samples: VALUE,
  json: VALUE,
  temporal: VALUE,
  database: VALUE,
  'profile-worker': VALUE,
  help: { type: 'boolean', short: 'h' },
} as const;

/** The command line as Node's util.parseArgs reads it (`--orders 5` or `--orders=5`); a flag it does not know is an error. */
function flagsOf(argv: string[]) {
  try {
    return readFlags({ args: argv, options: FLAGS }).values;
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${USAGE}`, { cause: err });
  }
}

function parseArgs(argv: string[]): { options: Partial<BenchOptions>; json?: string } {
  const flags = flagsOf(argv);
  if (flags.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const count = (flag: string, value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} takes a whole number above 0, not ${value}`);
    return parsed;
  };
  const { orders, concurrency, samples, open, temporal, database, 'profile-worker': profileWorker } = flags;
  const options: Partial<BenchOptions> = {
    ...(orders !== undefined && { orders: count('--orders', orders) }),
    ...(concurrency !== undefined && { concurrency: count('--concurrency', concurrency) }),
    ...(samples !== undefined && { scaleSamples: count('--samples', samples) }),
    ...(open !== undefined && {
      open: open
        .split(',')
        .filter(Boolean)
        .map((size) => count('--open', size)),
    }),
    ...(temporal !== undefined && { temporalAddress: temporal }),
    ...(database !== undefined && { database }),
    ...(profileWorker !== undefined && { profileWorker: path.resolve(profileWorker) }),
  };
  return { options, json: flags.json };
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
