import { ConfigError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/** Options of the swing indicators: bars compared on each side of a candidate pivot. */
export interface SwingOptions {
  /** Bars before the pivot that must all be strictly lower (swing high) / higher (swing low). */
  readonly left: number;
  /** Bars after the pivot that must not exceed it; also the confirmation delay in bars. */
  readonly right: number;
}

/**
 * The arithmetic shared by {@link SwingHigh} and {@link SwingLow}, over one number per bar (the
 * high, or the low). The input `right` bars ago is a pivot when it is strictly beyond every
 * one of the `left` inputs before it and at least as extreme as every one of the `right`
 * inputs after it (so a flat top of equal values yields one pivot, at its first bar).
 *
 * The value is the level of the most recently CONFIRMED pivot, `NaN` while none has been
 * found. A pivot can only be confirmed `right` inputs after it happened: at input `t` the
 * newest possible pivot is input `t − right`. The first check needs `left + right + 1`
 * inputs: `warmup = left + right + 1`. Two monotonic deques (the `left` window, delayed by
 * `right + 1`, and the `right` window): O(1) amortised per input.
 *
 * @example
 * ```ts
 * const highs = new SwingDetector({ left: 1, right: 1 }, 'max');
 * [1, 3, 2, 2].map((x) => highs.update(x)); // [undefined, undefined, 3, 3]
 * ```
 */
export class SwingDetector extends StreamingIndicator<number, number> {
  readonly left: number;
  readonly right: number;
  readonly keep: 'max' | 'min';
  private readonly isMax: boolean;
  private readonly recent: RingBuffer;
  private readonly before: MonotonicDeque;
  private readonly after: MonotonicDeque;
  private inputs = 0;

  /** `name` prefixes the parameter in error messages (e.g. `'SwingHigh'`). */
  constructor(options: SwingOptions, keep: 'max' | 'min', name = 'SwingDetector') {
    super();
    const { left, right } = options ?? ({} as SwingOptions);
    if (!Number.isInteger(left) || left < 1) throw ConfigError.at(`${name}.left`, left, 'a whole number >= 1');
    if (!Number.isInteger(right) || right < 1) throw ConfigError.at(`${name}.right`, right, 'a whole number >= 1');
    this.left = left;
    this.right = right;
    this.keep = keep;
    this.isMax = keep === 'max';
    this.recent = new RingBuffer(left + right + 1);
    this.before = new MonotonicDeque(left, keep);
    this.after = new MonotonicDeque(right, keep);
  }

  get warmup(): number {
    return this.left + this.right + 1;
  }

  update(input: number): number | undefined {
    const recent = this.recent;
    recent.push(input);
    this.inputs++;
    const afterExtreme = this.after.push(input);
    // The input just before the candidate (right + 1 back) enters the left-hand window.
    if (this.inputs >= this.right + 2) this.before.push(recent.at(recent.length - this.right - 2));
    if (!recent.full) return undefined;
    const candidate = recent.at(this.left);
    const beforeExtreme = this.before.extreme;
    const isPivot = this.isMax ? candidate > beforeExtreme && candidate >= afterExtreme : candidate < beforeExtreme && candidate <= afterExtreme;
    if (isPivot) this.current = candidate;
    else if (this.current === undefined) this.current = Number.NaN;
    return this.current;
  }

  reset(): void {
    this.recent.clear();
    this.before.clear();
    this.after.clear();
    this.inputs = 0;
    this.current = undefined;
  }
}
