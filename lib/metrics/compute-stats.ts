/**
 * Backtest statistics with published definitions: backtesting.py's `compute_stats` set
 * (version 0.6: CAGR, Alpha and Beta included), plus the probabilistic Sharpe ratio, turnover
 * and daily and monthly returns. Return-based figures come from **session-level equity**: one
 * point per trading day (its close), after the starting equity, also for intraday strategies.
 * Each formula is written next to its key below and in the README ("Statistics").
 */

/** One trading day's end. */
export interface EquityDay {
  /** The session date (exchange-local `YYYY-MM-DD`). */
  readonly date: string;
  /** The session's close (epoch ms). */
  readonly time: number;
  readonly equity: number;
  /** The benchmark's close that day (for Buy & Hold, Alpha and Beta), when there is one. */
  readonly benchmark?: number;
}

/** A round trip as the statistics need it. */
export interface StatsTrade {
  readonly pnl: number;
  /** Return of the trade in percent (P&L over entry value). */
  readonly returnPct: number;
  readonly durationMs: number;
}

/** What {@link computeStats} reads. */
export interface StatsInput {
  /** Equity before the first session (starting cash plus carried positions). */
  readonly startEquity: number;
  /** When the run starts (the first session's open) and ends (the last session's close). */
  readonly start: number;
  readonly end: number;
  /** One point per session, in order. */
  readonly days: readonly EquityDay[];
  readonly trades: readonly StatsTrade[];
  /** Fraction of the run's ticks with an open position (0–1). */
  readonly exposure: number;
  readonly commissions: number;
  /** Σ |fill value| over the run. */
  readonly traded: number;
  /** Periods per year: 252 for exchange calendars, 365 for 24/7 ones. */
  readonly periodsPerYear: number;
  /** Annual risk-free rate as a fraction (default 0). */
  readonly riskFree?: number;
}

/** The statistics, by stable key (what `summary.json`, `stats.json` and `--json` carry). */
export interface BacktestStats {
  readonly start: number;
  readonly end: number;
  readonly durationMs: number;
  readonly periodsPerYear: number;
  readonly exposureTimePct: number;
  readonly equityFinal: number;
  readonly equityPeak: number;
  readonly returnPct: number;
  readonly buyHoldReturnPct: number;
  readonly returnAnnPct: number;
  readonly volatilityAnnPct: number;
  readonly cagrPct: number;
  readonly sharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  readonly alphaPct: number;
  readonly beta: number;
  readonly maxDrawdownPct: number;
  readonly avgDrawdownPct: number;
  readonly maxDrawdownDurationMs: number;
  readonly avgDrawdownDurationMs: number;
  readonly trades: number;
  readonly winRatePct: number;
  readonly bestTradePct: number;
  readonly worstTradePct: number;
  readonly avgTradePct: number;
  readonly maxTradeDurationMs: number;
  readonly avgTradeDurationMs: number;
  readonly profitFactor: number;
  readonly expectancyPct: number;
  readonly sqn: number;
  readonly kelly: number;
  readonly commissions: number;
  readonly probabilisticSharpe: number;
  readonly turnover: number;
  /** Per session: date and return in percent (the first against the starting equity). */
  readonly dailyReturns: ReadonlyArray<{ readonly date: string; readonly returnPct: number }>;
  /** Per calendar month (`YYYY-MM`) of the session dates: return in percent. */
  readonly monthlyReturns: ReadonlyArray<{ readonly month: string; readonly returnPct: number }>;
}

/**
 * The statistics of a run. Undefined figures are NaN (documented per key; never a crash): no
 * trades gives NaN trade statistics, a flat equity gives a NaN Sharpe (0 / 0).
 *
 * Definitions (r = the session returns E_i / E_{i-1} − 1 with E_0 the starting equity, P =
 * periods per year, g = geometric mean of r = exp(mean(ln(1 + r))) − 1, 0 if any 1 + r <= 0):
 * - returnAnnPct = ((1 + g)^P − 1) × 100
 * - volatilityAnnPct = sqrt((var(r) + (1 + g)²)^P − (1 + g)^(2P)) × 100 (sample variance)
 * - cagrPct = ((E_n / E_0)^(1 / years) − 1) × 100, years = calendar days of the run / P (as backtesting.py)
 * - sharpe = (returnAnnPct − rf%) / volatilityAnnPct
 * - sortino = (returnAnn − rf) / (sqrt(mean(min(r, 0)²)) × sqrt(P))
 * - drawdown d_i = 1 − E_i / max(E_0..E_i); maxDrawdownPct = −max(d) × 100; an episode runs
 *   from a peak to the next new peak (or the end): avgDrawdownPct = −mean(episode peak d) × 100,
 *   durations from the peak's time to the recovery's
 * - calmar = returnAnn / max(d)
 * - beta = cov(ln(E_i/E_{i-1}), ln(B_i/B_{i-1})) / var(ln(B_i/B_{i-1})) over the benchmark B;
 *   alphaPct = returnPct − rf% − beta × (buyHoldReturnPct − rf%) (Jensen)
 * - winRatePct = share of trades with P&L > 0; avgTradePct = geometric mean of trade returns;
 *   expectancyPct = arithmetic mean; profitFactor = Σ positive trade returns / |Σ negative ones|
 * - sqn = sqrt(n) × mean(P&L) / std(P&L); kelly = w − (1 − w) / (mean(winning P&L) / −mean(losing P&L))
 * - probabilisticSharpe = Φ(SR × sqrt(n − 1) / sqrt(1 − γ3·SR + (γ4 − 1)/4 · SR²)) with SR the
 *   per-session Sharpe mean(r)/std(r), γ3 skewness, γ4 kurtosis (Bailey & López de Prado 2012;
 *   the probability that the true Sharpe is above 0)
 * - turnover = Σ |fill value| / mean(E): how many times the book was traded
 *
 * @example
 * ```ts
 * computeStats({ startEquity: 1e5, start, end, days, trades, exposure: 0.4, commissions: 12, traded: 3e5, periodsPerYear: 252 }).sharpe;
 * ```
 */
export function computeStats(input: StatsInput): BacktestStats {
  const P = input.periodsPerYear;
  const rf = input.riskFree ?? 0;
  const equity = [input.startEquity, ...input.days.map((d) => d.equity)];
  const times = [input.start, ...input.days.map((d) => d.time)];
  const r: number[] = [];
  for (let i = 1; i < equity.length; i++) r.push(equity[i]! / equity[i - 1]! - 1);
  const g = geometricMean(r);
  const returnAnn = r.length > 0 ? (1 + g) ** P - 1 : NaN;
  const volatilityAnn = r.length > 1 ? Math.sqrt((variance(r) + (1 + g) ** 2) ** P - (1 + g) ** (2 * P)) : NaN;
  const final = equity.at(-1)!;
  const durationMs = input.end - input.start;
  const years = durationMs / 86_400_000 / P;
  const downside = Math.sqrt(mean(r.map((x) => Math.min(x, 0) ** 2))) * Math.sqrt(P);

  // Drawdowns and their episodes.
  let peak = -Infinity;
  const dd: number[] = equity.map((e) => {
    peak = Math.max(peak, e);
    return 1 - e / peak;
  });
  const maxDd = dd.length > 0 ? maxOf(dd) : 0;
  // Episodes as backtesting.py delimits them: between consecutive points at a peak (d = 0), the
  // last point closing an unfinished one, when at least one point lies between them.
  const marks: number[] = [];
  dd.forEach((d, i) => {
    if (d === 0) marks.push(i);
  });
  if (marks.at(-1) !== dd.length - 1) marks.push(dd.length - 1);
  const episodes: Array<{ peak: number; duration: number }> = [];
  for (let k = 1; k < marks.length; k++) {
    const from = marks[k - 1]!;
    const to = marks[k]!;
    if (to > from + 1) episodes.push({ peak: maxOf(dd.slice(from, to + 1)), duration: times[to]! - times[from]! });
  }

  // Benchmark.
  const bench = input.days.map((d) => d.benchmark);
  const hasBench = bench.length > 0 && bench.every((b) => typeof b === 'number' && Number.isFinite(b) && b > 0);
  const b = bench as number[];
  const returnPct = ((final - input.startEquity) / input.startEquity) * 100;
  const buyHoldPct = hasBench ? ((b.at(-1)! - b[0]!) / b[0]!) * 100 : NaN;
  let beta = NaN;
  if (hasBench && b.length > 2) {
    const eq = input.days.map((d) => d.equity);
    const el: number[] = [];
    const ml: number[] = [];
    for (let i = 1; i < eq.length; i++) {
      el.push(Math.log(eq[i]! / eq[i - 1]!));
      ml.push(Math.log(b[i]! / b[i - 1]!));
    }
    beta = covariance(el, ml) / variance(ml);
  }

  // Trades, in one pass (a large run has hundreds of thousands): sums for the means and the
  // P&L variance, extremes, and the log sum of the geometric mean.
  const trades = input.trades;
  const n = trades.length;
  let plSum = 0;
  let plSquares = 0;
  let winSum = 0;
  let winCount = 0;
  let lossSum = 0;
  let lossCount = 0;
  let positive = 0;
  let negative = 0;
  let retSum = 0;
  let logSum = 0;
  let totalLoss = false;
  let best = -Infinity;
  let worst = Infinity;
  let longest = -Infinity;
  let durationSum = 0;
  for (const t of trades) {
    const ret = t.returnPct / 100;
    plSum += t.pnl;
    plSquares += t.pnl * t.pnl;
    if (t.pnl > 0) {
      winSum += t.pnl;
      winCount++;
    } else if (t.pnl < 0) {
      lossSum += t.pnl;
      lossCount++;
    }
    if (ret > 0) positive += ret;
    else if (ret < 0) negative -= ret;
    retSum += ret;
    if (1 + ret <= 0) totalLoss = true;
    else logSum += Math.log(1 + ret);
    if (ret > best) best = ret;
    if (ret < worst) worst = ret;
    if (t.durationMs > longest) longest = t.durationMs;
    durationSum += t.durationMs;
  }
  const winRate = n === 0 ? NaN : winCount / n;
  const plMean = n > 0 ? plSum / n : NaN;
  // Sample variance from the sums (n − 1).
  const plVariance = n > 1 ? (plSquares - n * plMean * plMean) / (n - 1) : NaN;
  const avgTrade = n === 0 ? NaN : totalLoss ? 0 : Math.exp(logSum / n) - 1;

  // Probabilistic Sharpe ratio against 0, from the per-session Sharpe.
  const sd = Math.sqrt(variance(r));
  const sr = mean(r) / sd;
  const psr = r.length > 2 && sd > 0 ? normalCdf((sr * Math.sqrt(r.length - 1)) / Math.sqrt(1 - skewness(r) * sr + ((kurtosis(r) - 1) / 4) * sr * sr)) : NaN;

  const monthly: Array<{ month: string; returnPct: number }> = [];
  let monthStart = input.startEquity;
  input.days.forEach((d, i) => {
    const month = d.date.slice(0, 7);
    const next = input.days[i + 1];
    if (next && next.date.slice(0, 7) === month) return;
    monthly.push({ month, returnPct: (d.equity / monthStart - 1) * 100 });
    monthStart = d.equity;
  });

  return {
    start: input.start,
    end: input.end,
    durationMs,
    periodsPerYear: P,
    exposureTimePct: input.exposure * 100,
    equityFinal: final,
    equityPeak: maxOf(equity),
    returnPct,
    buyHoldReturnPct: buyHoldPct,
    returnAnnPct: returnAnn * 100,
    volatilityAnnPct: volatilityAnn * 100,
    cagrPct: years > 0 ? ((final / input.startEquity) ** (1 / years) - 1) * 100 : NaN,
    sharpe: (returnAnn * 100 - rf * 100) / (volatilityAnn * 100 || NaN),
    sortino: (returnAnn - rf) / (downside || NaN),
    calmar: returnAnn / (maxDd || NaN),
    alphaPct: returnPct - rf * 100 - beta * (buyHoldPct - rf * 100),
    beta,
    maxDrawdownPct: -maxDd * 100,
    avgDrawdownPct: episodes.length > 0 ? -mean(episodes.map((e) => e.peak)) * 100 : NaN,
    maxDrawdownDurationMs: episodes.length > 0 ? maxOf(episodes.map((e) => e.duration)) : NaN,
    avgDrawdownDurationMs: episodes.length > 0 ? mean(episodes.map((e) => e.duration)) : NaN,
    trades: n,
    winRatePct: winRate * 100,
    bestTradePct: n > 0 ? best * 100 : NaN,
    worstTradePct: n > 0 ? worst * 100 : NaN,
    avgTradePct: avgTrade * 100,
    maxTradeDurationMs: n > 0 ? longest : NaN,
    avgTradeDurationMs: n > 0 ? durationSum / n : NaN,
    profitFactor: positive / (negative || NaN),
    expectancyPct: n > 0 ? (retSum / n) * 100 : NaN,
    sqn: (Math.sqrt(n) * plMean) / (Math.sqrt(plVariance) || NaN),
    kelly: winRate - (1 - winRate) / ((winCount ? winSum / winCount : NaN) / -(lossCount ? lossSum / lossCount : NaN)),
    commissions: input.commissions,
    probabilisticSharpe: psr,
    turnover: input.traded / (mean(equity) || NaN),
    dailyReturns: input.days.map((d, i) => ({ date: d.date, returnPct: r[i]! * 100 })),
    monthlyReturns: monthly,
  };
}

/** The largest value, by a loop: spreading a run's 800,000 trades into Math.max overflows the stack. */
function maxOf(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample variance (n − 1), NaN below two values. */
function variance(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / (xs.length - 1);
}

function covariance(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - mx) * (ys[i]! - my);
  return s / (xs.length - 1);
}

/** exp(mean(ln(1 + x))) − 1; 0 when some 1 + x <= 0 (a total loss), NaN without values. */
function geometricMean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) {
    if (1 + x <= 0) return 0;
    s += Math.log(1 + x);
  }
  return Math.exp(s / xs.length) - 1;
}

/** Population skewness (the moment ratio the PSR uses). */
function skewness(xs: readonly number[]): number {
  const m = mean(xs);
  const m2 = mean(xs.map((x) => (x - m) ** 2));
  return mean(xs.map((x) => (x - m) ** 3)) / m2 ** 1.5;
}

/** Population kurtosis (not excess: 3 for a normal distribution). */
function kurtosis(xs: readonly number[]): number {
  const m = mean(xs);
  const m2 = mean(xs.map((x) => (x - m) ** 2));
  return mean(xs.map((x) => (x - m) ** 4)) / m2 ** 2;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
