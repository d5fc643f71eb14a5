// Errors as SP-API sends them, in every operation of orders-v0.json and tokens-2021-03-01.json:
// {errors: [{code, message, details?}]} (sandbox/errors.ts's JSON rules). The codes are the ones
// Amazon's own sandbox cases and documentation use: InvalidInput, Unauthorized, NotFound,
// QuotaExceeded, InternalFailure, ServiceUnavailable.
import type { Response } from 'express';
import { CarrierError, jsonCarrierErrors } from '../../errors';

export const AMAZON_ERRORS = {
  invalidRequest: 'InvalidInput',
  unauthorized: 'Unauthorized',
  notFound: 'NotFound',
  rateLimited: 'QuotaExceeded',
  serverError: 'InternalFailure',
  unavailable: 'ServiceUnavailable',
} as const;

export function sendAmazonError(res: Response, { status, code, message }: CarrierError): void {
  res.status(status).json({ errors: [{ code, message }] });
}

export const amazonErrors = jsonCarrierErrors('amazon', AMAZON_ERRORS, sendAmazonError);

export const notFound = (what: string) => new CarrierError(404, AMAZON_ERRORS.notFound, `${what} not found`);
export const unauthorized = () => new CarrierError(403, AMAZON_ERRORS.unauthorized, 'Access to requested resource is denied.');
export const invalidInput = (message: string) => new CarrierError(400, AMAZON_ERRORS.invalidRequest, message);
