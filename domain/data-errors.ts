/**
 * The failure type of data PostgreSQL refuses to hold (SQLSTATE classes 22 and 23: a value out of
 * range, a constraint broken). Retrying cannot help: the activity fails once, non-retryably, and
 * the workflow decides what the refusal means for the order.
 */
export const DATA_REFUSED = 'DataRefusedByDatabase';
