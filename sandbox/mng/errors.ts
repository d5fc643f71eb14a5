// Errors as the MNG double sends them, in the shapes carriers/mng/spec/mng-openapi.yaml allows
// (AnyError): the API gateway (IBM API Connect) refuses a call without valid X-IBM-Client-Id/Secret
// with {httpCode, httpMessage, moreInformation}; past it, MNG's services answer
// {error: {code?, message}}, the code only where one is known or chosen (README.md).
import { CarrierError, jsonCarrierErrors } from '../errors';

/**
 * Codes the double sends. 26056 (empty tax number) is published (tcgunel/omniship-mng); the rest are
 * the double's own, for what no public source gives a code to (to verify with real credentials).
 * A duplicate referenceId and an unknown order carry no code: only their text is known.
 */
export const MNG_ERRORS = {
  invalidRequest: '',
  taxNumberMissing: '26056',
  notCancellable: '3007',
  addressNotFound: '4001',
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
  if (error instanceof GatewayRefusal) {
    res.status(401).json({ httpCode: '401', httpMessage: 'Unauthorized', moreInformation: error.message });
    return;
  }
  res.status(error.status).json({ error: { ...(error.code ? { code: error.code } : {}), message: error.message } });
});
