import { Worker } from 'node:worker_threads';
import type { Session } from '../calendar/types.ts';
import type { DataError } from '../errors.ts';
import { log } from '../log.ts';
import type { LoadOutcome, ParquetBarReader } from './bar-reader.ts';
import { fromWireError, HOLDS, type DecodeReply, type DecodeRequest, type DecodeThreadData, type ThreadMemory } from './decode-thread-protocol.ts';
import type { Availability, DailyBars, LoadedBars, StoreConfig } from './types.ts';
import { packageFile, RUNNING_COMPILED } from '../package-files.ts';

/** What Phase 2 needs to read bars: the main-thread {@link ParquetBarReader} or a {@link ThreadedBarLoader}. */
export interface BarLoader {
  load(symbol: string, interval: string, from: number, to: number, date?: string): Promise<LoadedBars>;
  loadMany(symbol: string, interval: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<LoadOutcome[]>;
  loadDaily(symbol: string, sessions: readonly Session[], options?: { from?: string }): Promise<DailyBars>;
  /** True when loads run off the main thread, so reading ahead early overlaps with the main thread's work. */
  readonly background?: boolean;
  /**
   * Ask background loading to start no new read-ahead work until the returned release is
   * called (idempotent). The session loop holds it while a data-driven day replays: that
   * replay is CPU-bound, and V8 moves part of its garbage collection and compilation to the
   * second core, so a decode thread running beside it made the replay ~50% slower on 2
   * cores. Loads made while holding are still answered at once.
   */
  holdBackground?(): () => void;
  /** Release what the loader holds (decode threads); idempotent. */
  close?(): void;
}

/**
 * The run's data source for `store`: decode threads when `threads > 0` (see
 * {@link ThreadedBarLoader}), else `reader` itself. Whoever opens it closes it.
 *
 * @example
 * ```ts
 * const source = openBarLoader(plan.store, plan.reader, 2);
 * try { await source.load('SPY', '1m', s.open, s.close, s.date); } finally { source.close?.(); }
 * ```
 */
export function openBarLoader(store: StoreConfig, reader: ParquetBarReader, threads: number): BarLoader {
  return threads > 0 ? new ThreadedBarLoader(store, reader, threads) : reader;
}

/** Raised (internally) when a decode thread dies or cannot start; the loader then decodes on the main thread. */
class DecodeThreadLost extends Error {}

/** One worker and the requests it has not answered yet. */
class DecodeThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (reply: DecodeReply) => void; reject: (error: unknown) => void }>();
  private nextId = 1;
  private readonly url: URL;
  private readonly gate: Int32Array;

  constructor(url: URL, gate: Int32Array) {
    this.url = url;
    this.gate = gate;
  }

  /** Start the worker now (its start-up, ~0.3 s of module loading, then overlaps with validation). */
  start(): void {
    if (this.worker) return;
    const worker = new Worker(this.url, { workerData: { gate: this.gate } satisfies DecodeThreadData });
    worker.on('message', (reply: DecodeReply | { ready: true }) => {
      if (!('id' in reply)) return;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiter.resolve(reply);
    });
    const lose = (reason: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const w of waiting) w.reject(new DecodeThreadLost(reason));
    };
    worker.on('error', (error) => lose(error instanceof Error ? error.message : String(error)));
    worker.on('exit', (code) => lose(`exited with code ${code}`));
    // An idle thread must not keep the process alive; it is ref'ed while requests are pending.
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
    this.worker = worker;
  }

  /** Stop the worker (its pending requests fail as lost); a later request starts a new one. */
  stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(new DecodeThreadLost('the data source was closed'));
    void worker.terminate();
  }

  /** Whether a worker is running. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  request(body: Omit<DecodeRequest, 'id'>): Promise<DecodeReply> {
    this.start();
    const worker = this.worker!;
    const id = this.nextId++;
    return new Promise<DecodeReply>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...body } satisfies DecodeRequest);
    });
  }
}

// Compiled, the thread runs the bundled decode-thread-main.js. From the sources under tsx, a
// worker gets no module hooks from its parent on Node 20, so decode-thread.js registers tsx
// before importing the TypeScript entry.
// Resolved when a loader is made (finding the package root reads a file; importing must not).
const defaultWorker = (): URL => (RUNNING_COMPILED ? packageFile('lib/store/decode-thread-main.ts') : new URL('./decode-thread.js', import.meta.url));
/** Threads shared by every loader of the process (keyed by worker script), so a second run finds them warm. */
const pools = new Map<string, { threads: DecodeThread[]; gate: Int32Array; assignments: Map<number, Map<string, number>>; open: number }>();

/**
 * Decode threads running in the process (all pools). Zero once every loader is closed: a
 * finished run or a validation leaves no threads behind.
 */
export function runningDecodeThreads(): number {
  let n = 0;
  for (const pool of pools.values()) for (const thread of pool.threads) if (thread.running) n++;
  return n;
}

/**
 * The process's threads for `url` (the first `size`), their shared hold gate, and per thread
 * count the symbol-to-thread assignment, kept so that later runs send each symbol to the
 * thread that already holds its footers.
 */
function poolOf(url: URL, size: number): { threads: DecodeThread[]; gate: Int32Array; assigned: (count: number) => Map<string, number>; release: () => void } {
  let pool = pools.get(url.href);
  if (!pool) pools.set(url.href, (pool = { threads: [], gate: new Int32Array(new SharedArrayBuffer(4)), assignments: new Map(), open: 0 }));
  while (pool.threads.length < size) pool.threads.push(new DecodeThread(url, pool.gate));
  const { assignments } = pool;
  const owner = pool;
  owner.open++;
  let released = false;
  return {
    threads: pool.threads.slice(0, size),
    gate: pool.gate,
    // The last loader to close stops the threads; the symbol assignment stays (it is only a
    // balance), the footers cached in the threads go with them.
    release: () => {
      if (released) return;
      released = true;
      owner.open--;
      if (owner.open > 0) return;
      for (const thread of owner.threads) thread.stop();
      owner.assignments.clear();
    },
    assigned: (count) => {
      let map = assignments.get(count);
      if (!map) assignments.set(count, (map = new Map()));
      return map;
    },
  };
}

/**
 * Reads bars on decode threads: reading, decompressing and validating Parquet row groups runs
 * on `threads` worker threads while the main thread assembles days, and the columns come back
 * by transfer. Requests for one symbol always go to the same thread, which also checks its
 * availability during validation, so its file footers are parsed once. The threads are shared
 * by every loader in the process, and so are holds ({@link holdBackground}). Daily bars
 * (`loadDaily`) stay on the main-thread `reader`.
 * If a thread cannot start or dies, the loader warns once and decodes on the main thread, so
 * a run never fails for it.
 *
 * @example
 * ```ts
 * const loader = new ThreadedBarLoader(plan.store, plan.reader, 1);
 * const today = await loader.load('SPY', '1m', session.open, session.close, session.date);
 * ```
 */
export class ThreadedBarLoader implements BarLoader {
  readonly background = true;
  /** Requests answered by a decode thread and by the main-thread fallback (diagnostics). */
  readonly stats = { threaded: 0, mainThread: 0 };
  private readonly storeJson: string;
  private readonly reader: ParquetBarReader;
  private readonly threads: DecodeThread[];
  /** Shared with the pool's threads: how many holds are in force (see {@link holdBackground}). */
  private readonly gate: Int32Array;
  /** Holds taken by this loader and not released. */
  private holds = 0;
  /** Symbol → index of its thread (see {@link threadFor}). */
  private readonly assigned: Map<string, number>;
  private lost = false;
  private closed = false;
  private readonly releasePool: () => void;
  private readonly queue: Array<{ body: Omit<DecodeRequest, 'id'>; resolve: (reply: DecodeReply) => void; reject: (error: unknown) => void }> = [];

  /** `workerUrl` replaces the thread's script (tests use it to simulate a thread that fails). */
  constructor(store: StoreConfig, reader: ParquetBarReader, threads = 1, workerUrl: URL = defaultWorker()) {
    this.storeJson = JSON.stringify(store);
    this.reader = reader;
    const pool = poolOf(workerUrl, Math.max(1, Math.floor(threads)));
    this.threads = pool.threads;
    this.gate = pool.gate;
    this.assigned = pool.assigned(this.threads.length);
    this.releasePool = pool.release;
    for (const thread of this.threads) thread.start();
  }

  /**
   * Release the threads (idempotent): the last open loader of the process stops them, so
   * nothing is left running after a run or a validation. Loads after closing decode on the
   * main thread.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lost = true;
    while (this.holds > 0) {
      this.holds--;
      Atomics.sub(this.gate, HOLDS, 1);
    }
    Atomics.notify(this.gate, HOLDS);
    this.releasePool();
  }

  holdBackground(): () => void {
    this.holds++;
    Atomics.add(this.gate, HOLDS, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      Atomics.sub(this.gate, HOLDS, 1);
      Atomics.notify(this.gate, HOLDS);
    };
  }

  async load(symbol: string, interval: string, from: number, to: number, date?: string): Promise<LoadedBars> {
    const [result] = await this.loadMany(symbol, interval, [{ from, to, ...(date ? { date } : {}) }]);
    if (!result!.ok) throw result!.error;
    return result!.loaded;
  }

  async loadMany(symbol: string, interval: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<LoadOutcome[]> {
    // While held, a load can only come from the replay itself, which is waiting for it.
    const reply = await this.ask({ store: this.storeJson, symbol, interval, windows, ...(this.holds > 0 ? { urgent: true } : {}) });
    if (reply === undefined) return this.onMainThread(symbol, interval, windows);
    this.stats.threaded++;
    if ('failure' in reply) throw fromWireError(reply.failure);
    if (!('outcomes' in reply)) throw new Error(`decode thread answered a load of ${symbol} with no bars`);
    // A window's failure is always a DataError (the reader's contract), so it revives as one.
    return reply.outcomes.map((o) => (o.ok ? o : { ok: false as const, error: fromWireError(o.error) as DataError }));
  }

  /**
   * Availability of several sessions of `symbol` from footer statistics, on the thread that
   * will decode the symbol: validation then parses each footer once, in parallel, where the
   * decoding needs it (instead of once on the main thread and again on the thread).
   */
  async existsMany(symbol: string, interval: string, windows: ReadonlyArray<{ date: string; from: number; to: number }>): Promise<Availability[]> {
    const reply = await this.ask({ store: this.storeJson, symbol, interval, windows, kind: 'exists', ...(this.holds > 0 ? { urgent: true } : {}) });
    if (reply === undefined) {
      this.stats.mainThread++;
      return this.reader.existsMany(symbol, interval, windows);
    }
    this.stats.threaded++;
    if ('failure' in reply) throw fromWireError(reply.failure);
    if (!('availability' in reply)) throw new Error(`decode thread answered an availability check of ${symbol} with bars`);
    return [...reply.availability];
  }

  /**
   * Each decode thread's own memory (their heaps are not in the main thread's
   * `process.memoryUsage().heapUsed`); an empty list once the threads are lost. Answered
   * even while the threads are held, ahead of queued read-ahead.
   *
   * @example
   * ```ts
   * const [first] = await loader.threadMemory();
   * console.log(first?.heapUsed);
   * ```
   */
  async threadMemory(): Promise<ThreadMemory[]> {
    if (this.lost) return [];
    const out: ThreadMemory[] = [];
    for (const thread of this.threads) {
      try {
        const reply = await thread.request({ store: this.storeJson, symbol: '', interval: '', windows: [], kind: 'memory', urgent: true });
        if ('memory' in reply) out.push(reply.memory);
      } catch (error) {
        if (!(error instanceof DecodeThreadLost)) throw error;
        return [];
      }
    }
    return out;
  }

  /** A thread's reply, or undefined once the threads are lost (the caller then uses the main thread). */
  private async ask(body: Omit<DecodeRequest, 'id'>): Promise<DecodeReply | undefined> {
    if (this.lost) return undefined;
    try {
      return await this.enqueue(body);
    } catch (error) {
      if (!(error instanceof DecodeThreadLost)) throw error;
      if (!this.lost && !this.closed) log.warn(`Parquet decode thread lost (${error.message}); decoding on the main thread from now on`);
      this.lost = true;
      return undefined;
    }
  }

  private onMainThread(symbol: string, interval: string, windows: ReadonlyArray<{ from: number; to: number; date?: string }>): Promise<LoadOutcome[]> {
    this.stats.mainThread++;
    return this.reader.loadMany(symbol, interval, windows);
  }

  loadDaily(symbol: string, sessions: readonly Session[], options?: { from?: string }): Promise<DailyBars> {
    return this.reader.loadDaily(symbol, sessions, options);
  }

  /**
   * Requests made in one turn of the event loop (Phase 2 asks for every symbol at once) are
   * sent in the order they are needed, earliest window first: a thread answers in order, so
   * today's bars of every symbol come before any symbol's read-ahead.
   */
  private enqueue(body: Omit<DecodeRequest, 'id'>): Promise<DecodeReply> {
    return new Promise<DecodeReply>((resolve, reject) => {
      this.queue.push({ body, resolve, reject });
      if (this.queue.length === 1) queueMicrotask(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queue.splice(0);
    const firstNeed = (body: Omit<DecodeRequest, 'id'>): number => Math.min(...body.windows.map((w) => w.from));
    queued.sort((a, b) => firstNeed(a.body) - firstNeed(b.body));
    for (const { body, resolve, reject } of queued) this.threadFor(body.symbol).request(body).then(resolve, reject);
  }

  /**
   * The thread of `symbol`: always the same one (its footers are cached there), given out in
   * turn as symbols first appear, so the threads get equal shares. A hash of the name split
   * 100 symbols 45/55 and more, and the day waited for the busier thread.
   */
  private threadFor(symbol: string): DecodeThread {
    if (this.threads.length === 1) return this.threads[0]!;
    let index = this.assigned.get(symbol);
    if (index === undefined) {
      index = this.assigned.size % this.threads.length;
      this.assigned.set(symbol, index);
    }
    return this.threads[index]!;
  }
}
