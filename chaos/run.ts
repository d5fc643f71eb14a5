// npm run chaos [-- --orders N --seed S --json out.json ...]: the chaos run from the command
// line. Exits 1 when an order was lost or something happened twice (chaos/README.md).
import { writeFileSync } from 'node:fs';
import { formatReport } from './report';
import { chaosDefaults, runChaos, type ChaosOptions } from './runner';

const USAGE = `usage: npm run chaos -- [options]
  --orders N         orders to drive through (default 1000)
  --seed S           the seed of orders, faults and moments (default 1)
  --json FILE        write the whole report as JSON
  --rate R           orders submitted per second (default: orders/25, between 1 and 4)
  --api-share F      share of orders sent through POST /v1/orders (default 0.25)
  --worker-kills K   worker SIGKILLs (default 5 from 500 orders, 2 from 50, else 1)
  --outage S         seconds Temporal and PostgreSQL each stay down (default 20, 5 below 50 orders)
  --drain S          seconds orders may take to settle after the chaos (default 180 + 0.5 per order)
  --temporal T       dev (the CLI's dev server, default) or cluster (the real cluster of scripts/cluster:
                     a history process and matching killed -9, the frontend restarted, in place of the
                     dev server's restart)
  --no-faults        no carrier faults
  --no-temporal-restart, --no-postgres-restart
                     (on the cluster, --no-temporal-restart leaves out its faults)
  --keep             keep the run's directory (logs, databases) even when it passes`;

export function parseArgs(argv: string[]): { options: Partial<ChaosOptions>; json?: string } {
  const options: Partial<ChaosOptions> = {};
  let json: string | undefined;
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--orders':
        options.orders = Math.max(1, Math.round(number(flag, value())));
        break;
      case '--seed':
        options.seed = Math.round(number(flag, value()));
        break;
      case '--json':
        json = value();
        if (!json) throw new Error(`--json needs a file\n${USAGE}`);
        break;
      case '--rate':
        options.rate = number(flag, value());
        break;
      case '--api-share':
        options.apiShare = Math.min(1, number(flag, value()));
        break;
      case '--worker-kills':
        options.workerKills = Math.round(number(flag, value()));
        break;
      case '--outage':
        options.outageSeconds = number(flag, value());
        break;
      case '--drain':
        options.drainSeconds = number(flag, value());
        break;
      case '--temporal': {
        const temporal = value();
        if (temporal !== 'dev' && temporal !== 'cluster') throw new Error(`--temporal is dev or cluster\n${USAGE}`);
        options.temporal = temporal;
        break;
      }
      case '--no-faults':
        options.faults = false;
        break;
      case '--no-temporal-restart':
        options.restartTemporal = false;
        break;
      case '--no-postgres-restart':
        options.restartPostgres = false;
        break;
      case '--keep':
        options.keep = true;
        break;
      case '-h':
      case '--help':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  // The defaults that follow from the order count, unless given.
  return { options: { ...chaosDefaults(options.orders), ...options }, json };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  // The stack's processes are killed on the way out (chaos/processes.ts); the run's directory stays.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the chaos run`);
      process.exit(130);
    });
  }
  const report = await runChaos(parsed.options);
  console.log(formatReport(report));
  if (parsed.json) {
    writeFileSync(parsed.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`the whole report: ${parsed.json}`);
  }
  process.exit(report.verdict.pass ? 0 : 1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
