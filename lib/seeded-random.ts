/**
 * A small seeded pseudo-random generator (mulberry32), with a Box–Muller normal: the same
 * seed gives the same sequence on every machine, which demo data, sweeps drawn at random and
 * benchmarks rely on. Not for anything that must be unpredictable.
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * random.next(); // uniform in [0, 1)
 * random.normal(); // standard normal
 * ```
 */
export class SeededRandom {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (pairs from one Box–Muller step). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
