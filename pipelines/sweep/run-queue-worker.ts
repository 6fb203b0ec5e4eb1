import { availableParallelism } from 'node:os';
import { Worker } from 'bullmq';
import { Piscina } from 'piscina';
import { ConfigError } from '../../lib/errors.ts';
import { connectRedis } from './connect-redis.ts';
import { encodeResult } from './result-json.ts';
import type { ParameterSetResult } from './run-parameter-batch.ts';
import { sharedFileProblem, type SharedFile } from './shared-files.ts';
import type { QueueJobResult, QueueTask } from './sweep-on-queue.ts';
import { SWEEP_QUEUE, SWEEPS_HASH } from './sweep-queue.ts';
import type { SweepTask } from './sweep-thread-main.ts';
import { sweepThreadFile } from './sweep-thread-file.ts';

/** Options of {@link runQueueWorker}. */
export interface QueueWorkerOptions {
  /** Batches run at once, each on a worker thread of its own (default: the cores). */
  readonly concurrency?: number;
  /**
   * How long a batch's lock lasts without renewal (default 30 s): a worker that dies loses
   * its batches to the others after about this long. Renewed from the event loop, which the
   * threads keep free.
   */
  readonly lockDurationMs?: number;
  /** Aborting stops taking batches; running ones finish first. */
  readonly signal?: AbortSignal;
  /** Called when the worker takes and finishes batches (for its log). */
  readonly onEvent?: (line: string) => void;
}

/**
 * `sessionflow worker --queue URL`: take sweep batches from the BullMQ queue at `url` and run
 * them on worker threads (so this process's event loop keeps renewing the jobs' locks), with
 * the data shared inside each batch (runParameterBatch). Each set's result is stored in Redis
 * under its key, only if absent (SET NX): a batch retried after its worker was killed stores
 * nothing twice, and sets stored earlier are not run again.
 *
 * Before taking anything it checks that this machine sees what the running sweeps need at
 * the same paths (the store root, module files: a shared filesystem), and fails with a
 * ConfigError naming the path otherwise; a batch of a later sweep is checked the same way
 * and failed (then retried elsewhere) if this machine does not see its files. Resolves when
 * `signal` is aborted and running batches have finished.
 *
 * @throws ConfigError when this machine does not see a running sweep's files.
 * @example
 * ```ts
 * await runQueueWorker('redis://10.0.0.5:6379', { concurrency: 8, signal });
 * ```
 */
export async function runQueueWorker(url: string, options: QueueWorkerOptions = {}): Promise<void> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  const connection = await connectRedis(url);
  try {
    const running = await connection.hgetall(SWEEPS_HASH);
    for (const [sweep, text] of Object.entries(running)) {
      const problem = sharedFileProblem((JSON.parse(text) as { shared: SharedFile[] }).shared);
      if (problem) throw new ConfigError(`sessionflow worker: cannot run sweep ${sweep}: ${problem}. Workers must see the store and module files at the same paths as the coordinator (a shared filesystem mounted at the same place)`, [{ path: '--queue', value: url, message: problem }]);
    }
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  const pool = new Piscina<SweepTask, ParameterSetResult[]>({ filename: sweepThreadFile(), minThreads: 1, maxThreads: concurrency, concurrentTasksPerWorker: 1, idleTimeout: 60_000 });
  const lockDuration = options.lockDurationMs ?? 30_000;
  const workerConnection = connection.duplicate();
  const worker = new Worker<QueueTask, QueueJobResult>(
    SWEEP_QUEUE,
    async (job) => {
      const task = job.data;
      const problem = sharedFileProblem(task.shared);
      if (problem) throw new Error(`this worker cannot run the batch: ${problem} (workers must see the store and module files at the same paths)`);
      // Sets stored already (an earlier attempt of this batch, or the same sweep run before) are not run again.
      const present = await Promise.all(task.keys.map((key) => connection.exists(key)));
      const todo = task.sets.filter((_, i) => present[i] === 0);
      // A batch whose worker died (its lock expired) comes back as "stalled", not as a failed attempt.
      const again = job.stalledCounter > 0 ? `, taken over after ${job.stalledCounter} stalled run${job.stalledCounter === 1 ? '' : 's'}` : '';
      options.onEvent?.(`batch ${job.id}: ${todo.length} of ${task.sets.length} parameter sets to run (attempt ${job.attemptsMade + 1}${again})`);
      const rows = todo.length > 0 ? await pool.run({ ...task, sets: todo }) : [];
      const keyOf = new Map(task.sets.map((set, i) => [set.index, task.keys[i]!]));
      const multi = connection.multi();
      for (const row of rows) multi.set(keyOf.get(row.index)!, encodeResult(row), 'NX');
      const replies = rows.length > 0 ? ((await multi.exec()) ?? []) : [];
      const stored = replies.filter(([error, reply]) => error === null && reply === 'OK').length;
      options.onEvent?.(`batch ${job.id}: stored ${stored} result${stored === 1 ? '' : 's'}`);
      return { stored, skipped: task.sets.length - stored };
    },
    { connection: workerConnection, concurrency, lockDuration, stalledInterval: lockDuration, maxStalledCount: 3 },
  );
  worker.on('failed', (job, error) => options.onEvent?.(`batch ${job?.id ?? '?'} failed: ${error.message}`));
  await worker.waitUntilReady();
  options.onEvent?.(`worker ready: queue ${SWEEP_QUEUE} at ${url}, ${concurrency} thread${concurrency === 1 ? '' : 's'}`);
  await new Promise<void>((resolve) => {
    if (options.signal?.aborted) return resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  // Running batches finish first, within a lock's duration; then (or with Redis gone, when a
  // graceful close would wait for it forever) the worker stops anyway: a batch it did not
  // finish goes to another worker when its lock expires.
  let timer: NodeJS.Timeout | undefined;
  const graceful = await Promise.race([worker.close().then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), lockDuration)))]);
  clearTimeout(timer);
  if (!graceful) void worker.close(true).catch(() => undefined);
  await pool.destroy();
  workerConnection.disconnect();
  connection.disconnect();
}
