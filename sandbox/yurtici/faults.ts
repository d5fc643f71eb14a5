// Fault injection for the SOAP endpoint, through sandbox/faults.ts's plan and middleware as UPS
// does. The one fault whose body is protocol-specific is `malformed` (faults.ts writes broken
// JSON); a SOAP carrier breaks in XML, so that one is written here.
import type { RequestHandler, Response } from 'express';
import { FaultPlan, injectFaults, type Fault } from '../faults';
import { SOAP_ENV, sendInjectedFault } from './soap';

type Malformed = Extract<Fault, { kind: 'malformed' }>;

/** A 200 whose envelope is cut off mid-element (invalid XML), or a valid envelope in a shape no client expects. */
function sendMalformed(res: Response, variant: Malformed['variant']): void {
  const open = `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${SOAP_ENV}"><env:Body>`;
  const body = variant === 'invalid-json' ? `${open}<ns1:Response><outFlag>0</out` : `${open}<unexpected><shape/></unexpected></env:Body></env:Envelope>`;
  res.status(200).type('text/xml; charset=utf-8').send(body);
}

/** Draws from the carrier's plan once per call, then replays the draw through faults.ts's middleware. */
export function injectSoapFaults(plan: FaultPlan, operation: string): RequestHandler {
  return (req, res, next) => {
    const { delayMs, failure } = plan.draw(operation);
    if (failure?.kind === 'malformed') {
      setTimeout(() => sendMalformed(res, failure.variant), delayMs);
      return undefined;
    }
    const replay = new FaultPlan();
    if (delayMs > 0) replay.add({ kind: 'latency', ms: delayMs, times: 1, probability: 1, seed: 1 });
    if (failure) replay.add({ ...failure, on: undefined, times: 1, probability: 1 });
    return injectFaults(replay, operation, sendInjectedFault)(req, res, next);
  };
}
