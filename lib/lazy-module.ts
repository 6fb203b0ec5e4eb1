import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A dependency loaded on first use instead of at import: for libraries that are heavy to load
 * and needed only by some paths (arquero for result tables, the Parquet libraries for files,
 * moment-timezone's zone table for time conversions), so `import('sessionflow')` and
 * `sessionflow --help` do not pay for them. Node >= 20.19 (the package's engine) loads an ES
 * module synchronously through `require`, and returns the same instance `import` gets.
 *
 * @example
 * ```ts
 * const arquero = lazyModule<typeof import('arquero')>('arquero');
 * arquero().table({ x: [1, 2] });
 * ```
 */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
