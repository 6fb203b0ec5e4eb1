import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as v from 'valibot';
import { ConfigError, type ConfigProblem, quote } from '../errors.ts';
import { parseInterval } from '../calendar/interval.ts';
import { SessionConfigSchema, type SessionConfig, type SessionConfigInput } from './schema.ts';

/**
 * Validate a session config (a parsed JSON value or a TS object) into a typed
 * {@link SessionConfig}, reporting EVERY problem at once with its JSON path, the bad value
 * and what was expected. Relative `store.root` resolves against `baseDir` (the config
 * file's folder) so a config works from any working directory.
 *
 * @example
 * ```ts
 * const config = parseConfig({ backtest: { start: '2024-01-02', end: '2024-01-31' }, store: { root: 'data', layout: '{interval}/{symbol}/{date}.parquet' }, symbols: ['SPY'] }, { baseDir: process.cwd() });
 * ```
 */
export function parseConfig(input: unknown, options: { baseDir?: string; file?: string } = {}): SessionConfig {
  const file = options.file;
  const parsed = v.safeParse(SessionConfigSchema, input, { abortEarly: false, abortPipeEarly: false });
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.issues.map(toProblem);
  if (parsed.success) problems.push(...semanticProblems(parsed.output));
  if (problems.length > 0) {
    const where = file ? `${file}: ` : '';
    const lines = problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`);
    throw new ConfigError(`${where}invalid session config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, problems, file);
  }
  const config = parsed.output as SessionConfig;
  const baseDir = options.baseDir ?? process.cwd();
  return { ...config, store: { ...config.store, root: isAbsolute(config.store.root) ? config.store.root : resolve(baseDir, config.store.root) } };
}

/**
 * Read and validate a JSON session config file. A missing file or malformed JSON is a
 * {@link ConfigError} naming the file (and the JSON error position).
 */
export function readConfigFile(path: string): SessionConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read session config (${code === 'ENOENT' ? 'no such file' : code ?? String(error)})`, [{ path: '', message: 'file not readable', value: file }], file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON: ${(error as Error).message}`, [{ path: '', message: (error as Error).message }], file);
  }
  return parseConfig(json, { baseDir: dirname(file), file });
}

/** Typed identity helper so TS configs get checking and completion. */
export function defineConfig(config: SessionConfigInput): SessionConfigInput {
  return config;
}

function toProblem(issue: v.BaseIssue<unknown>): ConfigProblem {
  const path = (issue.path ?? [])
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('')
    .replace(/^\./, '');
  const expected = issue.expected ?? undefined;
  // valibot reports unknown keys of strict objects as "never"; say what is allowed instead.
  const unknownKey = issue.type === 'strict_object' && issue.expected === 'never';
  const described = /^Invalid /.test(issue.message) ? (expected ?? issue.message) : issue.message;
  const message = unknownKey ? `unknown key ${quote((issue.path ?? []).at(-1)?.key)}` : issue.received === 'undefined' ? 'missing (required)' : `expected ${described}, got ${quote(issue.input)}`;
  return { path, message, value: issue.input, ...(expected && !unknownKey ? { expected } : {}) };
}

/** Cross-field rules the schema cannot express. */
function semanticProblems(config: SessionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.backtest.end < config.backtest.start) {
    problems.push({ path: 'backtest.end', value: config.backtest.end, expected: `a date on or after backtest.start (${config.backtest.start})`, message: `ends before it starts (start ${config.backtest.start})` });
  }
  const streams = config.streams.map((s) => parseInterval(s));
  const base = streams.reduce((a, b) => (b.ms < a.ms ? b : a));
  config.streams.forEach((text, i) => {
    const ms = streams[i]!.ms;
    if (ms % base.ms !== 0) problems.push({ path: `streams[${i}]`, value: text, expected: `a multiple of the base interval ${base.name}`, message: `${text} is not a whole multiple of the base interval ${base.name}` });
    if (config.streams.indexOf(text) !== i) problems.push({ path: `streams[${i}]`, value: text, expected: 'each interval once', message: `${text} is listed twice` });
  });
  config.indicators.forEach((ind, i) => {
    if (!config.streams.includes(ind.interval)) problems.push({ path: `indicators[${i}].interval`, value: ind.interval, expected: `one of the streams (${config.streams.join(', ')})`, message: `interval ${ind.interval} is not a configured stream (${config.streams.join(', ')})` });
  });
  config.history.forEach((h, i) => {
    h.intervals.forEach((text, j) => {
      const interval = parseInterval(text);
      if (interval.sessions === 0 && interval.ms % base.ms !== 0) problems.push({ path: `history[${i}].intervals[${j}]`, value: text, expected: `a multiple of the base interval ${base.name} or "1d"`, message: `${text} cannot be derived from the base interval ${base.name}` });
    });
  });
  return problems;
}
