// A carrier's scan as the engine's tracking event, checked the same way for every carrier.
import { TrackingEventSchema, type TrackingEvent } from '../domain/shipment';

/** The scan's fields checked as a TrackingEvent; `malformed` names the scan when they do not fit. */
export function trackingEvent(fields: TrackingEvent, malformed: (problem: string) => Error): TrackingEvent {
  const parsed = TrackingEventSchema.safeParse(fields);
  if (!parsed.success) throw malformed(parsed.error.issues[0].message);
  return parsed.data;
}

/** The place of a scan from its parts (unit, city, country), or none. */
export const scanLocation = (...parts: Array<string | null | undefined>): string | undefined =>
  parts.filter(Boolean).join(', ') || undefined;

/** Oldest first; scans at the same moment in a stable order. */
export const byOccurrence = (a: TrackingEvent, b: TrackingEvent): number =>
  Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.eventId.localeCompare(b.eventId);
