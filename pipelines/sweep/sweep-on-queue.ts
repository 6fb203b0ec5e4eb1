import { createHash } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { InterruptedError, SessionflowError } from '../../lib/errors.ts';
import { connectRedis } from './connect-redis.ts';
import { decodeResult } from './result-json.ts';
import { resultKey } from './result-key.ts';
import type { ParameterBatch, ParameterSetResult } from './run-parameter-batch.ts';
import type { SharedFile } from './shared-files.ts';
import type { SweepTask } from './sweep-thread-main.ts';
import { SWEEP_QUEUE, SWEEPS_HASH } from './sweep-queue.ts';

/** A batch as a queue job: the sweep task, the Redis keys of its sets' results, and what the worker must see. */
export interface QueueTask extends SweepTask {
  readonly sweep: string;
  /** The result key of each set, in the order of `sets`. */
  readonly keys: readonly string[];
  readonly shared: readonly SharedFile[];
}

/** What a worker's job returns: results it stored, and those already stored (by an earlier attempt or sweep). */
export interface QueueJobResult {
  readonly stored: number;
  readonly skipped: number;
}

/** Options of {@link sweepOnQueue}. */
export interface SweepOnQueueOptions {
  readonly version: string;
  readonly imports: readonly string[];
  readonly shared: readonly SharedFile[];
  readonly logLevel?: SweepTask['logLevel'];
  readonly signal?: AbortSignal;
  readonly onBatch?: (rows: ParameterSetResult[]) => void;
  /** Attempts per batch (a worker killed mid-batch costs one). */
  readonly attempts?: number;
}

/** What a sweep on a queue did: its rows, and how many results workers stored for it (each exactly once). */
export interface QueueSweepOutcome {
  readonly results: ParameterSetResult[][];
  readonly stored: number;
  readonly reused: number;
}

/**
 * Run a sweep's batches on BullMQ (issue "Parameter sweeps", point 4): each batch becomes a
 * job on the `sessionflow-sweep` queue at `url`, run by `sessionflow worker` processes on
 * any machine that sees the store (and module files) at the same paths. Each result is
 * stored once, under a key derived from the package version, the config and the parameters
 * (SET NX: a batch retried after its worker was killed stores nothing twice), and read back
 * from there: sets already stored by an earlier run of the same sweep are not run again.
 * Resolves with every batch's rows; a batch that fails all its attempts rejects with its
 * reason. Aborting removes the sweep's waiting jobs.
 *
 * @example
 * ```ts
 * const { results } = await sweepOnQueue('redis://127.0.0.1:6379', batches, { version: '0.2.0', imports: [], shared });
 * ```
 */
export async function sweepOnQueue(url: string, batches: readonly ParameterBatch[], options: SweepOnQueueOptions): Promise<QueueSweepOutcome> {
  const connection = await connectRedis(url);
  const queue = new Queue<QueueTask, QueueJobResult>(SWEEP_QUEUE, { connection });
  const events = new QueueEvents(SWEEP_QUEUE, { connection: connection.duplicate() });
  const id = sweepId(options.version, batches);
  let stored = 0;
  let reused = 0;
  const jobIds: string[] = [];
  try {
    await events.waitUntilReady();
    // Workers starting now check that they see these paths before they take a batch.
    await connection.hset(SWEEPS_HASH, id, JSON.stringify({ shared: options.shared, started: new Date().toISOString() }));
    const interrupted = new Promise<never>((_, reject) => {
      const stop = (): void => reject(new InterruptedError('the sweep was interrupted', { phase: 'active' }));
      if (options.signal?.aborted) stop();
      options.signal?.addEventListener('abort', stop, { once: true });
    });
    const results = await Promise.race([
      interrupted,
      Promise.all(
        batches.map(async (batch, i) => {
          const keys = batch.sets.map((set) => resultKey(options.version, batch, set.parameters));
          const present = await connection.exists(...keys);
          if (present < keys.length) {
            const jobId = `${id}-${i}`;
            jobIds.push(jobId);
            const task: QueueTask = { ...batch, imports: options.imports, sweep: id, keys, shared: options.shared, ...(options.logLevel ? { logLevel: options.logLevel } : {}) };
            const job = await queue.add('batch', task, { jobId, attempts: options.attempts ?? 5, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } });
            let outcome: QueueJobResult;
            try {
              outcome = (await job.waitUntilFinished(events)) as QueueJobResult;
            } catch (error) {
              throw new SessionflowError(`batch ${i + 1} of ${batches.length} (job ${jobId}) failed on its workers: ${(error as Error).message}`, {}, { cause: error });
            }
            stored += outcome.stored;
            reused += outcome.skipped;
          } else {
            reused += keys.length;
          }
          const texts = await connection.mget(...keys);
          const rows = texts.map((text, k) => {
            if (text === null) throw new SessionflowError(`batch ${i + 1}: the result of parameter set ${batch.sets[k]!.index} is missing from Redis (${keys[k]}) after its job finished`);
            // The stored row is keyed by config and parameters; its index is this sweep's.
            return { ...decodeResult(text), index: batch.sets[k]!.index };
          });
          options.onBatch?.(rows);
          return rows;
        }),
      ),
    ]);
    return { results, stored, reused };
  } catch (error) {
    // Stopped early: the sweep's batches still waiting would otherwise run for nobody.
    await Promise.all(jobIds.map((jobId) => queue.remove(jobId).catch(() => 0)));
    throw error;
  } finally {
    await connection.hdel(SWEEPS_HASH, id).catch(() => 0);
    await events.close();
    await queue.close();
    connection.disconnect();
  }
}

/** The sweep's id: the same batches of the same version give the same id (and job ids). */
function sweepId(version: string, batches: readonly ParameterBatch[]): string {
  const hash = createHash('sha256').update(version);
  for (const batch of batches) hash.update(JSON.stringify([batch.baseDir, batch.config, batch.sets]));
  return hash.digest('hex').slice(0, 16);
}
