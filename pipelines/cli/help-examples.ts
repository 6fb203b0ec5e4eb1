/**
 * The "Examples:" block that ends a command's `--help`, one indented command per line.
 *
 * @example
 * ```ts
 * command.addHelpText('after', helpExamples(['sessionflow run session.json']));
 * ```
 */
export function helpExamples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
