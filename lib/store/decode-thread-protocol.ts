import { ConfigError, DataError } from '../errors.ts';
import { isReadBlock, type LoadOutcome } from './bar-reader.ts';
import type { Availability, LoadedBars, StoreConfig } from './types.ts';

/** A load request sent to a decode thread. */
export interface DecodeRequest {
  readonly id: number;
  /** The store as JSON: the thread keeps one reader (and its parsed footers) per store. */
  readonly store: string;
  readonly symbol: string;
  readonly interval: string;
  readonly windows: ReadonlyArray<{ from: number; to: number; date?: string }>;
  /** Answer even while the main thread holds the threads (it is waiting for this one). */
  readonly urgent?: boolean;
  /**
   * `'exists'`: report availability of the windows (footer statistics only) instead of loading
   * them; `'memory'`: report the thread's own heap (after a GC when `--expose-gc` is on).
   */
  readonly kind?: 'exists' | 'memory';
}

/**
 * `workerData` of a decode thread: `gate[HOLDS]` counts the main thread's holds. While it is
 * above zero the thread starts no new read-ahead work, so a CPU-bound replay keeps both cores
 * (V8 runs its garbage collection and compilation helpers on the second one).
 */
export interface DecodeThreadData {
  readonly gate: Int32Array;
}

/** Index of the hold count in {@link DecodeThreadData.gate}. */
export const HOLDS = 0;

/** An error as it crosses the thread boundary (structured clone drops the class). */
export interface WireError {
  readonly kind: 'data' | 'config' | 'other';
  readonly message: string;
  readonly stack?: string;
  readonly where?: { file?: string; symbol?: string; date?: string; column?: string };
}

/** A decode thread's answer. */
export type DecodeReply =
  | { readonly id: number; readonly outcomes: ReadonlyArray<{ ok: true; loaded: LoadedBars } | { ok: false; error: WireError }> }
  | { readonly id: number; readonly availability: readonly Availability[] }
  | { readonly id: number; readonly memory: ThreadMemory }
  | { readonly id: number; readonly failure: WireError };

/** A decode thread's memory: its V8 heap in use and the external (ArrayBuffer) memory it holds, in bytes. */
export interface ThreadMemory {
  readonly heapUsed: number;
  readonly external: number;
}

/** The store config a request carries. */
export function storeOf(request: DecodeRequest): StoreConfig {
  return JSON.parse(request.store) as StoreConfig;
}

/** An error as plain data, keeping what DataError and ConfigError tell the user. */
export function toWireError(error: unknown): WireError {
  if (error instanceof DataError) {
    const where: { file?: string; symbol?: string; date?: string; column?: string } = {};
    if (error.file !== undefined) where.file = error.file;
    if (error.symbol !== undefined) where.symbol = error.symbol;
    if (error.date !== undefined) where.date = error.date;
    if (error.column !== undefined) where.column = error.column;
    return { kind: 'data', message: error.message, where, ...(error.stack ? { stack: error.stack } : {}) };
  }
  if (error instanceof ConfigError) return { kind: 'config', message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/** The typed error again on the main thread (the thread's stack is kept as the cause). */
export function fromWireError(wire: WireError): Error {
  const cause = wire.stack ? Object.assign(new Error(wire.message), { stack: wire.stack }) : undefined;
  if (wire.kind === 'data') return new DataError(wire.message, wire.where ?? {}, cause ? { cause } : undefined);
  if (wire.kind === 'config') return new ConfigError(wire.message);
  return cause ?? new Error(wire.message);
}

/** Every buffer of the outcomes, once each, to move (not copy) them to the main thread. */
export function transferList(outcomes: readonly LoadOutcome[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: ArrayLike<number> | undefined): void => {
    // Only a view that owns its whole buffer, or a read's own block, moves; a view into any
    // other buffer is copied, so transferring never detaches memory the thread still uses.
    if (!ArrayBuffer.isView(a) || !(a.buffer instanceof ArrayBuffer)) return;
    if ((a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) || isReadBlock(a.buffer)) buffers.add(a.buffer);
  };
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    const b = outcome.loaded.bars;
    add(b.start);
    add(b.open);
    add(b.high);
    add(b.low);
    add(b.close);
    add(b.volume);
    for (const column of Object.values(b.extra ?? {})) add(column);
  }
  return [...buffers];
}
