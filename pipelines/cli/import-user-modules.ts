import { resolve } from 'node:path';
import { importUserModule } from '../import-user-module.ts';

/**
 * `--import <module>`: import the user's modules, in order, before a command runs — for code
 * that registers strategies, indicators, scanners or calendars (`registerStrategy(…)` at its
 * top level), so configs can name them. Paths resolve against the working directory. A module
 * that fails is a ConfigError naming it.
 *
 * @example
 * ```ts
 * await importUserModules(['./strategies/register.js']);
 * ```
 */
export async function importUserModules(specs: readonly string[]): Promise<void> {
  for (const spec of specs) await importUserModule(resolve(spec), `--import ${spec}`);
}
