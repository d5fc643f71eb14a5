// The failure types carrier calls end with (Temporal ApplicationFailure.type). Written here, in
// domain/, because both sides read them: the connectors raise them, the workflows decide on them.

/** The carrier says the receiver's address is wrong: ask for a corrected one, not the next carrier. */
export const ADDRESS_REJECTED = 'AddressRejected';

/** A parcel across a customs border lacks customs data (HS codes, origins, values): a person must supply it, then retry. */
export const CUSTOMS_DATA_MISSING = 'CustomsDataMissing';

export const CARRIER_FAILURE_TYPES = {
  timeout: 'CarrierTimeout',
  unavailable: 'CarrierUnavailable',
  rateLimited: 'CarrierRateLimited',
  malformed: 'CarrierMalformedResponse',
  refused: 'CarrierRefused',
  addressRejected: ADDRESS_REJECTED,
  customsDataMissing: CUSTOMS_DATA_MISSING,
} as const;

/** The type a failure without one (a plain exception: a connection reset, a crash) is given. */
export const UNCLASSIFIED_FAILURE = 'Error';

/** Failures that say nothing against the parcel: the carrier was slow, down or busy, so asking again later may book. */
const TRANSIENT_FAILURE_TYPES: readonly string[] = [
  CARRIER_FAILURE_TYPES.timeout,
  CARRIER_FAILURE_TYPES.unavailable,
  CARRIER_FAILURE_TYPES.rateLimited,
  UNCLASSIFIED_FAILURE,
];

/** Something failed, and every failure was transient: no carrier truly refused the parcel. */
export function onlyTransientFailures(failureTypes: string[]): boolean {
  return failureTypes.length > 0 && failureTypes.every((type) => TRANSIENT_FAILURE_TYPES.includes(type));
}
