/**
 * Objects kept alive for the life of the process, one per hot engine class.
 *
 * Why: V8's optimized code refers to the hidden classes ("maps") of the objects it was
 * optimized for only weakly. Between two runs in one process (a parameter sweep, the
 * benchmark), every instance of BarSeries, SymbolData, the queues, the operators' window
 * state and RxJS's subscribers can die; the next full GC then drops their maps and throws
 * away all the optimized code that used them ("deopt: weak objects"), so each run
 * re-optimized the replay from scratch: Σ Phase 3 of a 20-day run measured 160–175 ms
 * after a GC between runs against 105–120 ms without. One live instance of each class
 * keeps its map, and that code, valid.
 *
 * @example
 * ```ts
 * anchorShape(new BarSeries('', '', 0, 1));
 * ```
 */
export function anchorShape(...objects: object[]): void {
  for (const object of objects) anchored.push(object);
}

const anchored: object[] = [];
