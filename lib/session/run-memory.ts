import { anchorShape } from '../shape-anchor.ts';

/** At most this much torn-down memory is kept for later days of the run. */
const MAX_SPARE_BYTES = 256 * 1024 * 1024;

/**
 * The memory a run recycles from day to day (DESIGN §7: recycling belongs to the run, not
 * to module globals). A day's column storage, its drain-order run of bars and the buffers
 * behind its tick views are taken from here in Phase 2 and given back when the day is torn
 * down, so the next day writes into memory that is already mapped: fresh memory cost a page
 * fault per 4 KiB (~20 ms per 20-day run of 100 symbols here) and external-memory GCs. The
 * run creates one in `createBacktest` and releases it at `dispose()` (or on failure or
 * interrupt); a SessionData made without one gets a memory of its own.
 *
 * A buffer handed back is detached first (`structuredClone(buffer, { transfer })`, O(1): the
 * same memory moves to a new ArrayBuffer): every view of the torn-down day (a column array
 * fetched before teardown, a tick view's values) then has length 0 instead of silently
 * showing a later day's values.
 *
 * @example
 * ```ts
 * const memory = new RunMemory();
 * const day1 = new SessionData(session1, intervals, memory);
 * // … day 1 runs …
 * day1.clear(); // its buffers go back to `memory`, detached
 * const day2 = new SessionData(session2, intervals, memory); // writes into day 1's memory
 * memory.release(); // at the end of the run
 * ```
 */
export class RunMemory {
  private readonly spare: ArrayBuffer[] = [];
  private spareBytes = 0;
  private releasedFlag = false;

  /** Whether {@link release} ran: nothing is pooled any more (buffers given back are only detached). */
  get released(): boolean {
    return this.releasedFlag;
  }

  /** Bytes held for later days. */
  get pooledBytes(): number {
    return this.spareBytes;
  }

  /**
   * A buffer of a torn-down day whose size is in `[min, max]`, holding that day's bytes, or
   * undefined when none fits (the caller allocates a fresh one).
   */
  takeSpare(min: number, max: number = min): ArrayBuffer | undefined {
    const spare = this.spare;
    for (let i = spare.length - 1; i >= 0; i--) {
      const buffer = spare[i]!;
      if (buffer.byteLength < min || buffer.byteLength > max) continue;
      spare[i] = spare[spare.length - 1]!;
      spare.pop();
      this.spareBytes -= buffer.byteLength;
      return buffer;
    }
    return undefined;
  }

  /**
   * Give a torn-down day's buffers back: each is detached (its views become empty) and its
   * memory kept for a later day, unless the run was released or the pool is full.
   */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength === 0) continue;
      const moved = detach(buffer);
      if (this.releasedFlag || this.spareBytes + moved.byteLength > MAX_SPARE_BYTES) continue;
      this.spare.push(moved);
      this.spareBytes += moved.byteLength;
    }
  }

  /** The run is over: drop every pooled buffer (idempotent). */
  release(): void {
    this.releasedFlag = true;
    this.spare.length = 0;
    this.spareBytes = 0;
  }
}

/**
 * The same memory under a new ArrayBuffer; `buffer` and every view of it become length 0.
 * Transferring moves the backing store instead of copying it (~1–8 µs whatever the size,
 * against ~1 ms to copy 1 MiB).
 */
function detach(buffer: ArrayBuffer): ArrayBuffer {
  return structuredClone(buffer, { transfer: [buffer] });
}

/**
 * A zeroed buffer whose pages are already mapped. Chunks are taken in Phase 2 but most of
 * their columns are first written in Phase 3, where each untouched 4 KiB page stopped the
 * drain for a page fault (~2 µs here, ~3,000 per 20-day run); one write per page now
 * takes those faults in a tight loop while the day is being set up.
 *
 * @example
 * ```ts
 * const chunk = residentBuffer(1 << 20); // 1 MiB, every page mapped
 * ```
 */
export function residentBuffer(bytes: number): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes);
  const view = new Uint8Array(buffer);
  for (let i = 0; i < bytes; i += 4096) view[i] = 0;
  return buffer;
}

// Keeps the optimized code for the pool valid between runs (see shape-anchor.ts).
anchorShape(new RunMemory());
