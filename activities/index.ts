// Every activity the worker registers, built from the resources they share.
import type { Pool } from 'pg';
import { createOrderActivities } from './orders';

export interface ActivityDeps {
  pool: Pool;
}

export function createActivities({ pool }: ActivityDeps) {
  return {
    ...createOrderActivities(pool),
  };
}

export type Activities = ReturnType<typeof createActivities>;
