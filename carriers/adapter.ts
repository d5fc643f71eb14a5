// The one interface every carrier adapter implements (one folder per carrier under carriers/).
// Activities reach carriers only through it.
import type { Address } from '../domain/order';
import type { PickupConfirmation, PickupRequest } from '../domain/pickups';
import type { Booking, Quote, ShipmentRequest, TrackingEvent } from '../domain/shipment';

export type { PickupConfirmation, PickupRequest } from '../domain/pickups';

export interface CarrierCapabilities {
  services: string[];
  countries: string[]; // destination ISO codes
  maxWeightGrams: number;
  /** The most boxes (Parcel.pieces) one booking carries: 1 where the adapter books a single box. */
  maxPieces: number;
  cashOnDelivery: boolean;
  /** Cash on delivery can be collected by card at the door (a collectionType of card); in cash only otherwise. */
  cardOnDelivery: boolean;
  /** Pushes tracking by webhook; otherwise the shipment workflow polls. */
  pushTracking: boolean;
  /** Issues return labels (createReturn). */
  returns: boolean;
  /** Collects from the warehouse on request (schedulePickup, cancelPickup). */
  pickups: boolean;
  /** The label formats the carrier itself returns; none for a barcode-only carrier (we render PDF and ZPL). */
  labelFormats: Array<'pdf' | 'zpl'>;
  /**
   * Quotes from the contract's tariff in the adapter, with no call to the carrier (carriers/turkey.ts
   * contractQuote): the shipment asks it as a local activity, in its own workflow task, where a call
   * to the carrier goes through the carrier's rate-limited queue.
   */
  pricesByContract?: boolean;
}

export interface AddressCheck {
  valid: boolean;
  /** The carrier's reason when it is not, in its own words. */
  reason?: string;
}

/**
 * What an adapter returns as Booking.labelRef: the carrier's label as a data URL
 * (`data:application/pdf;base64,…` or `data:application/zpl;base64,…`), or `barcode:<number>` for a
 * carrier that gives none. The carrier activities store the label and hand workflows its URL.
 */
export const LABEL_DATA_URL = /^data:application\/(pdf|zpl);base64,(.+)$/;

/**
 * Adapters fail with Temporal ApplicationFailures (carriers/failures.ts; the types in
 * domain/carrier-failures.ts): retryable for timeouts, 5xx and 429; non-retryable for refusals,
 * typed so the workflow can tell them apart: ADDRESS_REJECTED (the address needs correcting), any
 * other type (try the next carrier).
 */
export interface CarrierAdapter {
  readonly name: string;
  readonly capabilities: CarrierCapabilities;
  quote(request: ShipmentRequest): Promise<Quote>;
  /** Books once per idempotency key: a repeated key returns the first booking. */
  book(request: ShipmentRequest, idempotencyKey: string): Promise<Booking>;
  /** A return label for a delivered parcel, collected at request.to (the customer) for request.warehouseId; once per key. */
  createReturn(request: ShipmentRequest, idempotencyKey: string): Promise<Booking>;
  /** Cancels the booking made under this key, if there is one. Safe to repeat. */
  cancel(idempotencyKey: string): Promise<void>;
  track(trackingNumbers: string[]): Promise<TrackingEvent[]>;
  /** Where the carrier pushes scans by subscription (UPS Track Alert): subscribes the parcel; throws when it could not. */
  subscribeTracking?(trackingNumber: string): Promise<void>;
  /**
   * Where the carrier offers courier pickup: books one, once per key (or, where the carrier has no
   * key, as the carrier itself keeps one pickup per address and day: its README says which).
   */
  schedulePickup?(request: PickupRequest): Promise<PickupConfirmation>;
  /** Cancels the pickup the carrier numbered so (PickupConfirmation.pickupId). Safe to repeat. */
  cancelPickup?(carrierPickupId: string): Promise<void>;
  /** Where the carrier offers address validation: asks before booking. */
  validateAddress?(address: Address): Promise<AddressCheck>;
}

export function canCarry({ capabilities }: CarrierAdapter, request: ShipmentRequest): boolean {
  return (
    capabilities.services.includes(request.service) &&
    capabilities.countries.includes(request.to.countryCode) &&
    capabilities.maxWeightGrams >= request.parcel.weightGrams &&
    capabilities.maxPieces >= (request.parcel.pieces ?? 1) &&
    (!request.cashOnDelivery || capabilities.cashOnDelivery) &&
    (request.cashOnDelivery?.collectionType !== 'card' || capabilities.cardOnDelivery)
  );
}

/** One HTTP delivery of a carrier's tracking webhook, as the API received it. */
export interface WebhookDelivery {
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes the carrier signed. */
  rawBody: Buffer;
  receivedAt: number;
}

export class WebhookRejected extends Error {
  constructor(
    readonly reason: 'invalid_signature' | 'stale_timestamp' | 'malformed_payload' | 'invalid_credentials',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A carrier that pushes tracking: checks a delivery's signature (and its freshness, where the
 * carrier sends a timestamp) and reads its scans in the engine's vocabulary, with the same event
 * ids polling gives, so a scan seen both ways counts once. Throws WebhookRejected.
 */
export interface CarrierWebhook {
  readonly carrier: string;
  receive(delivery: WebhookDelivery): { deliveryId: string; events: TrackingEvent[] };
  /**
   * For a carrier that authenticates as an OAuth client of ours before pushing (UPS Track Alert):
   * answers its client-credentials token request, served at POST /v1/webhooks/carriers/<carrier>/token.
   */
  token?(request: { authorization?: string; grantType?: string }): { status: number; body: object };
}
