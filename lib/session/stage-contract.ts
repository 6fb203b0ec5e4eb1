import { Observable } from 'rxjs';
import { LifecycleError } from '../errors.ts';
import type { SlicePipeline, TimeSlice } from './time-slice.ts';

/** A stage of the day's pipeline, for messages: its position (1-based) and its component's name. */
export interface StageLabel {
  readonly position: number;
  readonly name: string;
}

/**
 * The slice contract of the day's stages, checked at every stage boundary: each stage passes
 * every slice it receives on exactly once, as the same object, before it receives the next.
 * A stage that emits another object (a copy), emits twice, or receives a slice while still
 * holding the previous one (it dropped it) fails the day with a LifecycleError naming the
 * stage (position and component name) and the tick, at the violation — not several stages
 * or ticks later with a message about the symptom.
 *
 * A dropped slice on its own is silent in RxJS (the pipeline simply never emits), and so is
 * an asynchronous stage still at work: {@link holder} says which stage holds the slice, so
 * the clock can name it when the process has nothing else left to do (see driveTicks).
 *
 * @example
 * ```ts
 * const watch = new StageContract(date);
 * const pipeline = (source) => stages.reduce((acc, stage, i) => watch.wrap(stage, { position: i + 1, name: names[i] })(acc), source);
 * ```
 */
export class StageContract {
  private readonly date: string;
  private readonly phase: () => { readonly name: string; readonly label: string };
  /** Errors that reached a stage from upstream: they are not that stage's to answer for. */
  private readonly passing = new WeakSet<object>();
  /** The slice each stage received and has not yet passed on, by position - 1. */
  private readonly holding: Array<TimeSlice | undefined> = [];
  private readonly labels: StageLabel[] = [];

  /**
   * `phase`: the day's phase now, its name and how messages print it (`3 (active)`): the
   * slices of Phase 2 and Phase 3 pass the same stages.
   */
  constructor(date: string, phase: () => { readonly name: string; readonly label: string } = () => ({ name: 'active', label: 'active' })) {
    this.date = date;
    this.phase = phase;
  }

  /** `stage` with its boundary checked. */
  wrap(stage: SlicePipeline, label: StageLabel): SlicePipeline {
    const k = label.position - 1;
    this.labels[k] = label;
    this.holding[k] = undefined;
    return (source) => {
      const entered = new Observable<TimeSlice>((subscriber) =>
        source.subscribe({
          next: (slice) => {
            const held = this.holding[k];
            // The same slice again: the stage subscribed to its input more than once (a tap
            // beside the pass-through), which is allowed.
            if (held !== undefined && held !== slice) {
              subscriber.error(this.violation(label, held, `received the slice of ${at(slice)} while still holding the slice of ${at(held)}: it dropped a slice (a filter?)`));
              return;
            }
            this.holding[k] = slice;
            subscriber.next(slice);
          },
          error: (error: unknown) => {
            if (typeof error === 'object' && error !== null) this.passing.add(error);
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        }),
      );
      return new Observable<TimeSlice>((subscriber) =>
        stage(entered).subscribe({
          next: (slice) => {
            const held = this.holding[k];
            if (held === undefined) {
              subscriber.error(this.violation(label, slice, `passed on the slice of ${at(slice)} a second time, or one it never received`));
              return;
            }
            if (slice !== held) {
              subscriber.error(this.violation(label, held, `passed on another object than the slice of ${at(held)} it received (a copy, or a new object for ${at(slice)}); pass the same TimeSlice on, and put what you add into its columns or signals`));
              return;
            }
            this.holding[k] = undefined;
            subscriber.next(slice);
          },
          error: (error: unknown) => subscriber.error(this.attribute(error, label, this.holding[k])),
          complete: () => subscriber.complete(),
        }),
      );
    };
  }

  /** The first stage holding a slice it has not passed on (a drop, or async work under way), or undefined. */
  holder(): { readonly label: StageLabel; readonly slice: TimeSlice } | undefined {
    for (let k = 0; k < this.holding.length; k++) {
      const slice = this.holding[k];
      if (slice !== undefined) return { label: this.labels[k]!, slice };
    }
    return undefined;
  }

  /** The error for a stage that took a slice and never passed it on, with nothing else pending. */
  stalled(): LifecycleError | undefined {
    const held = this.holder();
    if (held === undefined) return undefined;
    return this.violation(held.label, held.slice, `took the slice of ${at(held.slice)} and never passed it on, and nothing else is pending: a stage that drops slices (filter, take, …) stops the clock`);
  }

  private violation(label: StageLabel, slice: TimeSlice, what: string): LifecycleError {
    const phase = this.phase();
    const error = new LifecycleError(`${this.date} phase ${phase.label}: stage ${label.position} (${label.name}) ${what}; every stage must pass each slice on exactly once, unchanged in identity`, { phase: phase.name, date: this.date });
    this.passing.add(error);
    return error;
  }

  /**
   * An error that started in this stage (not one passing through from upstream) becomes a
   * LifecycleError naming the stage, the phase, the date, the slice and — when the error
   * says (a strategy's onBar, a per-symbol indicator) — the symbol. The original is its cause.
   */
  private attribute(error: unknown, label: StageLabel, slice: TimeSlice | undefined): unknown {
    if (typeof error === 'object' && error !== null && this.passing.has(error)) return error;
    const phase = this.phase();
    const symbol = symbolOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new LifecycleError(`${this.date} phase ${phase.label}: stage ${label.position} (${label.name}) failed${slice ? ` at ${at(slice)}` : ''}${symbol && !message.includes(symbol) ? ` for ${symbol}` : ''}: ${message}`, { phase: phase.name, date: this.date, ...(symbol ? { symbol } : {}) }, { cause: error });
    this.passing.add(wrapped);
    return wrapped;
  }
}

/** A slice for messages: its kind and instant (UTC). */
function at(slice: TimeSlice): string {
  const time = new Date(slice.time).toISOString().replace('.000Z', 'Z');
  return slice.kind === 'tick' ? time : `${slice.kind} ${time}`;
}

/** The symbol an error says it is about (SessionflowError context, or a `symbol` field). */
function symbolOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const direct = (error as { symbol?: unknown }).symbol;
  if (typeof direct === 'string') return direct;
  const context = (error as { context?: { symbol?: unknown } }).context;
  return typeof context?.symbol === 'string' ? context.symbol : undefined;
}
