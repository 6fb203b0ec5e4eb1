/**
 * Page compressions the Parquet writer offers. A module of its own so the command line can
 * list them in `--help` without loading the writer (parquet-wasm).
 */
export const PARQUET_COMPRESSIONS = ['snappy', 'zstd', 'uncompressed'] as const;
export type ParquetCompression = (typeof PARQUET_COMPRESSIONS)[number];
