/**
 * The reference the engine is measured against: the same work as the standard pipeline,
 * written by hand on flat `Float64Array`s without RxJS, slices, Maps or per-tick objects.
 *
 * Per session: (load) read today's file and the trailing history with the same
 * `ParquetBarReader` and a history cache like the engine's, aggregate the history into
 * 5m/15m windows; (process) warm both EMAs on the history, then walk the clock minute by
 * minute, drain every symbol's bars with `end <= T` in (end, symbol) order into flat
 * per-day output columns, aggregate open-anchored 5m/15m windows and close them at their
 * end (the last one cut at the close and flagged partial), update EMA(9) on 5m and EMA(21)
 * on 15m, and keep per-symbol quality (present/expected/score, gap count) current per tick.
 */
import type { Session } from '../lib/calendar/types.ts';
import { ParquetBarReader } from '../lib/store/bar-reader.ts';
import type { BarColumns, LoadedBars, StoreConfig } from '../lib/store/types.ts';

const BASE = 60_000;
/** Derived intervals and the EMA period on each (matches BENCH_INDICATORS). */
export const HAND_DERIVED = [
  { ms: 300_000, period: 9 },
  { ms: 900_000, period: 21 },
] as const;

/** One symbol's history, aggregated: the derived closes feed the EMA warm-up. */
export interface HandHistory {
  /** Base bars copied (the engine keeps a base history series too). */
  readonly base: Cols;
  /** Per derived interval. */
  readonly derived: Cols[];
}

/** What one day needs, per symbol (symbols sorted). */
export interface HandDayInput {
  readonly session: Session;
  readonly today: BarColumns[];
  readonly history: HandHistory[];
}

/** Flat columns of one symbol at one interval (views into one block per interval and day). */
export class Cols {
  length = 0;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly partial: Uint8Array;
  readonly ema: Float64Array | undefined;
  constructor(capacity: number, withEma: boolean, block?: ColsBlock, slot = 0) {
    const b = block ?? new ColsBlock(1, capacity, withEma);
    const from = slot * b.capacity;
    const to = from + b.capacity;
    this.start = b.start.subarray(from, to);
    this.end = b.end.subarray(from, to);
    this.open = b.open.subarray(from, to);
    this.high = b.high.subarray(from, to);
    this.low = b.low.subarray(from, to);
    this.close = b.close.subarray(from, to);
    this.volume = b.volume.subarray(from, to);
    this.partial = b.partial.subarray(from, to);
    this.ema = b.ema?.subarray(from, to);
  }
}

/** One allocation per column for `slots` symbols: a hand-written loop would not allocate per symbol. */
export class ColsBlock {
  readonly capacity: number;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly partial: Uint8Array;
  readonly ema: Float64Array | undefined;
  constructor(slots: number, capacity: number, withEma: boolean) {
    const size = Math.max(1, slots * capacity);
    this.capacity = capacity;
    this.start = new Float64Array(size);
    this.end = new Float64Array(size);
    this.open = new Float64Array(size);
    this.high = new Float64Array(size);
    this.low = new Float64Array(size);
    this.close = new Float64Array(size);
    this.volume = new Float64Array(size);
    this.partial = new Uint8Array(size);
    this.ema = withEma ? new Float64Array(size).fill(Number.NaN) : undefined;
  }
}

/** What one processed day produced (kept so the work cannot be optimised away, and for the cross-check). */
export interface HandDayOutput {
  readonly base: Cols[];
  readonly derived: Cols[][];
  /** Per interval (base, 5m, 15m), per symbol. */
  readonly present: Float64Array[];
  readonly expected: Float64Array[];
  readonly score: Float64Array[];
  readonly gaps: Int32Array[];
  readonly barsIn: number;
}

/** Per-day mutable state of the derived windows and EMAs, flat: index `j * n + s`. */
interface DayState {
  readonly open: number;
  readonly close: number;
  readonly n: number;
  readonly derived: Cols[][];
  readonly gaps: Int32Array[];
  readonly wIndex: Float64Array;
  readonly wOpen: Float64Array;
  readonly wHigh: Float64Array;
  readonly wLow: Float64Array;
  readonly wClose: Float64Array;
  readonly wVolume: Float64Array;
  readonly wFilled: Uint8Array;
  readonly emaCount: Float64Array;
  readonly emaSeed: Float64Array;
  readonly emaValue: Float64Array;
}

/**
 * Process one session (the "excluding load" part): EMA warm-up on history, drain, derive,
 * EMA, quality.
 */
export function processDay(input: HandDayInput): HandDayOutput {
  const { session, today, history } = input;
  const { open, close } = session;
  const n = today.length;
  const minutes = Math.ceil((close - open) / BASE);
  const nd = HAND_DERIVED.length;
  const width0 = HAND_DERIVED[0].ms;
  const width1 = HAND_DERIVED[1].ms;
  const base: Cols[] = [];
  const derived: Cols[][] = HAND_DERIVED.map(() => []);
  let maxBars = 1;
  for (let s = 0; s < n; s++) if (today[s]!.length > maxBars) maxBars = today[s]!.length;
  const baseBlock = new ColsBlock(n, maxBars, false);
  const derivedBlocks = HAND_DERIVED.map((d) => new ColsBlock(n, Math.ceil((close - open) / d.ms), true));
  for (let s = 0; s < n; s++) {
    base.push(new Cols(maxBars, false, baseBlock, s));
    for (let j = 0; j < nd; j++) derived[j]!.push(new Cols(0, true, derivedBlocks[j], s));
  }
  const intervals = [BASE, width0, width1];
  const present = intervals.map(() => new Float64Array(n));
  const expected = intervals.map(() => new Float64Array(n));
  const score = intervals.map(() => new Float64Array(n).fill(100));
  const gaps = intervals.map(() => new Int32Array(n));
  const lastExpected = [-1, -1, -1];
  const st: DayState = {
    open,
    close,
    n,
    derived,
    gaps,
    wIndex: new Float64Array(nd * n),
    wOpen: new Float64Array(nd * n),
    wHigh: new Float64Array(nd * n),
    wLow: new Float64Array(nd * n),
    wClose: new Float64Array(nd * n),
    wVolume: new Float64Array(nd * n),
    wFilled: new Uint8Array(nd * n),
    emaCount: new Float64Array(nd * n),
    emaSeed: new Float64Array(nd * n),
    emaValue: new Float64Array(nd * n).fill(Number.NaN),
  };
  const { wIndex, wOpen, wHigh, wLow, wClose, wVolume, wFilled } = st;

  // EMA warm-up on the history's derived closes (TA-Lib seeding: SMA of the first `period`).
  for (let j = 0; j < nd; j++) {
    const period = HAND_DERIVED[j]!.period;
    const k = 2 / (period + 1);
    for (let s = 0; s < n; s++) {
      const h = history[s]?.derived[j];
      if (h === undefined) continue;
      let count = 0;
      let seed = 0;
      let value = Number.NaN;
      for (let i = 0; i < h.length; i++) {
        const x = h.close[i]!;
        count++;
        if (value !== value) {
          seed += x;
          if (count === period) value = seed / period;
        } else value += k * (x - value);
      }
      st.emaCount[j * n + s] = count;
      st.emaSeed[j * n + s] = seed;
      st.emaValue[j * n + s] = value;
    }
  }

  const gaps0 = gaps[0]!;
  const pos = new Int32Array(n);
  let next0 = open + width0;
  let next1 = open + width1;
  let barsIn = 0;
  for (let m = 1; m <= minutes; m++) {
    const T = Math.min(open + m * BASE, close);
    const isClose = T >= close;
    // Drain: symbols in order, each symbol's bars with end <= T.
    for (let s = 0; s < n; s++) {
      const b = today[s]!;
      let p = pos[s]!;
      while (p < b.length) {
        const start = b.start[p]!;
        if (start + BASE > T) break;
        const out = base[s]!;
        const row = out.length++;
        const prevEnd = row > 0 ? out.end[row - 1]! : open;
        if (start > prevEnd) gaps0[s]!++;
        const o = b.open[p]!;
        const hi = b.high[p]!;
        const lo = b.low[p]!;
        const c = b.close[p]!;
        const v = b.volume[p]!;
        out.start[row] = start;
        out.end[row] = start + BASE;
        out.open[row] = o;
        out.high[row] = hi;
        out.low[row] = lo;
        out.close[row] = c;
        out.volume[row] = v;
        for (let j = 0, x = s; j < 2; j++, x += n) {
          const w = Math.floor((start - open) / (j === 0 ? width0 : width1));
          if (wFilled[x] === 1 && wIndex[x] !== w) emitWindow(st, j, s);
          if (wFilled[x] === 0) {
            wIndex[x] = w;
            wOpen[x] = o;
            wHigh[x] = hi;
            wLow[x] = lo;
            wVolume[x] = v;
            wFilled[x] = 1;
          } else {
            if (hi > wHigh[x]!) wHigh[x] = hi;
            if (lo < wLow[x]!) wLow[x] = lo;
            wVolume[x] = wVolume[x]! + v;
          }
          wClose[x] = c;
        }
        p++;
        barsIn++;
      }
      pos[s] = p;
    }
    // Close the derived windows that end at or before T.
    if (T >= next0 || isClose) {
      const closedBefore = Math.floor((T - open) / width0);
      for (let s = 0; s < n; s++) if (wFilled[s] === 1 && (wIndex[s]! < closedBefore || isClose)) emitWindow(st, 0, s);
      next0 = open + (closedBefore + 1) * width0;
    }
    if (T >= next1 || isClose) {
      const closedBefore = Math.floor((T - open) / width1);
      for (let s = 0, x = n; s < n; s++, x++) if (wFilled[x] === 1 && (wIndex[x]! < closedBefore || isClose)) emitWindow(st, 1, s);
      next1 = open + (closedBefore + 1) * width1;
    }
    // Quality: refresh every symbol when an interval's expected count changed.
    for (let j = 0; j < 3; j++) {
      const ms = intervals[j]!;
      const full = Math.floor((T - open) / ms);
      const exp = full + ((close - open) % ms !== 0 && isClose && full === Math.floor((close - open) / ms) ? 1 : 0);
      if (exp === lastExpected[j]) continue;
      lastExpected[j] = exp;
      const ex = expected[j]!;
      const pr = present[j]!;
      const sc = score[j]!;
      const list = j === 0 ? base : derived[j - 1]!;
      for (let s = 0; s < n; s++) {
        const series = list[s]!;
        const len = series.length;
        const have = len < exp ? len : exp;
        ex[s] = exp;
        pr[s] = have;
        sc[s] = exp === 0 ? 100 : (100 * have) / exp;
        if (isClose && (len > 0 ? series.end[len - 1]! : open) < close) gaps[j]![s]!++;
      }
    }
  }
  return { base, derived, present, expected, score, gaps, barsIn };
}

/** Close symbol `s`'s window at derived interval `j`: append the bar, update the EMA, count a gap. */
function emitWindow(st: DayState, j: number, s: number): void {
  const x = j * st.n + s;
  const width = HAND_DERIVED[j]!.ms;
  const wStart = st.open + st.wIndex[x]! * width;
  const fullEnd = wStart + width;
  const wEnd = fullEnd < st.close ? fullEnd : st.close;
  const out = st.derived[j]![s]!;
  const row = out.length++;
  const prevEnd = row > 0 ? out.end[row - 1]! : st.open;
  if (wStart > prevEnd) st.gaps[j + 1]![s]!++;
  const c = st.wClose[x]!;
  out.start[row] = wStart;
  out.end[row] = wEnd;
  out.open[row] = st.wOpen[x]!;
  out.high[row] = st.wHigh[x]!;
  out.low[row] = st.wLow[x]!;
  out.close[row] = c;
  out.volume[row] = st.wVolume[x]!;
  out.partial[row] = wEnd < fullEnd ? 1 : 0;
  st.wFilled[x] = 0;
  const period = HAND_DERIVED[j]!.period;
  const count = ++st.emaCount[x]!;
  let value = st.emaValue[x]!;
  if (value !== value) {
    const seed = (st.emaSeed[x] = st.emaSeed[x]! + c);
    if (count === period) value = seed / period;
  } else value += (2 / (period + 1)) * (c - value);
  st.emaValue[x] = value;
  if (value === value) out.ema![row] = value;
}

/** Aggregate one session of base bars into open-anchored windows (history). */
export function aggregateHistory(bars: BarColumns, session: Session, into: Cols[]): void {
  for (let j = 0; j < HAND_DERIVED.length; j++) {
    const width = HAND_DERIVED[j]!.ms;
    const out = into[j]!;
    let i = 0;
    while (i < bars.length) {
      const w = Math.floor((bars.start[i]! - session.open) / width);
      const wStart = session.open + w * width;
      const fullEnd = wStart + width;
      let high = -Infinity;
      let low = Infinity;
      let volume = 0;
      const o = bars.open[i]!;
      let c = o;
      while (i < bars.length && bars.start[i]! < fullEnd) {
        if (bars.high[i]! > high) high = bars.high[i]!;
        if (bars.low[i]! < low) low = bars.low[i]!;
        volume += bars.volume[i]!;
        c = bars.close[i]!;
        i++;
      }
      const row = out.length++;
      out.start[row] = wStart;
      out.end[row] = Math.min(fullEnd, session.close);
      out.open[row] = o;
      out.high[row] = high;
      out.low[row] = low;
      out.close[row] = c;
      out.volume[row] = volume;
      out.partial[row] = out.end[row]! < fullEnd ? 1 : 0;
    }
  }
}

/** Build a symbol's history from its loaded trailing sessions. */
export function buildHistory(past: ReadonlyArray<{ session: Session; bars: BarColumns }>): HandHistory {
  let baseLength = 0;
  let minutes = 0;
  for (const p of past) {
    baseLength += p.bars.length;
    minutes += Math.ceil((p.session.close - p.session.open) / BASE);
  }
  const base = new Cols(Math.max(1, baseLength), false);
  const derived = HAND_DERIVED.map((d) => new Cols(Math.max(1, Math.ceil((minutes * BASE) / d.ms) + past.length), false));
  for (const { session, bars } of past) {
    for (let i = 0; i < bars.length; i++) {
      const row = base.length++;
      base.start[row] = bars.start[i]!;
      base.end[row] = bars.start[i]! + BASE;
      base.open[row] = bars.open[i]!;
      base.high[row] = bars.high[i]!;
      base.low[row] = bars.low[i]!;
      base.close[row] = bars.close[i]!;
      base.volume[row] = bars.volume[i]!;
    }
    aggregateHistory(bars, session, derived);
  }
  return { base, derived };
}

/**
 * A hand-written loader with the engine's file access pattern: today's file and the
 * trailing sessions per symbol through a (symbol, date) cache evicted daily.
 */
export class HandLoader {
  private readonly reader: ParquetBarReader;
  private readonly cache = new Map<string, { date: string; value: Promise<LoadedBars> }>();
  constructor(store: StoreConfig) {
    this.reader = new ParquetBarReader(store);
  }

  async load(session: Session, history: readonly Session[], symbols: readonly string[]): Promise<HandDayInput> {
    if (history.length > 0) for (const [key, e] of this.cache) if (e.date < history[0]!.date) this.cache.delete(key);
    const loads = await Promise.all(
      symbols.map(async (symbol) => {
        // Like the engine: today's bars go through the cache when there is history (read once).
        const today = history.length > 0 ? await this.cached(symbol, session) : await this.reader.load(symbol, '1m', session.open, session.close, session.date);
        const past = await Promise.all(history.map(async (h) => ({ session: h, bars: (await this.cached(symbol, h)).bars })));
        return { today: today.bars, history: buildHistory(past) };
      }),
    );
    return { session, today: loads.map((l) => l.today), history: loads.map((l) => l.history) };
  }

  private cached(symbol: string, session: Session): Promise<LoadedBars> {
    const key = `${symbol}\u0000${session.date}`;
    let e = this.cache.get(key);
    if (!e) {
      e = { date: session.date, value: this.reader.load(symbol, '1m', session.open, session.close, session.date) };
      this.cache.set(key, e);
    }
    return e.value;
  }

  dispose(): void {
    this.cache.clear();
    this.reader.clearCache();
  }
}

/** Timings of one hand-loop run over all sessions. */
export interface HandRun {
  readonly barsIn: number;
  /** Reading and history aggregation (0 for a preloaded run). */
  readonly loadMs: number;
  readonly processMs: number;
  readonly wallMs: number;
  /** The last day's output (for the cross-check). */
  readonly last: HandDayOutput | undefined;
}

/** Run the hand loop over `sessions`, loading each day from the store (including load). */
export async function runHandLoopWithLoad(store: StoreConfig, all: readonly Session[], historyCount: number, symbols: readonly string[]): Promise<HandRun> {
  const loader = new HandLoader(store);
  let loadMs = 0;
  let processMs = 0;
  let barsIn = 0;
  let last: HandDayOutput | undefined;
  const t0 = performance.now();
  for (let d = historyCount; d < all.length; d++) {
    const a = performance.now();
    const input = await loader.load(all[d]!, all.slice(d - historyCount, d), symbols);
    const b = performance.now();
    last = processDay(input);
    const c = performance.now();
    loadMs += b - a;
    processMs += c - b;
    barsIn += last.barsIn;
  }
  const wallMs = performance.now() - t0;
  loader.dispose();
  return { barsIn, loadMs, processMs, wallMs, last };
}

/** Load every day's input once (untimed), for the excluding-load comparison. */
export async function preloadHandInputs(store: StoreConfig, all: readonly Session[], historyCount: number, symbols: readonly string[]): Promise<HandDayInput[]> {
  const loader = new HandLoader(store);
  const out: HandDayInput[] = [];
  for (let d = historyCount; d < all.length; d++) out.push(await loader.load(all[d]!, all.slice(d - historyCount, d), symbols));
  loader.dispose();
  return out;
}

/** Run the hand loop on preloaded inputs (excluding load). */
export function runHandLoopPreloaded(inputs: readonly HandDayInput[]): HandRun {
  let barsIn = 0;
  let last: HandDayOutput | undefined;
  const t0 = performance.now();
  for (const input of inputs) {
    last = processDay(input);
    barsIn += last.barsIn;
  }
  const processMs = performance.now() - t0;
  return { barsIn, loadMs: 0, processMs, wallMs: processMs, last };
}
