import type { z } from 'zod';
import { validationError } from './errors';

/** Parses a request part with its schema; a 400 naming each bad field otherwise. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, where);
  return parsed.data;
}
