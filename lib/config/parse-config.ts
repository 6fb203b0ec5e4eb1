import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import * as v from 'valibot';
import { ConfigError, type ConfigProblem, quote } from '../errors.ts';
import { parseInterval } from '../calendar/interval.ts';
import { editDistance } from '../registry.ts';
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
  // abortPipeEarly: one problem per value (a non-date like "yesterday" would otherwise be
  // reported twice, as not "YYYY-MM-DD" and as not a real date); abortEarly false keeps
  // reporting every value.
  const parsed = v.safeParse(SessionConfigSchema, input, { abortEarly: false, abortPipeEarly: true });
  const problems: ConfigProblem[] = parsed.success ? [] : parsed.issues.map(toProblem);
  // Cross-field rules run even when the schema failed (on the fields that are valid), so a
  // config with a typo'd key AND end < start reports both at once, not one per attempt.
  const invalid = problems.map((p) => p.path);
  problems.push(...semanticProblems(input, (path) => invalid.some((q) => q === path || q.startsWith(`${path}.`) || q.startsWith(`${path}[`))));
  if (problems.length > 0) {
    const where = file ? `${file}: ` : '';
    const lines = problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`);
    throw new ConfigError(`${where}invalid session config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, problems, file);
  }
  const config = parsed.output as SessionConfig;
  const baseDir = options.baseDir ?? process.cwd();
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  // Universe files, like the store, resolve against the config file's folder.
  const universe = <U extends SessionConfig['universe']>(u: U): U => (u !== undefined && typeof u === 'object' && !Array.isArray(u) ? ({ ...u, file: at((u as { file: string }).file) } as U) : u);
  return {
    ...config,
    store: { ...config.store, root: at(config.store.root) },
    ...(config.universe === undefined ? {} : { universe: universe(config.universe) }),
    // Modules (strategies, indicators, scanners), like the store, resolve against the config file's folder.
    indicators: config.indicators.map((s) => (s.module === undefined ? s : { ...s, module: at(s.module) })),
    scanners: config.scanners.map((s) => ({ ...s, ...(s.universe === undefined ? {} : { universe: universe(s.universe) }), ...(s.module === undefined ? {} : { module: at(s.module) }) })),
    strategies: config.strategies.map((s) => (s.module === undefined ? s : { ...s, module: at(s.module) })),
  };
}

/**
 * Read a JSON session config file as it is, before validation (a sweep assigns its
 * parameters to it first). A missing file, malformed JSON or a root that is not an object is
 * a {@link ConfigError} naming the file (and the JSON error position).
 */
export function readConfigJson(path: string): Record<string, unknown> {
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
    // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // Node 20's "Unexpected token" messages quote some context but no position: say where.
    const where = jsonErrorAt(text.replace(/^\uFEFF/, ''));
    const message = `${where ? `line ${where.line}, column ${where.column}: ` : ''}${(error as Error).message}`;
    throw new ConfigError(`${file}: not valid JSON: ${message}`, [{ path: '', message, ...(where ? { value: where } : {}) }], file);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const got = Array.isArray(json) ? 'an array' : json === null ? 'null' : `a ${typeof json}`;
    throw new ConfigError(`${file}: expected an object at the root of the session config ({"backtest": …, "store": …, "symbols": …}), got ${got}`, [{ path: '', message: `expected an object, got ${got}`, value: json, expected: 'an object' }], file);
  }
  return json as Record<string, unknown>;
}

/**
 * Read and validate a JSON session config file. A missing file or malformed JSON is a
 * {@link ConfigError} naming the file (and the JSON error position).
 */
export function readConfigFile(path: string): SessionConfig {
  const file = resolve(path);
  return parseConfig(readConfigJson(file), { baseDir: dirname(file), file });
}

const JSON_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * Line and column (1-based) of the first JSON syntax error in `text`, found by a small
 * recursive-descent scan that only validates; `undefined` when the scan finds none.
 */
function jsonErrorAt(text: string): { line: number; column: number } | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c < ' ') fail();
      i += c === '\\' ? 2 : 1;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const open = text[i];
    if (open === '{' || open === '[') {
      const close = open === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (open === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === close) return void i++;
        if (text[i] !== ',') fail();
        i++;
      }
    }
    if (open === '"') return string();
    JSON_LITERAL.lastIndex = i;
    const literal = JSON_LITERAL.exec(text);
    if (!literal || literal[0] === '') fail();
    i += literal![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    const before = text.slice(0, at).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1 };
  }
}

/** Typed identity helper so TS configs get checking and completion. */
export function defineConfig(config: SessionConfigInput): SessionConfigInput {
  return config;
}

/**
 * One valibot issue as a {@link ConfigProblem}: its JSON path, the value and what was
 * expected in the schema's own words (also used for extensions' params schemas).
 */
export function toProblem(issue: v.BaseIssue<unknown>): ConfigProblem {
  const keys = (issue.path ?? []).map((item) => item.key);
  const path = keys
    .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
    .join('')
    .replace(/^\./, '');
  const objectIssue = issue.kind === 'schema' && (issue.type === 'strict_object' || issue.type === 'object');
  // valibot reports unknown keys of strict objects as "never"; say what is allowed instead
  // (and the likely typo, e.g. "symbol" for "symbols").
  if (objectIssue && issue.expected === 'never') {
    const key = String(keys.at(-1));
    const allowed = allowedKeys(keys.slice(0, -1));
    const guess = closestKey(key, allowed);
    return { path, value: key, expected: `one of the keys ${allowed.join(', ')}`, message: `unknown key ${quote(key)}${guess ? ` (did you mean ${quote(guess)}?)` : ''}; allowed: ${allowed.join(', ')}` };
  }
  // A missing key: valibot's `expected` is the key's own name, which read as
  // 'missing required value (expected "symbols")'; name the key instead.
  if (objectIssue && issue.received === 'undefined' && keys.length > 0) {
    return { path, expected: `a value for the required key ${quote(keys.at(-1))}`, message: `missing required key ${quote(keys.at(-1))}` };
  }
  // Prefer the schema's human wording ("a speed >= 0 (0 = data-driven)") over valibot's
  // internal requirement (">=0", a regex source); default messages start with "Invalid".
  const human = /^Invalid /.test(issue.message) ? undefined : issue.message;
  const expected = human ?? issue.expected ?? undefined;
  const message = issue.received === 'undefined' ? `missing required value (expected ${expected ?? 'a value'})` : `${issue.message.replace(/^Invalid [^:]*: /, '')}; got ${quote(issue.input)}`;
  return { path, message, value: issue.input, ...(expected ? { expected } : {}) };
}

type SchemaNode = { type?: string; entries?: Record<string, unknown>; item?: unknown; value?: unknown; wrapped?: unknown; getter?: (input: unknown) => unknown } | undefined;

/** The keys a (strict) object of the config schema allows at `keys` (array indices step into items). */
function allowedKeys(keys: readonly unknown[]): string[] {
  const unwrap = (node: SchemaNode): SchemaNode => {
    // A lazy schema (the calendar field: a name or a definition object) is asked for its object form.
    while (node?.wrapped || node?.getter) node = (node.wrapped ?? node.getter!({})) as SchemaNode;
    return node;
  };
  let node = unwrap(SessionConfigSchema as SchemaNode);
  // A record (broker.instruments, store.layouts) steps into its value schema whatever the key:
  // without it an unknown key under `"*"` listed no allowed keys at all.
  for (const key of keys) node = unwrap((typeof key === 'number' ? node?.item : (node?.entries?.[String(key)] ?? (node?.type === 'record' ? node.value : undefined))) as SchemaNode);
  return Object.keys(node?.entries ?? {});
}

/** The allowed key a typo most likely meant (edit distance <= 2, or one is a prefix of the other). */
function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of allowed) {
    const n = name.toLowerCase();
    const d = n.startsWith(k) || k.startsWith(n) ? Math.min(1, editDistance(k, n)) : editDistance(k, n);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

const asRecord = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * Cross-field rules the schema cannot express, checked on the raw input so they are
 * reported together with the schema's problems; `invalid(path)` says a field already has
 * a schema problem (and is left out here), defaults are applied as the schema would.
 */
function semanticProblems(input: unknown, invalid: (path: string) => boolean): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const root = asRecord(input);
  const backtest = asRecord(root.backtest);
  const { start, end } = backtest;
  if (typeof start === 'string' && typeof end === 'string' && !invalid('backtest.start') && !invalid('backtest.end') && end < start) {
    problems.push({ path: 'backtest.end', value: end, expected: `a date on or after backtest.start (${start})`, message: `ends before it starts (start ${start})` });
  }
  const streams: unknown = root.streams === undefined ? ['1m'] : root.streams;
  if (!Array.isArray(streams)) return problems;
  const parsed = streams.map((s, i) => (typeof s === 'string' && !invalid(`streams[${i}]`) ? parseInterval(s) : undefined));
  const valid = parsed.filter((p) => p !== undefined);
  const base = valid.length > 0 ? valid.reduce((a, b) => (b.ms < a.ms ? b : a)) : undefined;
  streams.forEach((text, i) => {
    const interval = parsed[i];
    if (!interval || !base) return;
    if (interval.sessions === 0 && interval.ms % base.ms !== 0) problems.push({ path: `streams[${i}]`, value: text, expected: `a multiple of the base interval ${base.name}`, message: `${String(text)} is not a whole multiple of the base interval ${base.name}` });
    if (streams.indexOf(text) !== i) problems.push({ path: `streams[${i}]`, value: text, expected: 'each interval once', message: `${String(text)} is listed twice` });
  });
  const listed = streams.map(String).join(', ');
  const indicators = Array.isArray(root.indicators) ? root.indicators : [];
  indicators.forEach((ind, i) => {
    const interval = asRecord(ind).interval;
    // "1d" names a session-level indicator (computed from daily bars); the pipeline checks the
    // indicator really is one, since only the registry knows.
    if (typeof interval === 'string' && interval !== '1d' && !invalid(`indicators[${i}].interval`) && !streams.includes(interval)) {
      problems.push({ path: `indicators[${i}].interval`, value: interval, expected: `one of the streams (${listed}), or "1d" for a session-level indicator`, message: `interval ${interval} is not a configured stream (${listed})` });
    }
  });
  const history = Array.isArray(root.history) ? root.history : [];
  history.forEach((h, i) => {
    const intervals = asRecord(h).intervals;
    if (!base || !Array.isArray(intervals)) return;
    intervals.forEach((text, j) => {
      if (typeof text !== 'string' || invalid(`history[${i}].intervals[${j}]`)) return;
      const interval = parseInterval(text);
      if (interval.sessions === 0 && interval.ms % base.ms !== 0) problems.push({ path: `history[${i}].intervals[${j}]`, value: text, expected: `a multiple of the base interval ${base.name} or "1d"`, message: `${text} cannot be derived from the base interval ${base.name}` });
    });
  });
  return problems;
}
