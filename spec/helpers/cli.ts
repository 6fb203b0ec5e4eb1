/**
 * Helpers for driving the `sessionflow` bin in child processes (spec/cli). Every child
 * costs ~1 s of tsx start-up, so tests should start as few as they can.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root (the bin is run with this as its working directory). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/** The published bin, as `node pipelines/cli/sessionflow.js`. */
export const BIN = join(REPO_ROOT, 'pipelines/cli/sessionflow.js');

/** How a child process ended. */
export interface CliResult {
  /** Exit code, or `null` when killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ENV = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };

/**
 * Run `node pipelines/cli/sessionflow.js ...args` to completion.
 *
 * @example
 * ```ts
 * const { code, stdout } = await runCli(['validate', 'session.json']);
 * ```
 */
export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: ENV, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      done({ code, signal: (error?.signal as NodeJS.Signals | undefined) ?? null, stdout, stderr });
    });
  });
}

/** A running bin: wait for text on stderr, send signals, await the end. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves when stderr so far matches `pattern` (rejects after `timeoutMs` or if the process ends first). */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<void>;
  readonly done: Promise<CliResult>;
}

/**
 * Start the bin without waiting for it (for Ctrl-C tests).
 *
 * @example
 * ```ts
 * const cli = startCli(['run', 'cfg.json']); await cli.waitForStderr(/phase 4/); cli.child.kill('SIGINT'); await cli.done;
 * ```
 */
export function startCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ended = false;
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const l of listeners) l();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolveDone) => {
    child.on('close', (code, signal) => {
      ended = true;
      clearTimeout(killer);
      for (const l of listeners) l();
      resolveDone({ code, signal, stdout, stderr });
    });
  });
  const waitForStderr = (pattern: RegExp, timeoutMs = 30_000): Promise<void> =>
    new Promise((resolveWait, rejectWait) => {
      const check = (): void => {
        if (pattern.test(stderr)) finish();
        else if (ended) finish(new Error(`process ended before stderr matched ${pattern}; stderr:\n${stderr}`));
      };
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern} on stderr:\n${stderr}`)), timeoutMs);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) rejectWait(error);
        else resolveWait();
      };
      listeners.add(check);
      check();
    });
  return { child, waitForStderr, done };
}
