import { Observable, Subscriber } from 'rxjs';
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
 * const contract = new StageContract(date);
 * const pipeline = contract.compose(stages.map((stage, i) => ({ stage, label: { position: i + 1, name: names[i] } })));
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

  /**
   * The stages composed in order, each stage that is not trusted (see
   * `SessionComponent.trustedStage`) between two checkpoints: the one before records what it
   * received, the one after checks what it passed on (and names its errors). Neighbouring
   * checked stages share a checkpoint. A checkpoint is one lean hop per slice (a Subscriber
   * subclass, not an observer object RxJS would wrap twice); sessionflow's own stages get
   * none, so a run of built-in stages pays nothing.
   */
  compose(stages: ReadonlyArray<{ readonly stage: SlicePipeline; readonly label: StageLabel; readonly trusted?: boolean }>): SlicePipeline {
    this.labels.length = 0;
    this.holding.length = 0;
    for (const { label } of stages) {
      this.labels.push(label);
      this.holding.push(undefined);
    }
    const checkpoint =
      (after: number, before: number): SlicePipeline =>
      (source) =>
        new Observable<TimeSlice>((subscriber) => source.subscribe(new Checkpoint(subscriber, this, after, before)));
    return (source) => {
      let piped = source;
      // Whether a checkpoint already sits right before stage i (after the previous checked one).
      let open = false;
      stages.forEach(({ stage, trusted }, i) => {
        if (trusted) {
          piped = stage(piped);
          open = false;
          return;
        }
        if (!open) piped = checkpoint(-1, i)(piped);
        const next = i + 1 < stages.length && !stages[i + 1]!.trusted ? i + 1 : -1;
        piped = checkpoint(i, next)(stage(piped));
        open = next !== -1;
      });
      return piped;
    };
  }

  /**
   * A checkpoint saw `slice`: it is what stage `after` passed on (-1: none is checked here) and
   * what stage `before` receives (-1: none). False (after erroring `out`) when a stage broke
   * the contract.
   */
  pass(after: number, before: number, slice: TimeSlice, out: Subscriber<TimeSlice>): boolean {
    if (after >= 0) {
      const label = this.labels[after]!;
      const held = this.holding[after];
      if (held === undefined) {
        out.error(this.violation(label, slice, `passed on the slice of ${at(slice)} a second time, or one it never received`));
        return false;
      }
      if (slice !== held) {
        out.error(this.violation(label, held, `passed on another object than the slice of ${at(held)} it received (a copy, or a new object for ${at(slice)}); pass the same TimeSlice on, and put what you add into its columns or signals`));
        return false;
      }
      this.holding[after] = undefined;
    }
    if (before >= 0) {
      // The same slice again: the stage subscribed to its input more than once (a tap beside
      // the pass-through), which is allowed.
      const held = this.holding[before];
      if (held !== undefined && held !== slice) {
        out.error(this.violation(this.labels[before]!, held, `received the slice of ${at(slice)} while still holding the slice of ${at(held)}: it dropped a slice (a filter?)`));
        return false;
      }
      this.holding[before] = slice;
    }
    return true;
  }

  /**
   * An error reaching a checkpoint: the checked stage `after`'s own (named), or one passing
   * through (from upstream of a checked stage, marked so the next checkpoint leaves it be).
   */
  failed(after: number, error: unknown): unknown {
    if (after < 0) {
      if (typeof error === 'object' && error !== null) this.passing.add(error);
      return error;
    }
    return this.attribute(error, this.labels[after]!, this.holding[after]);
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

/** The hop around a checked stage: checks the contract, forwards, names errors (see StageContract.compose). */
class Checkpoint extends Subscriber<TimeSlice> {
  private readonly contract: StageContract;
  private readonly after: number;
  private readonly before: number;

  constructor(destination: Subscriber<TimeSlice>, contract: StageContract, after: number, before: number) {
    super(destination);
    this.contract = contract;
    this.after = after;
    this.before = before;
  }

  protected override _next(slice: TimeSlice): void {
    if (this.contract.pass(this.after, this.before, slice, this.destination as Subscriber<TimeSlice>)) this.destination.next(slice);
  }

  protected override _error(error: unknown): void {
    try {
      // What reaches the checkpoint before a checked stage passes through it; after one, it is named.
      const named = this.contract.failed(this.after, error);
      if (this.before >= 0 && this.after >= 0 && typeof named === 'object' && named !== null) this.contract.failed(-1, named);
      this.destination.error(named);
    } finally {
      this.unsubscribe();
    }
  }
}
