// What every carrier contract test needs: the carrier's sandbox app on a free loopback port, and
// its admin API (faults, parcels) to script the carrier.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import request from 'supertest';
import { mountAlone, type CarrierDouble, type DoubleOptions } from '../../sandbox/double';

/** Listens on a free port; `close` also drops sockets that hung calls hold open. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The carrier's admin API (/_admin/<carrier>) on `app`. */
export function carrierAdmin(app: () => Express, carrier: string) {
  const admin = {
    get: (path: string) => request(app()).get(`/_admin/${carrier}${path}`),
    post: (path: string, body: object = {}) => request(app()).post(`/_admin/${carrier}${path}`).send(body),
    delete: (path: string) => request(app()).delete(`/_admin/${carrier}${path}`),
    async injectFault(fault: Record<string, unknown>): Promise<void> {
      await admin.post('/faults', fault).expect(201);
    },
    async clearFaults(): Promise<void> {
      await admin.delete('/faults').expect(204);
    },
  };
  return admin;
}

/** One request the sandbox answered: what a test counts to see calls, batching and token refreshes. */
export interface SandboxCall {
  method: string;
  path: string;
  status: number;
}

export interface DoubleSandbox<State> {
  app: Express;
  state: State;
  /** The double's API, e.g. http://127.0.0.1:40123/ups: an adapter's baseUrl. */
  baseUrl: string;
  /** Every call to the carrier's API (not its admin API), in order. */
  calls: SandboxCall[];
  close(): Promise<void>;
}

/** A carrier double alone on an app of its own, on a free loopback port, recording the calls it answers. */
export async function startDouble<State, Options extends DoubleOptions>(
  double: CarrierDouble<string, State, Options>,
  options: Omit<Options, 'logger'> & { logger?: Logger } = {} as Omit<Options, 'logger'>,
): Promise<DoubleSandbox<State>> {
  const app = express();
  const calls: SandboxCall[] = [];
  app.use((req, res, next) => {
    const { method, path } = req;
    if (path.startsWith(`/${double.name}/`)) res.on('finish', () => calls.push({ method, path, status: res.statusCode }));
    next();
  });
  const state = mountAlone(double, app, options);
  const server = await listen(app);
  return { app, state, baseUrl: `${server.url}/${double.name}`, calls, close: () => server.close() };
}
