/**
 * Body of a Parquet decode thread: answers load requests with a {@link ParquetBarReader} per
 * store, so the main thread only assembles SessionData while files are read, decompressed and
 * validated here, overlapping with the replay of earlier sessions. Decoded columns are
 * transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { ParquetBarReader } from './bar-reader.ts';
import { storeOf, toWireError, transferList, type DecodeReply, type DecodeRequest } from './decode-thread-protocol.ts';

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
    const outcomes = await readerFor(request).loadMany(request.symbol, request.interval, request.windows);
    transfer = transferList(outcomes);
    reply = { id: request.id, outcomes: outcomes.map((o) => (o.ok ? o : { ok: false as const, error: toWireError(o.error) })) };
  } catch (error) {
    reply = { id: request.id, failure: toWireError(error) };
  }
  parentPort!.postMessage(reply, transfer);
}

parentPort!.on('message', (request: DecodeRequest) => {
  void answer(request);
});
parentPort!.postMessage({ ready: true });
