// Every error leaves the API as JSON {error, message, issues?} with the right status;
// clients never see a stack trace.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import type { Logger } from '../lib/logger';

export interface ErrorIssue {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A 400 naming each bad field by its path, e.g. `lines.0.quantity`. */
export function validationError(error: ZodError, where = 'body'): HttpError {
  const issues: ErrorIssue[] = error.issues.map((i) => ({ path: i.path.join('.') || where, message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new HttpError(400, 'validation_failed', `invalid ${where}: ${summary}`, { issues });
}

/** Whether the request announces a body (a length or chunked), whether or not it was read. */
export const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

/** What the handler reads of a thrown value (Express hands on whatever was thrown, typed `any`):
 *  body-parser's `type`, Node's and PostgreSQL's `code`, the gRPC status under `cause`. */
interface Thrown {
  type?: string;
  code?: unknown;
  message?: string;
  cause?: { code?: unknown };
}

/** zlib's codes (gzip, deflate: Z_DATA_ERROR…; brotli: ERR__ERROR_FORMAT_…) for a body that is not what its Content-Encoding says; body-parser hands them on as they are. */
const BAD_COMPRESSED_DATA = /^(Z_|ERR__ERROR_|ERR_BROTLI_)/;

/** Errors that body-parser raises before our handlers run, mapped to their own codes. */
function fromBodyParser(err: Thrown): HttpError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'body_too_large', 'the request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_encoding', err.message ?? 'unsupported encoding');
    default:
      return BAD_COMPRESSED_DATA.test(String(err.code))
        ? new HttpError(
            400,
            'invalid_content_encoding',
            'the request body is not valid data for its Content-Encoding (gzip, deflate or br)',
          )
        : undefined;
  }
}

/** Temporal or PostgreSQL out of reach: the client may retry later, nothing was done half-way. */
function fromDependencyOutage(err: Thrown): HttpError | undefined {
  const grpcUnavailable = err.cause?.code === 14 || err.cause?.code === 4; // UNAVAILABLE, DEADLINE_EXCEEDED
  const pgUnreachable =
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03'].includes(String(err.code)) ||
    /timeout exceeded when trying to connect|Connection terminated/.test(err.message ?? '');
  if (!grpcUnavailable && !pgUnreachable) return undefined;
  return new HttpError(503, 'service_unavailable', `${grpcUnavailable ? 'Temporal' : 'the database'} is unavailable; retry later`);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const fields: Thrown = typeof err === 'object' && err !== null ? err : {};
    const outage = fromDependencyOutage(fields);
    if (outage) logger.warn({ err, method: req.method, path: req.path }, 'dependency unavailable');
    const known = err instanceof HttpError ? err : (fromBodyParser(fields) ?? outage);
    if (!known) logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    const { status, code, message, details } = known ?? new HttpError(500, 'internal_error', 'something went wrong; the error is logged');
    // Refused before its body was read (no key, over a limit): close the connection rather than read the rest.
    if (hasBody(req) && !req.complete) res.set('Connection', 'close');
    res.status(status).json({ error: code, message, ...details });
  };
}
