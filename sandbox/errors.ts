// How a carrier double answers what goes wrong, whatever its protocol: its own refusals (a
// CarrierError with the carrier's code), bodies it cannot read, injected faults and its own bugs.
// Each carrier says how an error looks on its wire (JSON body, SOAP fault); the rules are here once.
import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ErrorWriter } from './faults';

/** A refusal in the carrier's own terms: the HTTP status, the carrier's code and a message. */
export class CarrierError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Names bad fields by path only: values may be personal data. */
export function issuesOf(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export interface ErrorProtocol {
  /** The carrier's name, for the log line of an unhandled error. */
  carrier: string;
  /** The carrier's codes for a bad request and for its own failures (SOAP carriers use one code for 500 and 503). */
  codes: { invalidRequest: string; rateLimited: string; unavailable: string; serverError: string };
  /** The caller's mistake (REST: a 400; SOAP: a Client fault). */
  refusal: (code: string, message: string) => CarrierError;
  /** The carrier's own failure, with the status (5xx or 429) it is sent with. */
  failure: (code: string, message: string, status: number) => CarrierError;
  /** Writes one error in the carrier's body shape. */
  send: (res: Response, error: CarrierError) => void;
  /** body-parser error types answered as the caller's mistake; any other error is the carrier's own. */
  unreadable: readonly string[];
  messages: { unreadable: string; unexpected: string };
}

export interface CarrierErrors {
  /** The value as the schema reads it, or the carrier's refusal naming the bad fields (`code`: invalidRequest unless given). */
  parse: <T>(schema: z.ZodType<T>, value: unknown, where: string, code?: string) => T;
  /** faults.ts's ErrorWriter: an injected failure as the carrier's server would send it. */
  sendInjected: ErrorWriter;
  /** The router's last handler: CarrierErrors as thrown, unreadable bodies as refusals, the rest logged and answered as a failure. */
  handler: (logger: Logger) => ErrorRequestHandler;
}

export function carrierErrors(protocol: ErrorProtocol): CarrierErrors {
  const { codes, send } = protocol;
  return {
    parse(schema, value, where, code = codes.invalidRequest) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) throw protocol.refusal(code, `invalid ${where}: ${issuesOf(parsed.error)}`);
      return parsed.data;
    },
    sendInjected(res, status, message) {
      const code = status === 429 ? codes.rateLimited : status === 503 ? codes.unavailable : codes.serverError;
      send(res, protocol.failure(code, message, status));
    },
    handler: (logger) => (err, req, res, _next) => {
      if (err instanceof CarrierError) return send(res, err);
      if (protocol.unreadable.includes((err as { type?: string }).type ?? '')) {
        return send(res, protocol.refusal(codes.invalidRequest, protocol.messages.unreadable));
      }
      logger.error({ err, method: req.method, path: req.path }, `sandbox ${protocol.carrier}: unhandled error`);
      return send(res, protocol.failure(codes.serverError, protocol.messages.unexpected, 500));
    },
  };
}

/** The REST carriers' rules: refusals are 400s, a body that is not JSON is one, their bugs are 500s. */
export function jsonCarrierErrors(carrier: string, codes: ErrorProtocol['codes'], send: ErrorProtocol['send']): CarrierErrors {
  return carrierErrors({
    carrier,
    codes,
    send,
    refusal: (code, message) => new CarrierError(400, code, message),
    failure: (code, message, status) => new CarrierError(status, code, message),
    unreadable: ['entity.parse.failed'],
    messages: { unreadable: 'the request body is not valid JSON', unexpected: 'internal server error' },
  });
}
