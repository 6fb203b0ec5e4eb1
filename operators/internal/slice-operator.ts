import { Observable, type Subscriber } from 'rxjs';
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
      const next = typeof made === 'function' ? made : made.next;
      const complete = typeof made === 'function' ? undefined : made.complete;
      return source.subscribe({
        next: (slice) => {
          try {
            next(slice, subscriber);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (complete === undefined) subscriber.complete();
          else complete(subscriber);
        },
      });
    });
}
