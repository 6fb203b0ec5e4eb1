import { cliTable } from '../../lib/cli/cli-table.ts';
import type { Command } from 'commander';
import type { StrategyDefinition } from '../../operators/strategies/strategy-registry.ts';
import type { CliIo } from './cli-io.ts';
import { helpExamples } from './help-examples.ts';

/** One registry entry as `sessionflow strategies --json` prints it. */
interface StrategyDescription {
  readonly kind: 'strategy';
  readonly name: string;
  readonly description: string;
  /** Accepted params with their defaults. */
  readonly params: Readonly<Record<string, unknown>>;
}

function describe(def: StrategyDefinition): StrategyDescription {
  return { kind: def.kind, name: def.name, description: def.description, params: def.params };
}

/**
 * Add `sessionflow strategies` to `program`: every strategy a session config can name, as it
 * describes itself (config name, params with their defaults, description), so a config can be
 * written without reading the source; `--json` for machines. The example strategies are
 * registered first, as `validate` and `run` do, so the listing is what a config can use.
 * Prints to `io.stdout`.
 *
 * @example
 * ```ts
 * registerStrategiesCommand(program, processIo());
 * // sessionflow strategies --json
 * ```
 */
export function registerStrategiesCommand(program: Command, io: CliIo): void {
  program
    .command('strategies')
    .description('list the strategies a session config can name, with their parameters and defaults')
    .option('--json', 'machine-readable output')
    .addHelpText('after', helpExamples(['sessionflow strategies', 'sessionflow strategies --json', 'sessionflow strategies --import ./strategies/register.js']))
    .action(async (opts: { json?: boolean }) => {
      // The registry and the example strategies (rxjs) load when the command runs, not for --help.
      const [{ listStrategies }, { registerExampleStrategies }] = await Promise.all([import('../../operators/strategies/strategy-registry.ts'), import('../examples/register-examples.ts')]);
      registerExampleStrategies();
      const all = listStrategies().map(describe);
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return;
      }
      const table = cliTable({ head: ['name', 'params (default)', 'description'], style: { head: [], border: [] }, wordWrap: true, colWidths: [24, 32, 70], chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
      for (const d of all) {
        const params = Object.entries(d.params).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
        table.push([d.name, params.join(', ') || '—', d.description]);
      }
      io.stdout.write(`${table.toString()}\n`);
      io.stdout.write('Use in a config: {"name": "<name>", "params": {…}}; omitted params take their defaults.\n');
    });
}
