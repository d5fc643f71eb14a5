// What every carrier contract test needs: the carrier's sandbox app on a free loopback port, and
// its admin API (faults, parcels) to script the carrier.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import request from 'supertest';

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
