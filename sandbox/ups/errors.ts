// Errors as the UPS-like API sends them: {response: {errors: [{code, message}]}} with the
// carrier's own codes (sandbox/errors.ts's JSON rules). Adapters must read the code, not just the HTTP status.
import { jsonCarrierErrors } from '../errors';

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

export const upsErrors = jsonCarrierErrors('ups', UPS_ERRORS, (res, { status, code, message }) => {
  if (status === 401) res.set('WWW-Authenticate', code === UPS_ERRORS.invalidClient ? 'Basic realm="ups"' : 'Bearer error="invalid_token"');
  res.status(status).json({ response: { errors: [{ code, message }] } });
});
