import type * as Flechette from '@uwdata/flechette';
import type * as Hyparquet from 'hyparquet';
import type * as HyparquetCompressors from 'hyparquet-compressors';
import type * as ParquetWasm from 'parquet-wasm';
import { lazyModule } from '../lazy-module.ts';

const compressorsModule = lazyModule<typeof HyparquetCompressors>('hyparquet-compressors');

/**
 * The Parquet and Arrow libraries, loaded on first use (see lazyModule): a process that never reads or
 * writes a file (the CLI's help, a user composing operators) does not load them.
 *
 * @example
 * ```ts
 * lazyParquet.wasm().readParquet(bytes);
 * ```
 */
export const lazyParquet = {
  wasm: lazyModule<typeof ParquetWasm>('parquet-wasm'),
  /** Arrow tables (IPC between parquet-wasm and the columns). */
  arrow: lazyModule<typeof Flechette>('@uwdata/flechette'),
  hyparquet: lazyModule<typeof Hyparquet>('hyparquet'),
  compressors: (): (typeof HyparquetCompressors)['compressors'] => compressorsModule().compressors,
};
