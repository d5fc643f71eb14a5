// The statuses a customer sees. Internal ones (packing, booking, needs_attention…) are our
// business, not the customer's: before the carrier has the parcel it is simply "label created".
import { LOST, PRE_CARRIER_STATUSES, TRACKING_STATUSES } from '../../domain/statuses';

const PUBLIC_STATUSES = [
  'label_created',
  ...TRACKING_STATUSES.filter((s): s is Exclude<(typeof TRACKING_STATUSES)[number], 'pending'> => s !== 'pending'),
  LOST, // no carrier scans it: the parcel ended so after its final deadline (domain/statuses.ts)
] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

export function publicStatus(status: string): PublicStatus {
  if ((PRE_CARRIER_STATUSES as readonly string[]).includes(status)) return 'label_created';
  return (PUBLIC_STATUSES as readonly string[]).includes(status) ? (status as PublicStatus) : 'unknown';
}

/** Where the parcel's journey is over, an estimated delivery date means nothing. */
export const FINAL_STATUSES: readonly PublicStatus[] = ['delivered', 'returned', 'return_to_sender', 'cancelled', LOST];
