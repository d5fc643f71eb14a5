// PostgreSQL's data errors as non-retryable activity failures. The message names where the
// database refused (a field, a column, a constraint, a type) and which rule, never the value:
// PostgreSQL's own message and detail can quote the row, and rows hold customers' data.
import { ApplicationFailure } from '@temporalio/common';
import { DATA_REFUSED } from '../domain/data-errors';

/** The fields of a node-postgres DatabaseError this reads. */
interface PgError {
  code?: unknown;
  message?: string;
  detail?: string;
  table?: string;
  column?: string;
  constraint?: string;
  dataType?: string;
}

const CONDITIONS: Record<string, string> = {
  '22001': 'value too long',
  '22003': 'numeric value out of range',
  '22007': 'invalid date or time',
  '22008': 'date or time out of range',
  '22021': 'character not in the encoding',
  '22P02': 'invalid text for the type',
  '22P05': 'character the type cannot hold',
  '23502': 'null where a value is required',
  '23503': 'reference to a missing row',
  '23505': 'duplicate of a unique key',
  '23514': 'check constraint broken',
};

/** The SQLSTATE of a data exception (class 22) or an integrity constraint violation (class 23), else undefined. */
function dataErrorCode(err: unknown): string | undefined {
  const code = (err as PgError | undefined)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code) ? code : undefined;
}

/** The type a refused value was meant for, from the parts of PostgreSQL's text that name types only. */
function typeNamed({ message = '', detail = '', dataType }: PgError): string | undefined {
  if (dataType) return dataType;
  const numeric = /precision (\d+), scale (\d+)/.exec(detail);
  if (numeric) return `numeric(${numeric[1]},${numeric[2]})`;
  return /\bfor type ([a-z][a-z ]*(?:\(\d+\))?)/.exec(message)?.[1];
}

function whereOf(err: PgError, field: string | undefined): string {
  if (field) return field;
  if (err.column) return `column ${err.table ? `${err.table}.` : ''}${err.column}`;
  if (err.constraint) return `constraint ${err.constraint}`;
  const type = typeNamed(err);
  return type ? `a value of type ${type}` : 'a value';
}

/**
 * A PostgreSQL data error as a non-retryable failure of type DATA_REFUSED; undefined for any
 * other error (a lost connection, a timeout: those are retried).
 * @param field the input field the caller knows was refused, when it can tell (e.g. `lines.0.unitPrice`)
 */
export function dataErrorFailure(err: unknown, field?: string): ApplicationFailure | undefined {
  const code = dataErrorCode(err);
  if (!code) return undefined;
  const condition = CONDITIONS[code] ?? (code.startsWith('22') ? 'data exception' : 'integrity constraint violation');
  return ApplicationFailure.create({
    message: `the database refused ${whereOf(err as PgError, field)}: ${condition} (SQLSTATE ${code})`,
    type: DATA_REFUSED,
    nonRetryable: true,
  });
}
