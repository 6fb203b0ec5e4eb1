import { getCalendar } from '../../lib/calendar/get-calendar.ts';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { ParameterSet } from './expand-grid.ts';
import { runParameterBatch } from './run-parameter-batch.ts';
import { sweep, type SweepObjective, type SweepOptions } from './sweep.ts';
import { withParameters } from './with-parameters.ts';
import { sweepConfig } from './sweep-config.ts';

/** Window lengths of a walk-forward, in sessions of the config's calendar. */
export interface WalkForwardWindows {
  readonly train: number;
  readonly test: number;
}

/** One step of a walk-forward: optimised on `train`, the best set run on the `test` sessions after it. */
export interface WalkForwardStep {
  readonly train: { readonly start: string; readonly end: string; readonly sessions: number };
  readonly test: { readonly start: string; readonly end: string; readonly sessions: number };
  /** The best set on the training window. */
  readonly parameters: ParameterSet;
  /** The objective and return of that set on the training window (in-sample) and on the test window (out-of-sample). */
  readonly inSample: { readonly score: number; readonly returnPct: number; readonly returnAnnPct: number };
  readonly outOfSample: { readonly score: number; readonly returnPct: number; readonly returnAnnPct: number; readonly trades: number };
}

/** An equity curve by session close: one point per session. */
export type EquityCurvePoints = ReadonlyArray<{ readonly date: string; readonly equity: number }>;

/** What a walk-forward found. */
export interface WalkForwardResult {
  readonly objective: SweepObjective;
  readonly windows: WalkForwardWindows;
  readonly steps: readonly WalkForwardStep[];
  /** The test windows' daily returns compounded in order, from the starting equity: what trading the chosen sets would have given. */
  readonly outOfSample: EquityCurvePoints;
  /**
   * The in-sample counterpart over the same number of sessions: each step's chosen set on the
   * last `test` sessions of its training window (the stretch just before it was chosen),
   * compounded the same way.
   */
  readonly inSample: EquityCurvePoints;
  /** Out-of-sample return compounded over all test windows, in percent; and in-sample likewise. */
  readonly outOfSampleReturnPct: number;
  readonly inSampleReturnPct: number;
  /** Walk-forward efficiency: mean annualised out-of-sample return / mean annualised in-sample return (NaN when the latter is 0). */
  readonly efficiency: number;
  readonly ms: number;
}

/**
 * `--walk-forward train=120,test=20` parsed: whole numbers of sessions.
 *
 * @throws ConfigError naming the option.
 */
export function parseWalkForward(spec: string): WalkForwardWindows {
  const parts = Object.fromEntries(spec.split(',').map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
  const train = Number(parts.train);
  const test = Number(parts.test);
  const keys = Object.keys(parts);
  if (keys.length !== 2 || !Number.isInteger(train) || !Number.isInteger(test) || train < 1 || test < 1) {
    throw ConfigError.at('--walk-forward', spec, 'train=N,test=M with whole numbers of sessions >= 1, e.g. train=120,test=20');
  }
  return { train, test };
}

/**
 * Walk-forward optimisation (issue "Parameter sweeps", point 7): the config's sessions are cut
 * into rolling windows of `train` sessions followed by `test` sessions (the next window
 * starts `test` sessions later); on each training window the grid is swept (see
 * {@link sweep}, same options) and its best set by the objective is run on the following
 * test window. The test windows' results, stitched, are what the optimisation would have
 * earned out of sample; they are reported next to the in-sample ones.
 *
 * @throws ConfigError when the config's range holds fewer than `train + test` sessions.
 * @example
 * ```ts
 * const wf = await walkForward('s.json', { train: 120, test: 20 }, { grid: ['strategies[0].params.fast=5..30:5'], objective: 'sharpe' });
 * console.log(wf.outOfSampleReturnPct, wf.efficiency);
 * ```
 */
export async function walkForward(config: string | SessionConfigInput, windows: WalkForwardWindows, options: SweepOptions): Promise<WalkForwardResult> {
  const started = performance.now();
  const { config: raw, baseDir, file } = sweepConfig(config, options.baseDir);
  const parsed = parseConfig(raw, { baseDir, ...(file ? { file } : {}) });
  const sessions = getCalendar(parsed.calendar).sessions(parsed.backtest.start, parsed.backtest.end);
  if (sessions.length < windows.train + windows.test) {
    throw ConfigError.at('--walk-forward', `train=${windows.train},test=${windows.test}`, `windows that fit the backtest's ${sessions.length} sessions (${parsed.backtest.start}..${parsed.backtest.end}): train + test <= ${sessions.length}`);
  }
  const objective = options.objective ?? 'sharpe';
  const steps: WalkForwardStep[] = [];
  const oosReturns: Array<{ date: string; returnPct: number }> = [];
  const isReturns: Array<{ date: string; returnPct: number }> = [];
  let startEquity = Number.NaN;
  for (let from = 0; from + windows.train < sessions.length; from += windows.test) {
    const train = sessions.slice(from, from + windows.train);
    const test = sessions.slice(from + windows.train, from + windows.train + windows.test);
    const range = (list: typeof train): ParameterSet => ({ 'backtest.start': list[0]!.date, 'backtest.end': list.at(-1)!.date });
    const swept = await sweep(withParameters(raw, range(train)), { ...options, baseDir, objective });
    const best = swept.rows[0]!;
    const [outcome] = await runParameterBatch({ config: raw, baseDir, ...(file ? { file } : {}), sets: [{ index: 0, parameters: { ...best.parameters, ...range(test) } }] }, options.signal ? { signal: options.signal } : {});
    const inStats = best.stats;
    const outStats = outcome!.stats;
    if (Number.isNaN(startEquity) && outStats) startEquity = outStats.equityFinal / (1 + outStats.returnPct / 100);
    oosReturns.push(...(outStats?.dailyReturns ?? test.map((s) => ({ date: s.date, returnPct: 0 }))));
    isReturns.push(...(inStats?.dailyReturns.slice(-windows.test) ?? []));
    steps.push({
      train: { start: train[0]!.date, end: train.at(-1)!.date, sessions: train.length },
      test: { start: test[0]!.date, end: test.at(-1)!.date, sessions: test.length },
      parameters: best.parameters,
      inSample: { score: best.score, returnPct: inStats?.returnPct ?? Number.NaN, returnAnnPct: inStats?.returnAnnPct ?? Number.NaN },
      outOfSample: { score: outStats ? outStats[objective] : Number.NaN, returnPct: outStats?.returnPct ?? Number.NaN, returnAnnPct: outStats?.returnAnnPct ?? Number.NaN, trades: outStats?.trades ?? 0 },
    });
  }
  const start = Number.isNaN(startEquity) ? 1 : startEquity;
  const outOfSample = compound(oosReturns, start);
  const inSample = compound(isReturns, start);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const isAnn = mean(steps.map((s) => s.inSample.returnAnnPct));
  return {
    objective,
    windows,
    steps,
    outOfSample,
    inSample,
    outOfSampleReturnPct: ((outOfSample.at(-1)?.equity ?? start) / start - 1) * 100,
    inSampleReturnPct: ((inSample.at(-1)?.equity ?? start) / start - 1) * 100,
    efficiency: isAnn === 0 ? Number.NaN : mean(steps.map((s) => s.outOfSample.returnAnnPct)) / isAnn,
    ms: performance.now() - started,
  };
}

/** Daily returns (percent) compounded from `start`. */
function compound(returns: ReadonlyArray<{ readonly date: string; readonly returnPct: number }>, start: number): EquityCurvePoints {
  let equity = start;
  return returns.map((r) => ({ date: r.date, equity: (equity *= 1 + r.returnPct / 100) }));
}
