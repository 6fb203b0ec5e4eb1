import { cliTable } from '../../lib/cli/cli-table.ts';
import type { Command } from 'commander';
import type { IndicatorDefinition } from '../../operators/indicators/indicator-registry.ts';
import type { CliIo } from './cli-io.ts';
import { helpExamples } from './help-examples.ts';

/** One registry entry as `sessionflow indicators --json` prints it. */
interface IndicatorDescription {
  readonly name: string;
  readonly scope: 'bar' | 'session';
  readonly description: string;
  /** `required`, `none`, or the default period. */
  readonly period: 'required' | 'none' | number;
  readonly params: readonly string[];
  readonly input: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Inputs before the first value at the default period (or for a period of 14 when required). */
  readonly warmup: number;
  readonly warmupPeriod: number;
}

function describe(def: IndicatorDefinition): IndicatorDescription {
  const period = def.period === undefined ? 'required' : def.period === 'none' ? 'none' : def.period.default;
  const warmupPeriod = typeof period === 'number' ? period : period === 'none' ? 0 : 14;
  return {
    name: def.name,
    scope: def.scope ?? 'bar',
    description: def.description,
    period,
    params: def.params,
    input: def.input ?? 'close',
    inputs: def.inputs,
    outputs: def.outputs,
    warmup: def.warmup(warmupPeriod, {}),
    warmupPeriod,
  };
}

/**
 * Add `sessionflow indicators` to `program`: every registered indicator as it describes itself
 * (config name, bar or session scope, period rule, params, inputs, outputs, warm-up), so a
 * config can be written without reading the source; `--json` for machines. Prints to
 * `io.stdout`.
 *
 * @example
 * ```ts
 * registerIndicatorsCommand(program, processIo());
 * // sessionflow indicators --json
 * ```
 */
export function registerIndicatorsCommand(program: Command, io: CliIo): void {
  program
    .command('indicators')
    .description('list the indicators a session config can name, with their parameters, outputs and warm-up')
    .option('--json', 'machine-readable output')
    .addHelpText('after', helpExamples(['sessionflow indicators', 'sessionflow indicators --json | jq \'.[] | select(.scope == "session") | .name\'']))
    .action(async (opts: { json?: boolean }) => {
      // The registry (and the indicators it holds) loads when the command runs, not for --help.
      const { listIndicators } = await import('../../operators/indicators/indicator-registry.ts');
      const all = listIndicators().map(describe);
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return;
      }
      const table = cliTable({ head: ['name', 'scope', 'period', 'params', 'outputs', 'warm-up', 'description'], style: { head: [], border: [] }, wordWrap: true, colWidths: [22, 7, 10, 22, 26, 13, 58], chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
      for (const d of all) {
        table.push([d.name, d.scope === 'session' ? '1d' : 'bar', String(d.period), d.params.join(', ') || '—', d.outputs.join(', '), d.period === 'required' ? `${d.warmup} (p=14)` : String(d.warmup), d.description]);
      }
      io.stdout.write(`${table.toString()}\n`);
      io.stdout.write('Use in a config: {"name": "<name>", "period": N, "interval": "5m", "params": {…}}; session-level (1d) ones use "interval": "1d".\n');
    });
}
