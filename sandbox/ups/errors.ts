// Errors as the UPS-like API sends them: {response: {errors: [{code, message}]}} with the
// carrier's own codes. Adapters must read the code, not just the HTTP status.
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';

/** The sandbox's error codes (the real carrier has hundreds; these are the ones it uses). */
export const UPS_ERRORS = {
  invalidRequest: '10001',
  serverError: '10500',
  unavailable: '10503',
  rateLimited: '10429',
  invalidToken: '250002',
  invalidClient: '250003',
  addressInvalid: '120802',
  keyReused: '120900',
  notFound: '151018',
  trackingNotFound: '151044',
  alreadyVoided: '190117',
  notVoidable: '190118',
} as const;

export class UpsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendUpsError(res: Response, status: number, code: string, message: string): void {
  if (status === 401) res.set('WWW-Authenticate', code === UPS_ERRORS.invalidClient ? 'Basic realm="ups"' : 'Bearer error="invalid_token"');
  res.status(status).json({ response: { errors: [{ code, message }] } });
}

/** The code a fault's status carries, as the carrier would send it. */
export function sendFaultError(res: Response, status: number, message: string): void {
  const code = status === 429 ? UPS_ERRORS.rateLimited : status === 503 ? UPS_ERRORS.unavailable : UPS_ERRORS.serverError;
  sendUpsError(res, status, code, message);
}

/** Names the bad fields by path only: values may be personal data. */
export function invalidRequest(error: ZodError, where: string): UpsError {
  const issues = error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  return new UpsError(400, UPS_ERRORS.invalidRequest, `invalid ${where}: ${issues}`);
}

export function upsErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof UpsError) return sendUpsError(res, err.status, err.code, err.message);
    if ((err as { type?: string }).type === 'entity.parse.failed') return sendUpsError(res, 400, UPS_ERRORS.invalidRequest, 'the request body is not valid JSON');
    logger.error({ err, method: req.method, path: req.path }, 'sandbox ups: unhandled error');
    return sendUpsError(res, 500, UPS_ERRORS.serverError, 'internal server error');
  };
}
