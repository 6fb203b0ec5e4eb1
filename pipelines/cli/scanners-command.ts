import { cliTable } from '../../lib/cli/cli-table.ts';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.ts';
import { helpExamples } from './help-examples.ts';

/**
 * Add `sessionflow scanners` to `program`: every scanner a session config can name, as it
 * describes itself (name, default schedule, parameters with defaults and meaning,
 * description); `--json` for machines. Prints to `io.stdout`.
 *
 * @example
 * ```ts
 * registerScannersCommand(program, processIo());
 * // sessionflow scanners --json
 * ```
 */
export function registerScannersCommand(program: Command, io: CliIo): void {
  program
    .command('scanners')
    .description('list the scanners a session config can name, with their schedules and parameters')
    .option('--json', 'machine-readable output')
    .addHelpText('after', helpExamples(['sessionflow scanners', 'sessionflow scanners --json']))
    .action(async (opts: { json?: boolean }) => {
      // The registry (and the scanners it holds) loads when the command runs, not for --help.
      const [{ describeParams }, { SCANNERS }] = await Promise.all([import('../../lib/config/validate-params.ts'), import('../../operators/scanners/scanner-registry.ts')]);
      const all = SCANNERS.list().map((d) => ({ kind: d.kind, name: d.name, description: d.description, schedule: [...d.schedule], params: describeParams(d.params) }));
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return;
      }
      const table = cliTable({ head: ['name', 'schedule', 'params (default)', 'description'], style: { head: [], border: [] }, wordWrap: true, colWidths: [22, 12, 44, 50], chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
      for (const d of all) {
        const params = Object.entries(d.params).map(([key, p]) => `${key}=${p.required ? '(required)' : JSON.stringify(p.default)}: ${p.description}`);
        table.push([d.name, d.schedule.join(', '), params.join('\n') || '—', d.description]);
      }
      io.stdout.write(`${table.toString()}\n`);
      io.stdout.write('Use in a config: "scanners": [{"name": "<name>", "params": {…}, "schedule": ["pre", "10:00", "every 15m"], "universe": "store" | ["AAPL", …] | {"file": "universe.txt"}, "maxAdds": 10}]\n');
    });
}
