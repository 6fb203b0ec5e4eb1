import Table from 'cli-table3';

/**
 * A cli-table3 table that is coloured only when `color` says so. cli-table3 colours headers
 * red and borders grey by default, deciding from the process's environment (TERM) rather than
 * from where the text goes, so `sessionflow calendar XNYS | less` got escape codes and
 * `NO_COLOR` was ignored. Every table of the CLI is made here; `color` comes from the
 * invocation's io (see CliIo.color: stdout is a terminal and NO_COLOR is not set).
 *
 * @example
 * ```ts
 * const table = cliTable({ head: ['date', 'reason'] }, io.color ?? false);
 * table.push(['2025-12-25', 'Christmas']);
 * io.stdout.write(table.toString());
 * ```
 */
export function cliTable(options: Table.TableConstructorOptions, color = false): Table.Table {
  // Empty style lists are what cli-table3 reads as "no colour" (it wraps cells only when a list is non-empty).
  return new Table(color ? options : { ...options, style: { ...options.style, head: [], border: [] } });
}
