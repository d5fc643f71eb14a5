// What every marketplace double shows in its admin API's /pushes: each write the engine made, with
// the double's answer, refusals included.
import type { Request, RequestHandler } from 'express';
import { CarrierError } from '../errors';

export interface Recorded {
  body: unknown;
  at: string;
  /** The double's answer: its success status, or the refusal's. */
  status: number;
}

/**
 * A write handler: `apply` changes the double's state (or throws the refusal, answered by the
 * double's error handler); each call is kept in the state's `pushes` as `entryOf` names it (the
 * list is read at each call: a reset replaces it), and a success is answered `ok.status` with
 * `ok.body` (none when absent), as the marketplace's definition answers.
 */
export function recordedWrite<Push extends Recorded>(
  pushes: () => Push[],
  entryOf: (req: Request) => Omit<Push, keyof Recorded>,
  apply: (req: Request) => void,
  ok: { status: number; body?: unknown },
): RequestHandler {
  return (req, res) => {
    const call = { ...entryOf(req), body: req.body as unknown, at: new Date().toISOString() };
    try {
      apply(req);
    } catch (err) {
      pushes().push({ ...call, status: err instanceof CarrierError ? err.status : 500 } as Push);
      throw err;
    }
    pushes().push({ ...call, status: ok.status } as Push);
    if (ok.body === undefined) res.status(ok.status).end();
    else res.status(ok.status).json(ok.body);
  };
}
