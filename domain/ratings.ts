// Customer satisfaction (issue 26): what a customer may tick when rating a delivery. The rating
// page offers them, the database stores them, the KPIs count them.
export const RATING_REASONS = ['late', 'damaged', 'courier_behaviour', 'left_without_notice', 'wrong_address'] as const;
export type RatingReason = (typeof RATING_REASONS)[number];

/** 4 or 5 stars: a satisfied customer (the share merchants compare carriers by). */
export const SATISFIED_STARS = 4;
/** 1 or 2 stars: ops follow it up (an alert, and shipment.rated for the OMS). */
export const LOW_STARS = 2;
