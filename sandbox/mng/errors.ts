// Errors as the MNG-like API sends them. Two shapes, as on the real carrier: the API gateway
// (IBM API Connect) refuses a call without valid X-IBM-Client-Id/Secret with its own body
// {httpCode, httpMessage, moreInformation}; past the gateway, MNG's services answer
// {error: {code, description}} with their own codes. Adapters must read the code, not just the status.
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';

/**
 * The sandbox's error codes. 3002 (a referenceId already used, sent with HTTP 500) is the
 * carrier's own, as public integrations report it; the others are the sandbox's choice.
 */
export const MNG_ERRORS = {
  invalidRequest: '1001',
  invalidCredentials: '2001',
  invalidToken: '2002',
  duplicateReference: '3002',
  orderNotFound: '3004',
  orderCancelled: '3005',
  notCancellable: '3007',
  addressNotFound: '4001',
  overWeight: '4002',
  rateLimited: '9429',
  serverError: '9500',
  unavailable: '9503',
} as const;

export class MngError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The gateway's refusal: the client id or secret is missing or wrong. */
export class GatewayRefusal extends Error {}

export function sendMngError(res: Response, status: number, code: string, description: string): void {
  res.status(status).json({ error: { code, description } });
}

/** faults.ts's ErrorWriter: the injected failure as the carrier's service would send it. */
export function sendFaultError(res: Response, status: number, message: string): void {
  const code = status === 429 ? MNG_ERRORS.rateLimited : status === 503 ? MNG_ERRORS.unavailable : MNG_ERRORS.serverError;
  sendMngError(res, status, code, message);
}

/** Names the bad fields by path only: values may be personal data. */
export function invalidRequest(error: ZodError, where: string): MngError {
  const issues = error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  return new MngError(400, MNG_ERRORS.invalidRequest, `invalid ${where}: ${issues}`);
}

export function mngErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof GatewayRefusal) {
      res.status(401).json({ httpCode: '401', httpMessage: 'Unauthorized', moreInformation: err.message });
      return;
    }
    if (err instanceof MngError) return sendMngError(res, err.status, err.code, err.message);
    if ((err as { type?: string }).type === 'entity.parse.failed') return sendMngError(res, 400, MNG_ERRORS.invalidRequest, 'the request body is not valid JSON');
    logger.error({ err, method: req.method, path: req.path }, 'sandbox mng: unhandled error');
    return sendMngError(res, 500, MNG_ERRORS.serverError, 'internal server error');
  };
}
