// API process: serves HTTP until SIGINT/SIGTERM.
import { createApp } from './app';
import { appDepsFromConfig } from './deps';
import { CARRIERS, carrierSecrets } from '../carriers/registry';
import { ConfigurationError, loadConfig } from '../lib/config';
import { logger } from '../lib/logger';

async function main(): Promise<void> {
  const config = loadConfig(process.env, { connectors: CARRIERS, secretsOf: carrierSecrets }); // production mode refuses development secrets
  const { deps, close } = await appDepsFromConfig(config);
  const app = createApp(deps);
  const server = app.listen(config.API_PORT, () => {
    logger.info({ port: config.API_PORT }, 'api listening');
    if (config.CODEC_KEYLESS_FROM_UI)
      logger.warn({ uiOrigin: config.TEMPORAL_UI_ORIGIN }, 'codec server: calls from the Temporal UI need no key (development only)');
  });

  const stop = () => {
    logger.info('api stopping');
    server.close(() => void close().then(() => process.exit(0)));
    server.closeIdleConnections(); // keep-alive sockets would hold close() open for seconds
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  if (err instanceof ConfigurationError) process.stderr.write(`${err.message}\n`); // one line per variable, readable at a glance
  logger.fatal({ err }, 'api failed');
  process.exit(1);
});
