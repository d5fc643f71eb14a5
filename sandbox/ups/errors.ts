// Errors as UPS sends them, in every one of its definitions: {response: {errors: [{code, message}]}}
// (sandbox/errors.ts's JSON rules). Adapters must read the code, not just the HTTP status.
import type { Response } from 'express';
import { jsonCarrierErrors } from '../errors';
import type { CarrierError } from '../errors';

/**
 * The codes the double sends. Published (UPSTrackAlert.yaml's table): 250002. The others are
 * in no captured file (Rate, Ship and Void list no codes): the sandbox's choices, to verify in CIE
 * (carriers/ups/README.md); the 10xxx ones answer injected faults.
 */
export const UPS_ERRORS = {
  invalidRequest: '10001',
  serverError: '10500',
  unavailable: '10503',
  rateLimited: '10429',
  invalidAuthentication: '250002',
  invalidShipperNumber: '120100',
  addressInvalid: '120802',
  /**
   * "Missing or invalid ship to StateProvinceCode": UPS's XML-era error table as integrators quote it
   * (e.g. techship.io's "Hard 120206"), not the REST API's definitions; sent for a return's ShipFrom too,
   * whose own code is not known.
   */
  stateInvalid: '120206',
  noShipment: '190102',
  notVoidable: '190118',
  noLabel: '120541',
  trackingNotFound: 'TW0001',
  /** International forms missing or incomplete: the sandbox's own code (no UPS file or public page we hold names one). */
  customsDataMissing: 'CU0001',
  /** Pickup refusals: the sandbox's own codes (Pickup.yaml lists none; its rules are in PickupDateInfo's descriptions). */
  pickupWindowTooShort: 'PU0001',
  pickupDateInvalid: 'PU0002',
  noPickup: 'PU0003',
  /** A Landed Cost quote for goods that cross no customs border (TR and the EU, or one country): the sandbox's own code. */
  noCustomsBorder: 'LC0001',
} as const;

/** Writes one error in UPS's shape (a 401 also says which scheme it wants). */
export function sendUpsError(res: Response, { status, code, message }: CarrierError): void {
  if (status === 401) res.set('WWW-Authenticate', res.req.path.includes('oauth') ? 'Basic realm="ups"' : 'Bearer error="invalid_token"');
  res.status(status).json({ response: { errors: [{ code, message }] } });
}

export const upsErrors = jsonCarrierErrors('ups', UPS_ERRORS, (res, error) => sendUpsError(res, error));
