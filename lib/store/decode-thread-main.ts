/**
 * Body of a Parquet decode thread: answers load and availability requests with a
 * {@link ParquetBarReader} per store, so files are read, decompressed and validated here while
 * the main thread validates the plan and assembles days. Decoded columns are transferred, not
 * copied. While the main thread holds the threads (a data-driven replay) only the requests it
 * waits for are answered.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ParquetBarReader } from './bar-reader.ts';
import { HOLDS, storeOf, toWireError, transferList, type DecodeReply, type DecodeRequest, type DecodeThreadData } from './decode-thread-protocol.ts';

/** Readers kept per store; a few, since runs in one process rarely use more stores. */
const MAX_READERS = 4;
const readers = new Map<string, ParquetBarReader>();

function readerFor(request: DecodeRequest): ParquetBarReader {
  let reader = readers.get(request.store);
  if (reader) {
    readers.delete(request.store);
  } else {
    reader = new ParquetBarReader(storeOf(request));
    if (readers.size >= MAX_READERS) {
      const [oldestKey, oldest] = readers.entries().next().value!;
      oldest.clearCache();
      readers.delete(oldestKey);
    }
  }
  readers.set(request.store, reader);
  return reader;
}

async function answer(request: DecodeRequest): Promise<void> {
  let reply: DecodeReply;
  let transfer: ArrayBuffer[] = [];
  try {
    if (request.kind === 'memory') {
      // Workers inherit --expose-gc from the process: measure what is live, not garbage.
      (globalThis as { gc?: () => void }).gc?.();
      const heap = getHeapStatistics();
      reply = { id: request.id, memory: { heapUsed: heap.used_heap_size, external: heap.external_memory } };
    } else if (request.kind === 'exists') {
      // Footers parsed here stay cached in this thread, which later decodes the same symbol.
      const windows = request.windows.map((w) => ({ date: w.date ?? '', from: w.from, to: w.to }));
      reply = { id: request.id, availability: await readerFor(request).existsMany(request.symbol, request.interval, windows) };
    } else {
      const outcomes = await readerFor(request).loadMany(request.symbol, request.interval, request.windows);
      transfer = transferList(outcomes);
      reply = { id: request.id, outcomes: outcomes.map((o) => (o.ok ? o : { ok: false as const, error: toWireError(o.error) })) };
    }
  } catch (error) {
    reply = { id: request.id, failure: toWireError(error) };
  }
  parentPort!.postMessage(reply, transfer);
}

const gate = (workerData as DecodeThreadData | undefined)?.gate ?? new Int32Array(new SharedArrayBuffer(4));
const queue: DecodeRequest[] = [];
let draining = false;
/** Resolves the current wait for the gate early (an urgent request arrived). */
let wake: (() => void) | undefined;

/**
 * Requests are answered in arrival order, one at a time, except that while the main thread
 * holds the threads only urgent requests (ones it is waiting for) are answered; the rest wait
 * until the hold is released.
 */
async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    while (queue.length > 0) {
      let at = queue.findIndex((r) => r.urgent === true);
      if (at < 0) {
        const holds = Atomics.load(gate, HOLDS);
        if (holds > 0) {
          const woken = new Promise<void>((resolve) => (wake = resolve));
          // The timeout only bounds how long a lost notify could stall read-ahead.
          await Promise.race([Atomics.waitAsync(gate, HOLDS, holds, 1000).value, woken]);
          wake = undefined;
          continue;
        }
        at = 0;
      }
      await answer(queue.splice(at, 1)[0]!);
    }
  } finally {
    draining = false;
  }
}

parentPort!.on('message', (request: DecodeRequest) => {
  queue.push(request);
  if (request.urgent) wake?.();
  void drain();
});
parentPort!.postMessage({ ready: true });
