// The demo's command line: `npm run demo -- --orders 500 --faults --seed 7 --rate 5`.
// The stack's addresses default to the ones scripts/dev uses (API_PORT, SANDBOX_PORT,
// TEMPORAL_UI_PORT), so the demo finds a stack started with the same environment.

export interface DemoOptions {
  orders: number;
  faults: boolean;
  seed: number;
  /** Orders a second, batches included. */
  rate: number;
  apiUrl: string;
  sandboxUrl: string;
  temporalUiUrl: string;
}

export class UsageError extends Error {}

export const USAGE = `npm run demo -- [options]

Feeds realistic orders into a running dev stack (npm run dev), moves their parcels along in the
carrier sandbox, and prints what happened and where to look.

  --orders N      orders to send (default 100)
  --faults        inject carrier faults: error rates, a carrier down for a while, 429 bursts
  --seed S        seed for every random choice (default: from the clock, printed)
  --rate R        orders a second (default 5; the API allows 600 calls a minute per key)
  --api URL       the API (default http://127.0.0.1:$API_PORT, API_PORT 3000)
  --sandbox URL   the carrier sandbox (default http://127.0.0.1:$SANDBOX_PORT, SANDBOX_PORT 4010)
  --ui URL        the Temporal Web UI, for the links printed at the end
                  (default http://127.0.0.1:$TEMPORAL_UI_PORT, TEMPORAL_UI_PORT 8233)
  -h, --help      this text`;

function positiveNumber(flag: string, raw: string | undefined, integer: boolean): number {
  const value = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `${flag} needs a positive ${integer ? 'whole ' : ''}number, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`,
    );
  }
  return value;
}

function url(flag: string, raw: string | undefined): string {
  try {
    const parsed = new URL(raw ?? '');
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('not http');
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    throw new UsageError(`${flag} needs an http(s) URL such as http://127.0.0.1:3000, got ${JSON.stringify(raw ?? '')}`);
  }
}

/** The options, or 'help'. Throws UsageError for anything it does not understand. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, now = Date.now()): DemoOptions | 'help' {
  const options: DemoOptions = {
    orders: 100,
    faults: false,
    seed: now % 100_000,
    rate: 5,
    apiUrl: `http://127.0.0.1:${env.API_PORT || 3000}`,
    sandboxUrl: `http://127.0.0.1:${env.SANDBOX_PORT || 4010}`,
    temporalUiUrl: `http://127.0.0.1:${env.TEMPORAL_UI_PORT || 8233}`,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i].startsWith('--') && argv[i].includes('=')
        ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)]
        : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--faults':
        if (inline !== undefined) throw new UsageError('--faults takes no value');
        options.faults = true;
        break;
      case '--orders':
        options.orders = positiveNumber(flag, value(), true);
        break;
      case '--seed': {
        const raw = value();
        const seed = Number(raw);
        if (raw === undefined || raw === '' || !Number.isInteger(seed) || seed < 0)
          throw new UsageError(`--seed needs a whole number of 0 or more, got ${JSON.stringify(raw ?? '')}`);
        options.seed = seed;
        break;
      }
      case '--rate':
        options.rate = positiveNumber(flag, value(), false);
        break;
      case '--api':
        options.apiUrl = url(flag, value());
        break;
      case '--sandbox':
        options.sandboxUrl = url(flag, value());
        break;
      case '--ui':
        options.temporalUiUrl = url(flag, value());
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(argv[i])} (try --help)`);
    }
  }
  return options;
}
