import { Observable, Subject, Subscriber, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { LifecycleError } from '../errors.ts';
import type { RunControl } from './run-control.ts';
import { anchorShape } from '../shape-anchor.ts';

/** What the driver needs to know of a slice: the instant it stands for. */
export interface TimedEvent {
  readonly time: number;
}

/** What the tick driver needs for one session. */
export interface DriveOptions<S extends TimedEvent> {
  /**
   * The session's tick instants, read again before every tick: the owner may extend the
   * pending part (a symbol that joined mid-session brings bar ends of its own).
   */
  readonly ticks: () => ArrayLike<number>;
  /** Simulated time at which the clock starts (the open). */
  readonly start: number;
  /** 0 = data-driven (no waiting); > 0 = simulated seconds per real second. */
  readonly speed: number;
  readonly scheduler: SchedulerLike;
  readonly control: RunControl;
  readonly pipeline: OperatorFunction<S, S>;
  /** Build the slice for tick `time` (drains the queues). Called only when the previous slice is fully processed. */
  readonly makeSlice: (time: number, index: number) => S;
  /**
   * Asked whenever the pipeline is idle, before the next tick: a slice to process now,
   * without pacing and without using up a tick (Phase 2's warm-up and pre-session slices, a
   * joining symbol's replay), or undefined to go on with the ticks.
   */
  readonly inject?: () => S | undefined;
  /** Label for errors. */
  readonly date: string;
  /**
   * Asked when a slice is still inside the pipeline and the process has nothing else left to
   * do (Node's `beforeExit`): the error naming the stage that holds it. Without this a stage
   * that drops a slice leaves the run waiting forever with no message.
   */
  readonly stalled?: () => Error | undefined;
  /**
   * Real milliseconds a slice may stay inside the pipeline while `busy()` is false before
   * `stalled()` is raised anyway (other timers can keep the process from ever running dry);
   * 0 or absent = only when the process runs dry.
   */
  readonly stallTimeoutMs?: number;
  /** Whether work the pipeline may be waiting for is under way (bar loads). */
  readonly busy?: () => boolean;
}

/**
 * Drive a session's ticks through its pipeline with back-pressure: the slice for tick
 * T+1 is built (queues drained) only after the pipeline has emitted the slice for T, so a
 * stage that returns async work holds the clock and can never see a later bar. Emits each
 * processed slice; completes after the close tick.
 *
 * Synchronous pipelines run in a plain loop (no recursion, no scheduling) so a data-driven
 * session costs one pass over its ticks. In clock-driven mode each tick is scheduled on
 * `scheduler` at `anchor + (T - anchorSim) / speed`; when processing or a pause made the
 * clock late, the anchor is moved instead of catching up.
 *
 * @example
 * ```ts
 * driveTicks({ ticks: () => ticks, start: s.open, speed: 0, scheduler: asyncScheduler, control, pipeline, makeSlice, date: s.date }).subscribe();
 * ```
 */
export function driveTicks<S extends TimedEvent>(options: DriveOptions<S>): Observable<S> {
  return new Observable<S>((subscriber) => {
    const { speed, scheduler, control, makeSlice, inject } = options;
    const input = new Subject<S>();
    let next = 0;
    let inFlight: S | undefined;
    let pumping = false;
    let finished = false;
    let timer: Subscription | undefined;
    let cancelResumeWait: (() => void) | undefined;
    let anchorReal = scheduler.now();
    let anchorSim = options.start;
    let lastSim = options.start;
    let dueReached = -1;
    // Armed while a slice is inside the pipeline after the pump returned: async work, or a drop.
    let idleArmed = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const stall = (): void => {
      disarm();
      if (inFlight === undefined || subscriber.closed) return;
      const held = inFlight;
      subscriber.error(options.stalled?.() ?? new LifecycleError(`${options.date}: the session pipeline never passed on the slice of ${new Date(held.time).toISOString()} and nothing else is pending; every stage must pass each slice on exactly once`, { phase: 'active', date: options.date }));
    };
    const onIdle = (): void => {
      idleArmed = false;
      stall();
    };
    // Real time on purpose (not the scheduler): it measures a stage that never answers.
    const stallMs = options.stallTimeoutMs ?? 0;
    const watch = (held: S): void => {
      watchdog = setTimeout(() => {
        watchdog = undefined;
        if (inFlight !== held) return;
        if (options.busy?.()) watch(held);
        else stall();
      }, stallMs);
      watchdog.unref();
    };
    const arm = (): void => {
      if (idleArmed) return;
      idleArmed = true;
      process.once('beforeExit', onIdle);
      if (stallMs > 0) watch(inFlight!);
    };
    const disarm = (): void => {
      if (watchdog !== undefined) clearTimeout(watchdog);
      watchdog = undefined;
      if (!idleArmed) return;
      idleArmed = false;
      process.off('beforeExit', onIdle);
    };

    const pump = (): void => {
      if (pumping || finished || subscriber.closed) return;
      pumping = true;
      try {
        while (inFlight === undefined && !subscriber.closed) {
          const extra = inject?.();
          if (extra !== undefined) {
            inFlight = extra;
            input.next(extra);
            continue;
          }
          // The owner may have been stopped from inside inject (a phase event's consumer unsubscribed).
          if (subscriber.closed) return;
          const ticks = options.ticks();
          if (next >= ticks.length) {
            finished = true;
            input.complete();
            return;
          }
          if (control.paused) {
            cancelResumeWait ??= control.onResume(() => {
              cancelResumeWait = undefined;
              // Paused time is not caught up: restart pacing from now.
              anchorReal = scheduler.now();
              anchorSim = lastSim;
              pump();
            });
            return;
          }
          const time = ticks[next]!;
          if (speed > 0 && dueReached !== next) {
            let due = anchorReal + (time - anchorSim) / speed;
            const now = scheduler.now();
            if (due < now - 1) {
              // Late because a stage held the clock: move the anchor rather than rush.
              anchorReal = now - (lastSim - anchorSim) / speed;
              due = anchorReal + (time - anchorSim) / speed;
            }
            if (due > now) {
              const index = next;
              timer = scheduler.schedule(() => {
                timer = undefined;
                dueReached = index;
                pump();
              }, due - now);
              return;
            }
          }
          const index = next++;
          lastSim = time;
          const slice = makeSlice(time, index);
          inFlight = slice;
          input.next(slice);
        }
      } catch (error) {
        subscriber.error(error);
      } finally {
        pumping = false;
        // A slice still inside the pipeline: a stage is at work asynchronously, or dropped it.
        // Only the process running dry tells the two apart.
        if (inFlight !== undefined && !subscriber.closed) arm();
      }
    };

    const output = input.pipe(options.pipeline).subscribe({
      next: (slice) => {
        if (slice !== inFlight) {
          subscriber.error(new LifecycleError(`the session pipeline emitted a slice for ${new Date(slice.time).toISOString()} while ${inFlight ? new Date(inFlight.time).toISOString() : 'no tick'} was being processed; every stage must pass each slice on exactly once`, { phase: 'active', date: options.date }));
          return;
        }
        inFlight = undefined;
        disarm();
        subscriber.next(slice);
        pump();
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        if (!finished || inFlight) {
          subscriber.error(new LifecycleError(`the session pipeline completed before the close (tick ${next} of ${options.ticks().length})`, { phase: 'active', date: options.date }));
          return;
        }
        subscriber.complete();
      },
    });
    // Register the teardown BEFORE the first pump: a data-driven session runs synchronously
    // inside subscribe(), so a teardown returned afterwards would only be attached once the
    // whole day had run, and an unsubscribe from inside a stage could not stop the pipeline
    // (later stages kept receiving slices of a torn-down day). (spec/session/session-lifecycle.spec.ts)
    subscriber.add(() => {
      finished = true;
      disarm();
      timer?.unsubscribe();
      cancelResumeWait?.();
      output.unsubscribe();
    });
    pump();
  });
}

// A Subject feeding an operator-style Observable, subscribed with an observer object, as every
// session pipeline is: keeps the optimized code for RxJS's subscribers valid between runs
// (see shape-anchor.ts).
const anchorInput = new Subject<unknown>();
const anchorSink = new Subscriber<unknown>({ next: () => undefined, error: () => undefined, complete: () => undefined });
new Observable<unknown>((subscriber) => anchorInput.subscribe({ next: (v) => subscriber.next(v), error: (e: unknown) => subscriber.error(e), complete: () => subscriber.complete() })).subscribe(anchorSink);
anchorInput.next(0);
anchorShape(anchorInput, anchorSink);
