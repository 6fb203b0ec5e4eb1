/**
 * A table of results or bars: an arquero `ColumnTable` at run time, declared by the part of
 * arquero's API sessionflow documents. Public signatures name this interface, not arquero's
 * own types, because arquero's published declarations (8.0.x, and @uwdata/flechette's under
 * them) do not type-check in a user's project with `skipLibCheck: false` (a JSDoc-generated
 * optional rest parameter, an untyped member); naming them would put those errors in every
 * strict project that imports sessionflow. For arquero's whole API, cast:
 *
 * @example
 * ```ts
 * import type { ColumnTable } from 'arquero';
 * const trades = result.trades as unknown as ColumnTable;
 * result.trades.filter((d: { pnl: number }) => d.pnl > 0).print();
 * ```
 */
export interface DataTable {
  /** Rows after any filter. */
  numRows(): number;
  numCols(): number;
  columnNames(filter?: (name: string, index: number, array: string[]) => boolean): string[];
  /** The column's values by row index (`at`, `length`), or undefined when there is no such column. */
  column(name: string): { readonly length: number; at(row: number): unknown; [Symbol.iterator](): Iterator<unknown> } | undefined;
  /** The value of `name` at `row` (default 0). */
  get(name: string, row?: number): unknown;
  /** The column as an array (or typed array, when `constructor` is one). */
  array(name: string, constructor?: ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor): ArrayLike<unknown>;
  /** Row `row` (default 0) as an object keyed by column name. */
  object(row?: number): object;
  /** The rows as objects, optionally limited, offset, or restricted to some columns. */
  objects(options?: { limit?: number; offset?: number; columns?: string | string[]; grouped?: boolean | 'object' | 'entries' | 'map' }): object[];
  /** Print the first rows (default 10) to the console; returns the table. */
  print(options?: number | { limit?: number; offset?: number; columns?: string | string[] }): this;
  /** The table as CSV text. */
  toCSV(options?: { limit?: number; offset?: number; columns?: string[]; delimiter?: string }): string;
  /** The table as Markdown text. */
  toMarkdown(options?: { limit?: number; offset?: number; columns?: string[] }): string;
  /** Rows for which `predicate` (an arquero table expression) holds. */
  filter(predicate: unknown): this;
  /** Keep, rename or reorder columns (names, selections or a rename object). */
  select(...columns: unknown[]): this;
  /** New or replaced columns from table expressions. */
  derive(values: object, options?: object): this;
  /** Sort by column names or expressions (`aq.desc('pnl')`). */
  orderby(...keys: unknown[]): this;
  /** Group by column names or expressions for `rollup` and `count`. */
  groupby(...keys: unknown[]): this;
  ungroup(): this;
  /** Aggregate (per group, when grouped) with table expressions. */
  rollup(values?: object): this;
  /** Row counts (per group, when grouped), in a column named `count` unless `as` says otherwise. */
  count(options?: { as?: string }): this;
  /** Rows `start` to `end` (exclusive). */
  slice(start?: number, end?: number): this;
  /** Iterate the rows as objects. */
  [Symbol.iterator](): Iterator<object>;
}
