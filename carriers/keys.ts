// Keys we hand carriers. Most Turkish carriers key a booking by a reference the merchant chooses
// and refuse a reused one, so that reference, derived from our idempotency key, is what makes a
// retried booking land once.
import { createHash } from 'node:crypto';
import type { Booking } from '../domain/shipment';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The carrier's reference for an idempotency key: the first 20 hex digits of its SHA-256,
 * upper-case (letters and digits fit every carrier's limit, and a Code 128 barcode). 80 bits: a
 * collision among a billion keys has odds of about 4 in 10 million.
 */
export function hashedKey(idempotencyKey: string): string {
  return sha256Hex(idempotencyKey).slice(0, 20).toUpperCase();
}

/** A reference for people (ops, the carrier's call centre): our id when it fits the carrier's field, `S` and a hash of it otherwise. */
export function readableKey(id: string, maxLength: number): string {
  return new RegExp(`^[A-Za-z0-9_-]{1,${maxLength}}$`).test(id)
    ? id
    : `S${sha256Hex(id)
        .slice(0, maxLength - 1)
        .toUpperCase()}`;
}

/** The booking of a carrier that issues no label: its reference is the parcel's barcode and tracking number, and we print the label. */
export function barcodeBooking(carrier: string, reference: string, idempotencyKey: string): Booking {
  return { carrier, bookingId: reference, trackingNumber: reference, labelRef: `barcode:${reference}`, idempotencyKey };
}
