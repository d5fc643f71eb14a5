// Fault injection for both SOAP services, through sandbox/faults.ts's plan and middleware as the
// other carriers do. The one fault whose body is protocol-specific is `malformed`: a SOAP carrier
// breaks in XML, and GetQueryJSON, whose result is a JSON string inside the envelope, in JSON.
import type { RequestHandler, Response } from 'express';
import { FaultPlan, injectFaults, type Fault } from '../faults';
import { SERVICE_NS, SOAP_ENV, sendInjectedFault } from './soap';

type Malformed = Extract<Fault, { kind: 'malformed' }>;

/**
 * `invalid-json`: an envelope cut off mid-element (invalid XML), or for GetQueryJSON a valid
 * envelope whose JSON result is cut off; `wrong-shape`: a valid envelope in a shape no client expects.
 */
function malformedBody(operation: string, variant: Malformed['variant']): string {
  const open = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body>`;
  const close = '</soap:Body></soap:Envelope>';
  if (variant === 'wrong-shape') return `${open}<unexpected><shape/></unexpected>${close}`;
  if (operation === 'GetQueryJSON') {
    return `${open}<GetQueryJSONResponse xmlns="${SERVICE_NS}"><GetQueryJSONResult>{"QueryResult": {"CargoTransaction": [</GetQueryJSONResult></GetQueryJSONResponse>${close}`;
  }
  return `${open}<${operation}Response xmlns="${SERVICE_NS}"><${operation}Result><ResultCode>0</Res`;
}

function sendMalformed(res: Response, operation: string, variant: Malformed['variant']): void {
  res.status(200).type('text/xml; charset=utf-8').send(malformedBody(operation, variant));
}

/** Draws from the carrier's plan once per call, then replays the draw through faults.ts's middleware. */
export function injectSoapFaults(plan: FaultPlan, operation: string): RequestHandler {
  return (req, res, next) => {
    const { delayMs, failure } = plan.draw(operation);
    if (failure?.kind === 'malformed') {
      setTimeout(() => sendMalformed(res, operation, failure.variant), delayMs);
      return undefined;
    }
    const replay = new FaultPlan();
    if (delayMs > 0) replay.add({ kind: 'latency', ms: delayMs, times: 1, probability: 1, seed: 1 });
    if (failure) replay.add({ ...failure, on: undefined, times: 1, probability: 1 });
    return injectFaults(replay, operation, sendInjectedFault)(req, res, next);
  };
}
