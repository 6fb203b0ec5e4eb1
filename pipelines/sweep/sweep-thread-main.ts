import { setLogLevel, type LogLevel } from '../../lib/log.ts';
import { importUserModule } from '../import-user-module.ts';
import { runParameterBatch, type ParameterBatch, type ParameterSetResult } from './run-parameter-batch.ts';

/** What a sweep hands a worker thread: a batch, and the modules to import first. */
export interface SweepTask extends ParameterBatch {
  /**
   * Modules (absolute paths) that register strategies, indicators or scanners (`sessionflow sweep --import`):
   * a worker thread starts with empty registries, so it imports them before its first batch.
   */
  readonly imports?: readonly string[];
  /** The thread's log level (a sweep passes `error` unless info or more was asked for). */
  readonly logLevel?: LogLevel;
}

/** Modules this thread imported already (a thread runs many batches). */
const imported = new Set<string>();

/**
 * A sweep worker thread's task (piscina calls the default export): import the registering
 * modules once, then run the batch with its data shared (runParameterBatch).
 *
 * @example
 * ```ts
 * await pool.run({ config, baseDir, sets, imports: ['/abs/register.js'] } satisfies SweepTask);
 * ```
 */
export default async function runSweepTask(task: SweepTask): Promise<ParameterSetResult[]> {
  if (task.logLevel) setLogLevel(task.logLevel);
  for (const module of task.imports ?? []) {
    if (imported.has(module)) continue;
    await importUserModule(module, `--import ${module}`);
    imported.add(module);
  }
  return runParameterBatch(task);
}
