// Errors as Hepsiburada's definition documents them: a bare string under application/json (every
// operation's 400, 401, 404, 500; no code, no object). Its 429 is not documented at all: the
// double answers it the same way.
import type { Response } from 'express';
import { CarrierError, jsonCarrierErrors } from '../../errors';

/** Codes for the double's own bookkeeping (sandbox/errors.ts); they never reach the wire. */
export const HEPSIBURADA_ERRORS = {
  invalidRequest: 'BadRequest',
  unauthorized: 'Unauthorized',
  notFound: 'NotFound',
  rateLimited: 'TooManyRequests',
  serverError: 'InternalServerError',
  unavailable: 'ServiceUnavailable',
} as const;

export function sendHepsiburadaError(res: Response, { status, message }: Pick<CarrierError, 'status' | 'message'>): void {
  res.status(status).json(message);
}

export const hepsiburadaErrors = jsonCarrierErrors('hepsiburada', HEPSIBURADA_ERRORS, sendHepsiburadaError);

export const badRequest = (message: string) => new CarrierError(400, HEPSIBURADA_ERRORS.invalidRequest, message);
export const unauthorized = (message = 'Unauthorized') => new CarrierError(401, HEPSIBURADA_ERRORS.unauthorized, message);
export const notFound = (what: string) => new CarrierError(404, HEPSIBURADA_ERRORS.notFound, `${what} not found`);
