import { StreamingIndicator } from './streaming-indicator.ts';
import { SwingDetector, type SwingOptions } from './swing-detector.ts';
import type { BarInput } from './types.ts';

/**
 * What {@link SwingHigh} and {@link SwingLow} share: a {@link SwingDetector} over one bar field,
 * its `left`/`right`/`warmup`, and reset. Subclasses only pick the field and the direction.
 *
 * @example
 * ```ts
 * class SwingClose extends SwingLevel {
 *   constructor(o: SwingOptions) { super(o, 'max', 'SwingClose'); }
 *   protected field(bar: BarInput) { return bar.close; }
 * }
 * ```
 */
export abstract class SwingLevel extends StreamingIndicator<BarInput, number> {
  private readonly detector: SwingDetector;

  protected constructor(options: SwingOptions, keep: 'max' | 'min', name: string) {
    super();
    this.detector = new SwingDetector(options, keep, name);
  }

  /** The bar field the swings are found in. */
  protected abstract field(bar: BarInput): number;

  get left(): number {
    return this.detector.left;
  }

  get right(): number {
    return this.detector.right;
  }

  get warmup(): number {
    return this.detector.warmup;
  }

  update(bar: BarInput): number | undefined {
    this.current = this.detector.update(this.field(bar));
    return this.current;
  }

  reset(): void {
    this.detector.reset();
    this.current = undefined;
  }
}
