import { Command, InvalidArgumentError, Option } from 'commander';
import { basename, join, resolve } from 'node:path';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import { packageVersion } from '../../lib/cli/package-version.ts';
import { userCacheDir } from '../../lib/cli/user-cache-dir.ts';
import { ConfigError } from '../../lib/errors.ts';
import { LOG_LEVELS, setLogLevel, withLogOutput, type LogLevel } from '../../lib/log.ts';
import { PARQUET_COMPRESSIONS, type ParquetCompression } from '../../lib/store/parquet-compressions.ts';
import { processIo, type CliIo } from './cli-io.ts';
import { printFailure } from './print-failure.ts';
import type { OutputFs } from '../../lib/cli/write-file-atomic.ts';
import { registerImportCommand } from './import-command.ts';
import { registerDataCheckCommand } from './data-check-command.ts';
import { registerCalendarCommand } from './calendar-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerSweepCommand } from './sweep-command.ts';
import { registerWorkerCommand } from './worker-command.ts';
import { wholeNumber } from './whole-number-option.ts';
import { registerIndicatorsCommand } from './indicators-command.ts';
import { untilSignal } from './until-signal.ts';
import { registerStrategiesCommand } from './strategies-command.ts';
import { registerScannersCommand } from './scanners-command.ts';
import { registerCompletionCommand } from './completion-command.ts';
import { helpExamples } from './help-examples.ts';
import { importUserModules } from './import-user-modules.ts';
import type { ParameterSet } from '../sweep/expand-grid.ts';

// Only commander and the command definitions load at start: every command imports what it
// runs when it runs, so `sessionflow --help` does not pay for rxjs, arquero or parquet-wasm.

const positiveInt = (name: string): ((text: string) => number) => wholeNumber(name, 1);
const share = (text: string): number => {
  const percent = text.trim().endsWith('%');
  const n = Number(percent ? text.trim().slice(0, -1) : text) / (percent ? 100 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`--min-coverage must be a share from 0 to 1 (or a percentage such as 90%), got ${JSON.stringify(text)}`);
  return n;
};
/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];
const nonNegative = (text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`speed must be a number >= 0, got ${JSON.stringify(text)}`);
  return n;
};

/** Options of {@link main} beyond the command line. */
export interface MainOptions {
  /**
   * Interrupts `run` and `start` like Ctrl-C when aborted. Without it they listen for SIGINT,
   * SIGTERM and SIGHUP themselves; in-process callers (tests) pass their own instead of
   * signalling the process. Abort it with the reason `'SIGTERM'` or `'SIGHUP'` to get what
   * that signal gives (exit 143 or 129 instead of 130).
   */
  readonly signal?: AbortSignal;
  /**
   * The file-system calls `run` writes its outputs with (default `node:fs`): a seam for tests
   * to simulate a full disk or a failing write, which permissions cannot when running as root.
   */
  readonly outputFs?: OutputFs;
}

/** Whether the command line asks for `--json` (before a `--` that ends the options). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * The `sessionflow` command line: `validate`, `run`, `demo`, `start`, … Everything it prints,
 * commander's help and usage errors and the library's log lines included, goes to `io`, so
 * it can run in-process with its output captured.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['node', 'sessionflow', 'validate', 'session.json']);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo = processIo(), options: MainOptions = {}): Promise<number> {
  let code: number = EXIT.ok;
  let commandStarted = false;
  // With --json every answer is one JSON object on stdout, usage errors included: commander's
  // own messages are held here and printed as {"ok": false, "error": …} at the end.
  const json = wantsJson(argv);
  let usageError = '';
  const interruptible = (task: (signal: AbortSignal) => Promise<number>): Promise<number> => (options.signal ? task(options.signal) : untilSignal(task));
  const program = new Command()
    .name('sessionflow')
    .description('Intraday backtests where every trading day is an RxJS observable graph over Parquet minute bars.')
    // The catch below expects --version to end there with exit 0; without this it was an unknown option (exit 1).
    .version(packageVersion())
    .addOption(new Option('--log-level <level>', 'log verbosity').choices(Object.keys(LOG_LEVELS)).default('warn'))
    .option('--import <module>', 'import a module before the command runs, e.g. one that registers strategies, indicators, scanners or calendars (repeatable; .js/.mjs always, .ts with a TypeScript loader)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .hook('preAction', async (cmd) => {
      const opts = cmd.opts<{ logLevel: LogLevel; import: string[] }>();
      setLogLevel(opts.logLevel);
      await importUserModules(opts.import);
      // A failed --import is bad input (exit 1): nothing had started.
      commandStarted = true;
    })
    .addHelpText('after', helpExamples(['sessionflow start', 'sessionflow run session.json --out runs/jan --report', 'sessionflow run --import ./strategies/register.js session.json', 'sessionflow calendar XNYS --from 2024-07-01 --to 2024-07-31', 'sessionflow completion bash >> ~/.bashrc']))
    .exitOverride()
    // Before any .command(): subcommands copy the output configuration when they are created.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // The help shown after a usage error is for people, not for a --json reader.
      writeErr: (text) => (json ? undefined : io.stderr.write(text)),
      outputError: (text, write) => (json ? void (usageError += text) : write(text)),
    })
    .showHelpAfterError();

  program
    .command('validate')
    .description('validate a session config and its data; print every problem, or the resolved plan')
    .argument('<config>', 'session config JSON file')
    .option('--json', 'machine-readable output')
    .addHelpText('after', helpExamples(['sessionflow validate session.json', 'sessionflow validate session.json --json | jq .missing', 'sessionflow validate --import ./register.js session.json']))
    .action(async (configPath: string, opts: { json?: boolean }) => {
      try {
        const [{ prepareRun }, { formatPlan }, { describeScanners, formatScanners }] = await Promise.all([import('../prepare-run.ts'), import('../../lib/cli/format-report.ts'), import('./describe-scanners.ts')]);
        // Components' problems wait for the plan, so the store's are listed with them.
        const setup = prepareRun(configPath, { deferProblems: true });
        const { config } = setup;
        const { plan, source } = await setup.plan();
        // Validation opened the decode threads; nothing runs after it, so they are closed now.
        source.close?.();
        const scanners = describeScanners(setup.components, plan);
        if (opts.json) io.stdout.write(JSON.stringify({ ok: true, valid: true, name: config.name, calendar: plan.calendar.name, baseInterval: plan.base.name, derivedIntervals: plan.derived.map((i) => i.name), sessions: plan.sessions.map((s) => s.date), symbols: config.symbols, historySessions: plan.historySessions, dataFiles: plan.availability.files.length, missing: plan.availability.missing, scanners, components: setup.components.map((c) => ({ name: c.name, kind: c.kind ?? 'component' })), warnings: plan.warnings }, null, 2) + '\n');
        else io.stdout.write(`${formatPlan(plan)}\n${formatScanners(scanners)}`);
      } catch (error) {
        printFailure(error, io, { json: opts.json, extra: { valid: false } });
        code = exitCodeFor(error, { started: false });
      }
    });

  program
    .command('run')
    .description('backtest a session config')
    .argument('<config>', 'session config JSON file')
    .option('--out <dir>', 'write summary.json and exported SessionData here')
    .addOption(new Option('--export <which>', 'SessionData to export as Parquet').choices(['last', 'all', 'none']).default('last'))
    .option('--json', 'print the results as JSON')
    .option('--speed <multiplier>', 'override backtest.speed (0 = data-driven)', nonNegative)
    .option('--strict', 'fail before the first day when any data is missing')
    .option('--no-progress', 'no progress bar')
    .option('--report', 'also write OUT/report.html: equity, drawdown, prices with fills, statistics, trades (needs --out)')
    .option('--force', 'replace a previous run in --out (removes only the files a run writes)')
    .option('--resume <dir>', 'continue the run in DIR (its --out) from its last finished day, e.g. after a crash or kill; same config required')
    .option('--allow-empty', 'exit 0 even when the run read no bars, or (symbol, session) pairs got too few (see --min-coverage)')
    .option('--min-coverage <share>', 'fail (exit 2) when a (symbol, session) pair got less than this share of its expected base bars, 0-1 or a percentage (default 0: only pairs with no bar)', share)
    .option('--set <path=value>', 'assign a value at a config path before validation, e.g. strategies[0].params.fast=10 (repeatable; the value is JSON, or else a string)', collect, [] as string[])
    .addHelpText('after', helpExamples(['sessionflow run session.json', 'sessionflow run session.json --out runs/jan --report', 'sessionflow run session.json --json --no-progress > result.json', 'sessionflow run --import ./register.js session.json --export all --out runs/jan', 'sessionflow run session.json --resume runs/jan', "sessionflow run session.json --set 'strategies[0].params.fast=10' --set 'broker.cash=50000'"]))
    .action(async (configPath: string, opts: { out?: string; resume?: string; export: 'last' | 'all' | 'none'; json?: boolean; speed?: number; strict?: boolean; progress: boolean; report?: boolean; force?: boolean; allowEmpty?: boolean; minCoverage?: number; set: string[] }) => {
      const conflict = opts.resume === undefined ? undefined : opts.force ? '--resume continues the run in its folder; --force would delete it' : opts.out !== undefined && resolve(opts.out) !== resolve(opts.resume) ? `--resume ${opts.resume} writes into that run's folder; --out ${opts.out} names another` : undefined;
      if (conflict) {
        printFailure(new ConfigError(conflict, [{ path: '--resume', message: conflict, value: opts.resume }]), io, { json: opts.json });
        code = EXIT.invalidInput;
        return;
      }
      // --resume DIR is the run's --out.
      if (opts.resume !== undefined) opts.out = opts.resume;
      if (opts.report && !opts.out) {
        const message = '--report needs --out <dir> (the report is written there)';
        printFailure(new ConfigError(message, [{ path: '--report', message, value: true }]), io, { json: opts.json });
        code = EXIT.invalidInput;
        return;
      }
      let set: ParameterSet | undefined;
      if (opts.set.length > 0) {
        try {
          set = (await import('../sweep/parse-set-options.ts')).parseSetOptions(opts.set);
        } catch (error) {
          printFailure(error, io, { json: opts.json });
          code = EXIT.invalidInput;
          return;
        }
      }
      const { runCommand } = await import('./run-command.ts');
      code = await interruptible((signal) =>
        runCommand(
          configPath,
          {
            ...(opts.out ? { out: resolve(opts.out) } : {}),
            export: opts.export,
            json: opts.json ?? false,
            ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
            strict: opts.strict ?? false,
            ...(opts.progress ? {} : { progress: false }),
            ...(opts.report ? { report: true } : {}),
            ...(opts.force ? { force: true } : {}),
            ...(opts.resume !== undefined ? { resume: true } : {}),
            ...(opts.allowEmpty ? { allowEmpty: true } : {}),
            ...(opts.minCoverage !== undefined ? { minCoverage: opts.minCoverage } : {}),
            ...(options.outputFs ? { outputFs: options.outputFs } : {}),
            ...(set ? { set } : {}),
            signal,
          },
          io,
        ),
      );
    });

  program
    .command('demo')
    .description('generate a deterministic demo store of 1m bars (for trying things out and benchmarks)')
    .requiredOption('--out <dir>', 'store folder to write')
    .option('--symbols <n>', 'number of symbols', positiveInt('--symbols'), 10)
    .option('--sessions <n>', 'number of XNYS sessions', positiveInt('--sessions'), 20)
    .option('--start <date>', 'first session date', '2024-01-02')
    .option('--seed <n>', 'PRNG seed', positiveInt('--seed'), 42)
    .addOption(new Option('--layout <layout>', 'file layout').choices(['daily', 'yearly']).default('daily'))
    .addOption(new Option('--compression <codec>', 'page compression (snappy decodes ~4.5× faster, zstd files are ~35% smaller)').choices([...PARQUET_COMPRESSIONS]).default('snappy'))
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', helpExamples(['sessionflow demo --out store', 'sessionflow demo --out big --symbols 500 --sessions 250 --layout yearly --compression zstd']))
    .action(async (opts: { out: string; symbols: number; sessions: number; start: string; seed: number; layout: 'daily' | 'yearly'; compression: ParquetCompression; json?: boolean }) => {
      try {
        const [{ getCalendar }, { generateDemoStore }] = await Promise.all([import('../../lib/calendar/get-calendar.ts'), import('../../lib/store/demo-data.ts')]);
        const calendar = getCalendar('XNYS');
        const first = calendar.session(opts.start) ?? calendar.nextSession(opts.start);
        const sessions = [first];
        while (sessions.length < opts.sessions) sessions.push(calendar.nextSession(sessions.at(-1)!.date));
        const summary = await generateDemoStore({ out: resolve(opts.out), symbols: opts.symbols, sessions, seed: opts.seed, layout: opts.layout, compression: opts.compression });
        if (opts.json) {
          io.stdout.write(`${JSON.stringify({ ok: true, ...summary, from: sessions[0]!.date, to: sessions.at(-1)!.date }, null, 2)}\n`);
          return;
        }
        io.stdout.write(`wrote ${summary.files} files, ${summary.rows} bars for ${summary.symbols.length} symbols × ${summary.sessions} sessions (${sessions[0]!.date}..${sessions.at(-1)!.date}) to ${summary.out} in ${summary.elapsedMs.toFixed(0)} ms\n`);
        io.stdout.write(`layout: ${summary.template}; missing day: ${summary.missingDay ? `${summary.missingDay.symbol} ${summary.missingDay.date}` : 'none'}\n`);
      } catch (error) {
        printFailure(error, io, { json: opts.json });
        code = exitCodeFor(error, { started: false });
      }
    });

  program
    .command('start')
    .description('generate the built-in demo data once, then backtest the bundled demo config')
    .option('--cache <dir>', 'where to keep the demo data (default: demo/ in $XDG_CACHE_HOME/sessionflow or ~/.cache/sessionflow)')
    .option('--out <dir>', 'results folder (default: CACHE/runs/latest, replaced on every start; a folder of your own is not replaced)')
    .option('--json', 'print the run\'s results as JSON (the demo\'s own lines go to stderr)')
    .addHelpText('after', helpExamples(['sessionflow start', 'sessionflow start --cache /tmp/sessionflow-demo --out runs/demo']))
    .action(async (opts: { cache?: string; out?: string; json?: boolean }) => {
      try {
        const [{ prepareDemo }, { runCommand }] = await Promise.all([import('../demo/prepare-demo.ts'), import('./run-command.ts')]);
        const cache = resolve(opts.cache ?? join(userCacheDir(), 'demo'));
        const demo = await prepareDemo(cache);
        // With --json stdout holds only the run's JSON document.
        const say = opts.json ? io.stderr : io.stdout;
        say.write(demo.generated ? `generated demo data in ${demo.ms.toFixed(0)} ms\n` : 'using cached demo data\n');
        say.write(`config: ${demo.configPath}\n`);
        // The demo's results folder is the demo's own: each start replaces the previous one.
        code = await interruptible((signal) => runCommand(demo.configPath, { out: resolve(opts.out ?? join(cache, 'runs', 'latest')), export: 'last', force: opts.out === undefined, quietForce: opts.out === undefined, json: opts.json ?? false, ...(options.outputFs ? { outputFs: options.outputFs } : {}), signal }, io));
        if (code === EXIT.ok) {
          say.write(`\nexample strategies on the same data (sessionflow run <config> --out <dir> --report):\n${demo.examples.map((path) => `  ${path}\n`).join('')}`);
          const sma = demo.examples.find((path) => basename(path) === 'sma-crossover.json');
          if (sma) say.write(`\na parameter sweep on the same data:\n  sessionflow sweep ${sma} --grid 'strategies[0].params.fast=5..20:5' --grid 'strategies[0].params.slow=[30,60,90]' --out <dir> --report\n`);
        }
      } catch (error) {
        printFailure(error, io, { json: opts.json });
        code = exitCodeFor(error, { started: false });
      }
    });

  registerImportCommand(program, io, (c) => (code = c));
  registerDataCheckCommand(program, io, (c) => (code = c));
  registerCalendarCommand(program, io, (c) => (code = c));
  registerIndicatorsCommand(program, io);
  registerStrategiesCommand(program, io);
  registerScannersCommand(program, io);
  registerReportCommand(program, io, (c) => (code = c));
  // Worker threads start with empty registries: they import the --import modules themselves.
  registerSweepCommand(program, io, interruptible, () => program.opts<{ import: string[] }>().import, (c) => (code = c));
  registerWorkerCommand(program, io, interruptible, (c) => (code = c));
  registerCompletionCommand(program, io);

  try {
    // The library logs through one shared logger; this routes what it logs during this
    // invocation (and its async continuations) to io.stderr, not to a concurrent one's.
    await withLogOutput((text) => io.stderr.write(text), () => program.parseAsync([...argv]));
  } catch (error) {
    // commander already printed usage errors (held for --json); --help and --version end here too.
    const exit = (error as { exitCode?: number; code?: unknown }).exitCode;
    if (typeof exit === 'number') {
      if (exit !== 0 && json) printFailure(new Error(usageError.trim().replace(/^error: /, '') || (error as Error).message), io, { json });
      return exit === 0 ? EXIT.ok : EXIT.invalidInput;
    }
    // Anything else escaped a command (a failed --import): say what it was, never exit without a word.
    printFailure(error, io, { json });
    return exitCodeFor(error, { started: commandStarted });
  }
  return code;
}
