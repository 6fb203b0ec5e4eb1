import { Observable, Subscriber } from 'rxjs';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

/** What a stage does with each slice: pass it on (now or later) through `subscriber`. */
export type SliceHandler = (slice: TimeSlice, subscriber: Subscriber<TimeSlice>) => void;

/** A stage with its own end of stream: `complete` replaces the default (complete at once). */
export interface SliceStage {
  readonly next: SliceHandler;
  /** The source completed; complete `subscriber` now or when pending work is done. */
  readonly complete?: (subscriber: Subscriber<TimeSlice>) => void;
}

/**
 * The one subscriber shape of the session operators (DESIGN §6, written like RxJS 7's own
 * operators): `create` runs once per subscription, so one subscription is one session and
 * all state made in it is per day; its handler gets every slice, and whatever it throws
 * travels on the error channel (never logged and dropped). Errors pass through; completion
 * passes through unless the stage says otherwise (an async stage finishing its work).
 *
 * @example
 * ```ts
 * const countTicks = (): SlicePipeline =>
 *   sliceOperator(() => {
 *     let ticks = 0; // per session
 *     return (slice, subscriber) => {
 *       if (slice.kind === 'tick') ticks++;
 *       subscriber.next(slice);
 *     };
 *   });
 * ```
 */
export function sliceOperator(create: () => SliceHandler | SliceStage): SlicePipeline {
  return (source) =>
    new Observable<TimeSlice>((subscriber) => {
      const made = create();
      // A Subscriber subclass, not an observer object that RxJS would wrap twice (SafeSubscriber,
      // ConsumerObserver): a hop per stage and tick, which a sweep pays twice per parameter set.
      return source.subscribe(new SliceSubscriber(subscriber, typeof made === 'function' ? { next: made } : made));
    });
}

/** The hop into a stage's handler (see sliceOperator). */
class SliceSubscriber extends Subscriber<TimeSlice> {
  private readonly out: Subscriber<TimeSlice>;
  private readonly stage: SliceStage;

  constructor(out: Subscriber<TimeSlice>, stage: SliceStage) {
    super(out);
    this.out = out;
    this.stage = stage;
  }

  /**
   * RxJS's `next` with its `_next` folded in: one call less per stage and tick (a sweep has two
   * stages per parameter set). A stopped subscriber ignores the slice as RxJS's does.
   */
  override next(slice: TimeSlice): void {
    if (this.isStopped) {
      super.next(slice);
      return;
    }
    try {
      // Called as a method: a stage may be a class instance (a defineStrategy strategy's hooks).
      this.stage.next(slice, this.out);
    } catch (error) {
      this.out.error(error);
    }
  }

  protected override _next(slice: TimeSlice): void {
    this.next(slice);
  }

  protected override _error(error: unknown): void {
    try {
      this.out.error(error);
    } finally {
      this.unsubscribe();
    }
  }

  protected override _complete(): void {
    try {
      if (this.stage.complete === undefined) this.out.complete();
      else this.stage.complete(this.out);
    } finally {
      this.unsubscribe();
    }
  }
}
