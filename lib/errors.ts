/**
 * The error hierarchy. Every message quotes the offending value and says where it came
 * from (file, JSON path, symbol, date, phase), because a user debugging a backtest at
 * 2 a.m. needs the *what* and *where*, not a stack trace.
 *
 * @example
 * ```ts
 * try { await run.result(); } catch (e) { if (e instanceof DataError) console.error(e.file, e.message); }
 * ```
 */
export class SessionflowError extends Error {
  /** Machine-readable context (file, field, symbol, date, phase, …). */
  readonly context: Readonly<Record<string, unknown>>;
  constructor(message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** One problem found while validating a config: where, what was found, what was expected. */
export interface ConfigProblem {
  /** JSON path such as `backtest.start` or `indicators[1].period`. */
  readonly path: string;
  readonly message: string;
  readonly value?: unknown;
  readonly expected?: string;
}

/** Invalid configuration (session config, operator options). Carries every problem at once. */
export class ConfigError extends SessionflowError {
  readonly problems: readonly ConfigProblem[];
  readonly file: string | undefined;
  constructor(message: string, problems: readonly ConfigProblem[] = [], file?: string) {
    super(message, { file, problems });
    this.problems = problems;
    this.file = file;
  }

  /** A single-problem error, the common case for operator factories. */
  static at(path: string, value: unknown, expected: string, file?: string): ConfigError {
    const problem: ConfigProblem = { path, value, expected, message: `expected ${expected}, got ${quote(value)}` };
    return new ConfigError(`${file ? `${file}: ` : ''}${path}: ${problem.message}`, [problem], file);
  }
}

/** Missing, unreadable, corrupt or malformed market data. */
export class DataError extends SessionflowError {
  readonly file: string | undefined;
  readonly symbol: string | undefined;
  readonly date: string | undefined;
  readonly column: string | undefined;
  constructor(message: string, where: { file?: string; symbol?: string; date?: string; column?: string } = {}, options?: { cause?: unknown }) {
    super(message, where, options);
    this.file = where.file;
    this.symbol = where.symbol;
    this.date = where.date;
    this.column = where.column;
  }
}

/** Something went wrong inside a session phase; says which phase, date and symbol. */
export class LifecycleError extends SessionflowError {
  readonly phase: string;
  readonly date: string | undefined;
  readonly symbol: string | undefined;
  constructor(message: string, where: { phase: string; date?: string; symbol?: string }, options?: { cause?: unknown }) {
    super(message, where, options);
    this.phase = where.phase;
    this.date = where.date;
    this.symbol = where.symbol;
  }
}

/** The run was cancelled (Ctrl-C, unsubscribe) before it finished. */
export class InterruptedError extends SessionflowError {}

/**
 * An error thrown by user code while it worked on one symbol (a strategy's `onBar`, an
 * indicator's update), re-thrown with the symbol in its context and message so the stage
 * that reports it can name the symbol too. The original error is the cause.
 *
 * @example
 * ```ts
 * try { spec.onBar(ctx, bar); } catch (e) { throw aboutSymbol(e, bar.symbol, 'onBar'); }
 * ```
 */
export function aboutSymbol(error: unknown, symbol: string, what: string): SessionflowError {
  if (error instanceof SessionflowError && error.context.symbol === symbol) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SessionflowError(`${what} for ${symbol}: ${message}`, { symbol }, { cause: error });
}

/**
 * An error thrown by user code a component called (a scanner's `scan`, a strategy's hooks),
 * re-thrown with the component named in its message, so the run's LifecycleError (which adds
 * the phase and the date) says whose code failed. The original error is the cause; a symbol in
 * its context is kept.
 *
 * @example
 * ```ts
 * run().catch((e) => subscriber.error(namedBy(e, 'scanner gappers')));
 * ```
 */
export function namedBy(error: unknown, who: string): SessionflowError {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith(`${who}`)) return error instanceof SessionflowError ? error : new SessionflowError(message, {}, { cause: error });
  const symbol = error instanceof SessionflowError && typeof error.context.symbol === 'string' ? error.context.symbol : undefined;
  return new SessionflowError(`${who}: ${message}`, symbol ? { symbol } : {}, { cause: error });
}

/** Render a value for an error message: strings quoted, objects as compact JSON, long values cut. */
export function quote(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === null) text = String(value);
  else {
    try {
      text = JSON.stringify(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
