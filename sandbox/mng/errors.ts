// Errors as the MNG-like API sends them. Two shapes, as on the real carrier: the API gateway
// (IBM API Connect) refuses a call without valid X-IBM-Client-Id/Secret with its own body
// {httpCode, httpMessage, moreInformation}; past the gateway, MNG's services answer
// {error: {code, description}} with their own codes (sandbox/errors.ts's JSON rules). Adapters
// must read the code, not just the status.
import { CarrierError, jsonCarrierErrors } from '../errors';

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

/** The gateway's refusal: the client id or secret is missing or wrong (it has no MNG code). */
export class GatewayRefusal extends CarrierError {
  constructor(message: string) {
    super(401, '', message);
  }
}

export const mngErrors = jsonCarrierErrors('mng', MNG_ERRORS, (res, error) => {
  if (error instanceof GatewayRefusal)
    res.status(401).json({ httpCode: '401', httpMessage: 'Unauthorized', moreInformation: error.message });
  else res.status(error.status).json({ error: { code: error.code, description: error.message } });
});
