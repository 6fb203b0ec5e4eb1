import { ConfigError, DataError } from '../../lib/errors.ts';
import type { CliIo } from './cli-io.ts';
import { printError } from './print-error.ts';

/**
 * Report a failed command: for a person, as printError does on stderr; with `--json`, as ONE
 * JSON object on stdout, so a script that parses stdout gets an answer either way:
 * `{"ok": false, "error": "<message naming file, field, value>", "problems": [{path, message,
 * value, expected}], "file"?: "…", …extra}`. `problems` lists a config error's problems (empty
 * otherwise); `extra` adds a command's own fields (`validate` adds `"valid": false`).
 *
 * @example
 * ```ts
 * try { … } catch (error) { printFailure(error, io, { json: opts.json }); }
 * ```
 */
export function printFailure(error: unknown, io: CliIo, options: { json?: boolean | undefined; extra?: Record<string, unknown> } = {}): void {
  if (!options.json) {
    printError(error, io.stderr);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const file = error instanceof ConfigError || error instanceof DataError ? error.file : undefined;
  const body = { ok: false, ...options.extra, error: message, problems: error instanceof ConfigError ? error.problems : [], ...(file ? { file } : {}) };
  io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
}
