// The API as the bench runs it (a child process of bench/stack.ts): api/app.ts's createApp with the
// configured dependencies but no rate limits (a bench sends thousands of requests a minute from one
// key and one address), and without the storefront webhooks and codec server it does not measure.
// Sends 'ready' to its parent once listening.
import { createApp } from '../api/app';
import { appDepsFromConfig } from '../api/deps';
import { loadConfig } from '../lib/config';

const UNLIMITED = { perKeyPerMinute: 1_000_000_000, perIpPerMinute: 1_000_000_000 };

async function main(): Promise<void> {
  const config = loadConfig();
  const { deps, close } = await appDepsFromConfig(config);
  const app = createApp({ ...deps, rateLimits: UNLIMITED, storefrontSecrets: undefined, codec: undefined });
  const server = app.listen(config.API_PORT, '127.0.0.1', () => process.send?.('ready'));
  process.once('SIGTERM', () => {
    server.close(() => void close().then(() => process.exit(0)));
    server.closeAllConnections();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
