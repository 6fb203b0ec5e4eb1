import { createRequire } from 'node:module';
import type * as ParquetWasm from 'parquet-wasm';
import type * as Hyparquet from 'hyparquet';
import type * as HyparquetCompressors from 'hyparquet-compressors';

const load = createRequire(import.meta.url);
let wasm: typeof ParquetWasm | undefined;
let hyparquet: typeof Hyparquet | undefined;
let compressors: (typeof HyparquetCompressors)['compressors'] | undefined;

/**
 * The Parquet libraries, loaded on first use: together about a tenth of a cold
 * `import('sessionflow')`, and a process that never reads or writes a file (the CLI's help, a
 * user composing operators) should not pay for them. Node >= 20.19 (the package's engine)
 * loads ES modules synchronously through `require`, as the same instances `import` gets.
 *
 * @example
 * ```ts
 * lazyParquet.wasm().readParquet(bytes);
 * ```
 */
export const lazyParquet = {
  wasm: (): typeof ParquetWasm => (wasm ??= load('parquet-wasm') as typeof ParquetWasm),
  hyparquet: (): typeof Hyparquet => (hyparquet ??= load('hyparquet') as typeof Hyparquet),
  compressors: (): (typeof HyparquetCompressors)['compressors'] => (compressors ??= (load('hyparquet-compressors') as typeof HyparquetCompressors).compressors),
};
