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
 * An error thrown by user code a component called (a strategy's hooks, an indicator's update,
 * a scanner's `scan`), re-thrown with the component named in its message (and, when it was
 * working on one, the symbol: in the message and the context), so the run's LifecycleError,
 * which adds the phase and the date, says whose code failed and on what. The original error is
 * the cause; a symbol already in its context is kept.
 *
 * @example
 * ```ts
 * try { spec.onBar(ctx, bar); } catch (e) { throw namedBy(e, 'breakout.onBar', bar.symbol); }
 * run().catch((e) => subscriber.error(namedBy(e, 'scanner gappers')));
 * ```
 */
export function namedBy(error: unknown, who: string, symbol?: string): SessionflowError {
  const own = error instanceof SessionflowError && typeof error.context.symbol === 'string' ? error.context.symbol : undefined;
  const message = error instanceof Error ? error.message : String(error);
  // Already named (it passed through this component, or is about this symbol): as it is.
  if (symbol !== undefined ? own === symbol : message.startsWith(who)) return error instanceof SessionflowError ? error : new SessionflowError(message, {}, { cause: error });
  const about = symbol ?? own;
  return new SessionflowError(`${who}${symbol !== undefined ? ` for ${symbol}` : ''}: ${message}`, about !== undefined ? { symbol: about } : {}, { cause: error });
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
