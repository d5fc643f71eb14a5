// A WHERE clause built from a request's optional filters (the order list, the print batch), each
// value a numbered parameter, never spliced into the SQL.
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** The placeholder (`$n`) of a new parameter. */
  param(value: unknown): string {
    return `$${this.params.push(value)}`;
  }

  /** A condition whose one `?` stands for `value`. */
  add(sql: string, value: unknown): void {
    this.conditions.push(sql.replace('?', this.param(value)));
  }

  /** A condition written with its own placeholders (param()). */
  push(sql: string): void {
    this.conditions.push(sql);
  }

  /** `WHERE a AND b`, or nothing when no filter was given. */
  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
