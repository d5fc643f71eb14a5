// Errors as Trendyol sends them, which differ by definition (marketplaces/trendyol/spec/README.md):
// the order operations' Error `{error, message}`; the common label's `{error: {status, errors:
// [{code, type, title}]}}` (its examples: 1001 BadRequestException / NotFoundException, 1002
// UnauthorizedException); and the Authorization guide's 401 `"exception": "ClientApiAuthenticationException"`.
import type { Response } from 'express';
import { CarrierError, jsonCarrierErrors } from '../../errors';

export const TRENDYOL_ERRORS = {
  invalidRequest: 'BadRequestException',
  rateLimited: 'too.many.requests',
  serverError: 'InternalServerError',
  unavailable: 'ServiceUnavailable',
  unauthenticated: 'ClientApiAuthenticationException',
  forbidden: 'Forbidden',
  notFound: 'NotFoundException',
} as const;

/** The common label's numeric codes, as its examples give them; the HTTP status where they give none. */
const LABEL_CODES: Record<number, number> = { 400: 1001, 401: 1002, 404: 1001 };

export function sendTrendyolError(res: Response, { status, code, message }: CarrierError): void {
  if (res.req.path.includes('/common-label/')) {
    res.status(status).json({ error: { status, errors: [{ code: LABEL_CODES[status] ?? status, type: code, title: message }] } });
  } else if (code === TRENDYOL_ERRORS.unauthenticated) {
    res.status(status).json({ exception: code, message });
  } else {
    res.status(status).json({ error: code, message });
  }
}

export const trendyolErrors = jsonCarrierErrors('trendyol', TRENDYOL_ERRORS, sendTrendyolError);

export const badRequest = (message: string) => new CarrierError(400, TRENDYOL_ERRORS.invalidRequest, message);
export const notFound = (message: string) => new CarrierError(404, TRENDYOL_ERRORS.notFound, message);
