import { parseScanSchedule } from '../../lib/clock/scan-schedule.ts';
import { ConfigError, namedBy } from '../../lib/errors.ts';
import type { Json, SessionComponent, SessionContext, SymbolAddition, SymbolDrop } from '../../lib/session/component.ts';
import { sliceOperator } from '../internal/slice-operator.ts';
import type { ScanPick, ScanResult, Scanner } from './scanner-registry.ts';

/** Options of {@link scanner}. */
export interface ScannerOptions {
  /** Unique in the run: the component's name and the `by` of what it adds and drops. */
  readonly name: string;
  readonly scanner: Scanner;
  /** `"pre"`, `"HH:MM"` (exchange time), `"every 15m"`, `"open+1m"`, `"close-30m"`. */
  readonly schedule: readonly string[];
  /** The symbols it chooses from. */
  readonly universe: readonly string[];
  /** At most this many symbols added per scan, best scores first (default 10). */
  readonly maxAdds?: number;
  /** Where its schedule came from, for errors (`scanners[0]`). */
  readonly path?: string;
  /** The registered scanner it was made from, and its validated params (for printing). */
  readonly definition?: string;
  readonly params?: { readonly [key: string]: Json };
}

/** One scan as recorded in the day's result. */
export interface ScanRecord {
  /** The scan's as-of instant: the open for a pre-session scan (which sees only earlier sessions), else T. */
  readonly asOf: number;
  readonly phase: 'pre' | 'intraday';
  /** Universe symbols it could choose from, and how many had no data. */
  readonly universe: number;
  readonly unavailable: number;
  /** Picks returned (before `maxAdds`). */
  readonly picks: number;
  readonly added: readonly string[];
  readonly dropped: readonly string[];
  /** Wall-clock milliseconds of the scan and its insertions (the clock waited this long). */
  readonly ms: number;
}

/**
 * A scanner as a day component (seed steps 5 and 7): at each scheduled instant it scans its
 * universe through a view with one as-of time (strictly before the open for `"pre"`, bars
 * with `end <= T` at T), then adds the best picks to the day (up to `maxAdds`) and drops the
 * ones it says to drop. The clock holds until the scan and the insertions are done, async
 * work included; a user `pause()` meanwhile takes effect at the next tick. Scheduled
 * instants are ticks of the day even when no bar ends there.
 *
 * @example
 * ```ts
 * createBacktest(config, { components: [scanner({ name: 'gappers', scanner: gapScanner, schedule: ['open+1m'], universe: ['AAPL', 'MSFT'] })] });
 * ```
 */
export function scanner(options: ScannerOptions): SessionComponent {
  const { name, universe } = options;
  if (typeof options.scanner?.scan !== 'function') throw ConfigError.at(`${options.path ?? 'scanner'}.scanner`, options.scanner, 'an object with scan(view)');
  const maxAdds = options.maxAdds ?? 10;
  if (!Number.isInteger(maxAdds) || maxAdds < 0) throw ConfigError.at(`${options.path ?? 'scanner'}.maxAdds`, maxAdds, 'a whole number >= 0');
  const records = new WeakMap<SessionContext, ScanRecord[]>();
  const stats = new WeakMap<SessionContext, { additions: SymbolAddition[]; drops: SymbolDrop[] }>();
  return {
    name,
    kind: 'scanner',
    trustedStage: true,
    needs: { schedule: options.schedule },
    describe: () => ({ kind: 'scanner', name, ...(options.definition ? { scanner: options.definition } : {}), schedule: [...options.schedule], universe: universe.length, universeSample: universe.slice(0, 10), maxAdds, ...(options.params ? { params: options.params } : {}) }),
    stage(ctx) {
      // The plan checked the schedule already (the run parsed it for the day's ticks).
      const schedule = parseScanSchedule(options.schedule, ctx.plan.calendar.timezone, `${options.path ?? name}.schedule`);
      const instants = new Set(schedule.instants(ctx.session));
      const scans: ScanRecord[] = [];
      const outcome = { additions: [] as SymbolAddition[], drops: [] as SymbolDrop[] };
      records.set(ctx, scans);
      stats.set(ctx, outcome);
      const run = async (): Promise<void> => {
        const started = performance.now();
        const view = ctx.day.scanView(universe);
        let result: ScanResult;
        try {
          result = (await options.scanner.scan(view)) ?? {};
        } finally {
          view.close();
        }
        const adds = checkedPicks(result.add, `${name}: scan result add`);
        const drops = checkedPicks(result.drop, `${name}: scan result drop`);
        for (const pick of drops) outcome.drops.push(ctx.day.dropSymbol(pick.symbol, { by: name, ...(pick.reason === undefined ? {} : { reason: pick.reason }) }));
        // Best scores first; symbols already live do not use up the budget.
        // A symbol picked twice counts once (its best score).
        const fresh: ScanPick[] = [];
        for (const pick of [...adds].sort((a, b) => (b.score ?? Number.NEGATIVE_INFINITY) - (a.score ?? Number.NEGATIVE_INFINITY))) {
          if (!ctx.day.isActive(pick.symbol) && !fresh.some((p) => p.symbol === pick.symbol)) fresh.push(pick);
        }
        const taken = fresh.slice(0, maxAdds);
        // Loaded together (the decode threads read them in parallel), registered in score order;
        // each is caught up before the next tick.
        const added = await ctx.day.addSymbols(taken.map((p) => ({ symbol: p.symbol, by: name, ...(p.score === undefined ? {} : { score: p.score }), ...(p.reason === undefined ? {} : { reason: p.reason }) })));
        outcome.additions.push(...added);
        scans.push({
          asOf: view.asOf,
          phase: view.pre ? 'pre' : 'intraday',
          universe: universe.length,
          unavailable: view.unavailable.size,
          picks: adds.length,
          added: added.filter((a) => a.status === 'added').map((a) => a.symbol),
          dropped: drops.map((d) => d.symbol),
          ms: performance.now() - started,
        });
      };
      return sliceOperator(() => {
        let scanning = false;
        let completed = false;
        return {
          next: (slice, subscriber) => {
            const due = (slice.kind === 'pre' && schedule.pre) || (slice.kind === 'tick' && instants.has(slice.time));
            if (!due) {
              subscriber.next(slice);
              return;
            }
            // The slice is passed on only when the scan and its insertions are done: the
            // clock waits for it (back-pressure), so nothing later is visible meanwhile.
            scanning = true;
            run().then(
              () => {
                scanning = false;
                if (subscriber.closed) return;
                subscriber.next(slice);
                if (completed) subscriber.complete();
              },
              (error: unknown) => subscriber.error(namedBy(error, `scanner ${name}`)),
            );
          },
          // A scan still running holds the completion until its slice is passed on.
          complete: (subscriber) => {
            if (scanning) completed = true;
            else subscriber.complete();
          },
        };
      });
    },
    report(ctx): Json {
      const scans = records.get(ctx) ?? [];
      const outcome = stats.get(ctx);
      return {
        scans: scans.map((s) => ({ ...s, added: [...s.added], dropped: [...s.dropped] })),
        added: outcome?.additions.filter((a) => a.status === 'added').length ?? 0,
        dropped: outcome?.drops.filter((d) => d.status === 'dropped').length ?? 0,
      };
    },
  };
}

/** A scan result's picks, checked: a scanner that returns junk fails loudly with its name. */
function checkedPicks(picks: unknown, what: string): ScanPick[] {
  if (picks === undefined) return [];
  if (!Array.isArray(picks)) throw new TypeError(`${what}: expected an array of {symbol, score?, reason?}, got ${JSON.stringify(picks)}`);
  return picks.map((p: unknown, i) => {
    const pick = p as ScanPick;
    if (pick === null || typeof pick !== 'object' || typeof pick.symbol !== 'string' || pick.symbol === '') throw new TypeError(`${what}[${i}]: expected {symbol, score?, reason?}, got ${JSON.stringify(p)}`);
    if (pick.score !== undefined && typeof pick.score !== 'number') throw new TypeError(`${what}[${i}].score: expected a number, got ${JSON.stringify(pick.score)}`);
    return pick;
  });
}
