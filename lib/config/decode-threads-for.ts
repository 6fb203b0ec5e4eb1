import type { SessionConfig } from './schema.ts';

/**
 * Configured symbols from which `store.decodeThreads: "auto"` decodes on two worker threads.
 * Measured on this 2-core machine (same-run pairs, `bench:scale`, `bench:trading` and
 * `npm run bench`): threads start in ~0.3 s and each day's hand-over costs ~0.4 ms of
 * waiting, which a handful of symbols never earns back (1 symbol × 250 sessions trading:
 * 0.41 s with threads, 0.20 s without; 100 × 20: the same steady state, 0.33 s more to
 * start), while the footers and read-ahead of hundreds of yearly files decode in parallel
 * (500 × 250: 28.9 s of days with threads against 34.7 s without; 200 × 20: 2.2 s against
 * 2.7 s to the first day).
 */
export const AUTO_DECODE_THREAD_SYMBOLS = 150;

/**
 * The number of decode threads a run opens: `store.decodeThreads` when it is a number,
 * else (`"auto"`, the default) 2 for a run of at least {@link AUTO_DECODE_THREAD_SYMBOLS}
 * configured symbols and 0 (decode on the main thread) below.
 *
 * @example
 * ```ts
 * openBarLoader(plan.store, plan.reader, decodeThreadsFor(config));
 * ```
 */
export function decodeThreadsFor(config: Pick<SessionConfig, 'store' | 'symbols'>): number {
  const threads = config.store.decodeThreads;
  if (threads !== 'auto') return threads;
  return config.symbols.length >= AUTO_DECODE_THREAD_SYMBOLS ? 2 : 0;
}
