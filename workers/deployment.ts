// Worker Versioning (docs/upgrading.md): which version of the worker deployment this process is,
// and, in development only, making it the current one so new workflows reach it.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { Config } from '../lib/config';
import { logger } from '../lib/logger';
import { version as PACKAGE_VERSION } from '../package.json';

/** This process's version, or undefined when versioning is off (WORKER_VERSIONING=false). */
export function deploymentVersion(config: Config): WorkerDeploymentVersion | undefined {
  if (!config.WORKER_VERSIONING) return undefined;
  return { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID ?? defaultBuildId() };
}

/** The package version and the commit (0.2.0+5f8c14a); the version alone outside a git checkout (images set WORKER_BUILD_ID). */
export function defaultBuildId(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, stdio: ['ignore', 'pipe', 'ignore'] });
    return `${PACKAGE_VERSION}+${commit.toString().trim()}`;
  } catch {
    return PACKAGE_VERSION;
  }
}

/**
 * DEVELOPMENT ONLY: makes `version` the deployment's current version, so workflows started from now
 * on (and auto-upgrading ones) run on it. The server knows a version only once its workers poll, so
 * this retries for a while.
 */
export async function makeCurrent(client: Client, version: WorkerDeploymentVersion, attempts = 60): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({ namespace: client.options.namespace, ...version });
      logger.info({ ...version }, 'worker deployment version set as current');
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(500);
    }
  }
}
