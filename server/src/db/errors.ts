/**
 * What a repository throws when the database refuses a write, in words that do not depend on the database:
 * services catch these, never a driver's error text.
 */

/** A unique index (or the primary key) already holds this value. `constraint` is the index name, e.g. `orders_one_subsidised_meal`. */
export class UniqueViolation extends Error {
  constructor(
    readonly constraint: string,
    readonly table: string,
  ) {
    super(`unique constraint ${constraint} on ${table}`);
    this.name = 'UniqueViolation';
  }
}
