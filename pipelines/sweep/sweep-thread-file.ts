import { packageFile, RUNNING_COMPILED } from '../../lib/package-files.ts';

/**
 * The file a sweep worker thread starts (piscina's `filename`): compiled, the bundled
 * sweep-thread-main.js; from the sources under tsx, sweep-thread.js, which registers tsx first
 * (a worker gets no module hooks from its parent on Node 20).
 *
 * @example
 * ```ts
 * new Piscina({ filename: sweepThreadFile() });
 * ```
 */
export function sweepThreadFile(): string {
  return (RUNNING_COMPILED ? packageFile('pipelines/sweep/sweep-thread-main.ts') : new URL('./sweep-thread.js', import.meta.url)).href;
}
