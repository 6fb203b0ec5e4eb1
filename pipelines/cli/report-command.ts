import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT } from '../../lib/cli/exit-codes.ts';
import type { CliIo } from './cli-io.ts';
import { printFailure } from './print-failure.ts';
import { helpExamples } from './help-examples.ts';

/**
 * Add `sessionflow report RUN_DIR [--symbol S…] [--interval 5m]` to `program`: rebuild `RUN_DIR/report.html`
 * from what `run --out` wrote (summary.json with the statistics, the fills, trades and equity
 * tables) and the store's bars of the traded symbols (or `--symbol`). Exit 1 with a message
 * naming the file when the folder is not a finished run with a broker (`--json`: the path, or
 * the error, as one JSON object on stdout).
 *
 * @example
 * ```ts
 * registerReportCommand(program, processIo(), (c) => (code = c));
 * // sessionflow report runs/jan --symbol SPY
 * ```
 */
export function registerReportCommand(program: Command, io: CliIo, setCode: (code: number) => void): void {
  program
    .command('report')
    .description('write RUN_DIR/report.html from a finished run (sessionflow run --out RUN_DIR)')
    .argument('<run-dir>', 'the --out folder of a run')
    .option('--symbol <symbol...>', 'symbols to chart (default: the first 8 traded)')
    .option('--interval <interval>', 'candles of this interval, windows anchored at the open (default: the base interval)')
    .option('--json', 'print the report\'s path as JSON; errors too')
    .addHelpText('after', helpExamples(['sessionflow report runs/jan', 'sessionflow report runs/jan --symbol SPY --symbol QQQ --interval 5m']))
    .action(async (runDir: string, opts: { symbol?: string[]; interval?: string; json?: boolean }) => {
      try {
        // The report's readers and renderer load when the command runs, not for --help.
        const { writeReport } = await import('./write-report.ts');
        const file = await writeReport(resolve(runDir), opts.symbol, opts.interval);
        io.stdout.write(opts.json ? `${JSON.stringify({ ok: true, report: file }, null, 2)}\n` : `report: ${file}\n`);
        setCode(EXIT.ok);
      } catch (error) {
        printFailure(error, io, { json: opts.json });
        setCode(EXIT.invalidInput);
      }
    });
}
