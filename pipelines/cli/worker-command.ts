import type { Command } from 'commander';
import { wholeNumber } from './whole-number-option.ts';
import { EXIT, exitCodeFor } from '../../lib/cli/exit-codes.ts';
import type { CliIo } from './cli-io.ts';
import { helpExamples } from './help-examples.ts';
import { printFailure } from './print-failure.ts';


/**
 * Add `sessionflow worker --queue redis://host:port [--concurrency N]` to `program`: run the
 * batches `sessionflow sweep … --queue` puts on the BullMQ queue, on worker threads, until
 * interrupted (Ctrl-C, SIGTERM: running batches finish first). Exit 1 when Redis cannot be
 * reached or this machine does not see a running sweep's store or module files at the same
 * paths.
 *
 * @example
 * ```ts
 * registerWorkerCommand(program, processIo(), interruptible, (c) => (code = c));
 * ```
 */
export function registerWorkerCommand(program: Command, io: CliIo, interruptible: (task: (signal: AbortSignal) => Promise<number>) => Promise<number>, setCode: (code: number) => void): void {
  program
    .command('worker')
    .description('run the batches of sweeps queued with sessionflow sweep --queue (BullMQ on Redis), on worker threads')
    .requiredOption('--queue <url>', 'the Redis URL the sweeps use (redis://host:port)')
    .option('--concurrency <n>', 'batches at once, one worker thread each (default: the cores)', wholeNumber('--concurrency', 1))
    .option('--lock-duration <ms>', 'how long a batch stays locked without renewal: a killed worker\'s batches go to the others after about this long (default 30000)', wholeNumber('--lock-duration', 500))
    .addHelpText('after', helpExamples(['sessionflow worker --queue redis://10.0.0.5:6379', 'sessionflow worker --queue redis://127.0.0.1:6379 --concurrency 4 --import ./register.js']))
    .action(async (opts: { queue: string; concurrency?: number; lockDuration?: number }) => {
      setCode(
        await interruptible(async (signal) => {
          try {
            const { runQueueWorker } = await import('../sweep/run-queue-worker.ts');
            await runQueueWorker(opts.queue, { ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}), ...(opts.lockDuration !== undefined ? { lockDurationMs: opts.lockDuration } : {}), signal, onEvent: (line) => io.stdout.write(`${line}\n`) });
            return EXIT.ok;
          } catch (error) {
            printFailure(error, io);
            return exitCodeFor(error, { started: false });
          }
        }),
      );
    });
}
