// The failure types carrier calls end with (Temporal ApplicationFailure.type). Written here, in
// domain/, because both sides read them: the connectors raise them, the workflows decide on them.

/** The carrier says the receiver's address is wrong: ask for a corrected one, not the next carrier. */
export const ADDRESS_REJECTED = 'AddressRejected';

export const CARRIER_FAILURE_TYPES = {
  timeout: 'CarrierTimeout',
  unavailable: 'CarrierUnavailable',
  rateLimited: 'CarrierRateLimited',
  malformed: 'CarrierMalformedResponse',
  refused: 'CarrierRefused',
  addressRejected: ADDRESS_REJECTED,
} as const;
