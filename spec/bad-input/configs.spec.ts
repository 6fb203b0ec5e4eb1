/**
 * Bad-input matrix, session configs (issue 15, point 7): each case writes one real config
 * file next to a small demo store and runs `sessionflow validate` on it in process, as text
 * and with `--json`. The answer must be exit 1 naming the config file (or the module file it
 * points at), the JSON path and the offending value, with no stack trace.
 */
import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoConfig, makeDemoStore, writeJson } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { jsonAnswer, refused } from './helpers.ts';

type Config = Record<string, unknown> & { store: Record<string, unknown> };

interface ConfigCase {
  readonly title: string;
  /** Top-level keys replacing the valid demo config's, or a function of the whole config. */
  readonly config?: Record<string, unknown> | ((config: Config) => unknown);
  /** The file's raw content instead of a config object. */
  readonly text?: string | Uint8Array;
  /** What the message names besides the config file; `DIR` is replaced by the config's folder. */
  readonly names: readonly string[];
  /** The JSON path the `--json` answer's problems list (when the error is a config problem list). */
  readonly path?: string;
  /** The message names another file (a module) instead of the config file. */
  readonly notTheConfigFile?: true;
}

/** Keys of the store section replaced. */
const store = (keys: Record<string, unknown>) => (c: Config): Config => ({ ...c, store: { ...c.store, ...keys } });
/** The config without `key`. */
const without = (key: string) => (c: Config): Config => Object.fromEntries(Object.entries(c).filter(([k]) => k !== key)) as Config;
const EMA = { name: 'ema-crossover', params: { fast: 9, slow: 21, interval: '5m' } };

const CASES: readonly ConfigCase[] = [
  // --- the file itself ---
  { title: 'malformed JSON names the line and column', text: '{\n  "name": "x",\n  "symbols": ,\n}\n', names: ['not valid JSON: line 3, column 14'] },
  { title: 'a trailing comma names its position', text: '{"name": "x",}', names: ['not valid JSON: line 1, column 14'] },
  { title: 'an unclosed object names where it ends', text: '{"name": "x"', names: ['not valid JSON: line 1, column 13', 'Expected'] },
  { title: 'an empty file is not valid JSON', text: '', names: ['not valid JSON: line 1, column 1', 'Unexpected end of JSON input'] },
  { title: 'binary bytes are not valid JSON', text: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]), names: ['not valid JSON: line 1, column 1'] },
  { title: 'a JSON array at the root says "expected an object"', text: '[{"name": "x"}]', names: ['expected an object at the root of the session config', 'got an array'] },
  { title: 'a string at the root says "expected an object"', text: '"session"', names: ['expected an object', 'got a string'] },
  { title: 'null at the root says "expected an object"', text: 'null', names: ['expected an object', 'got null'] },
  { title: 'a number at the root says "expected an object"', text: '42', names: ['expected an object', 'got a number'] },
  { title: 'a BOM is accepted and the problem after it still named', text: '\uFEFF{"symbol": ["X"]}', names: ['symbol: unknown key "symbol" (did you mean "symbols"?)'], path: 'symbol' },
  // --- top level ---
  { title: 'an unknown top-level key suggests the key meant', config: { symbol: ['DEMO01'] }, names: ['symbol: unknown key "symbol" (did you mean "symbols"?)', 'allowed: name, calendar'], path: 'symbol' },
  { title: 'strict as a string names the value', config: { strict: 'yes' }, names: ['strict:', 'got "yes"'], path: 'strict' },
  { title: 'an empty name names the value', config: { name: '' }, names: ['name: a non-empty name; got ""'], path: 'name' },
  { title: 'a benchmark that is not one of the symbols', config: { benchmark: 'SPY' }, names: ['benchmark: expected one of symbols (DEMO01, DEMO02), got "SPY"'], path: 'benchmark' },
  { title: 'a benchmark outside the symbols with strategies is named at benchmark, not broker.benchmark', config: { benchmark: 'SPY', strategies: [EMA] }, names: ['  benchmark: expected one of symbols', '"SPY"'], path: 'benchmark' },
  { title: 'quality.maxJump of 0', config: { quality: { maxJump: 0 } }, names: ['quality.maxJump: a fraction > 0', 'got 0'], path: 'quality.maxJump' },
  { title: 'a misspelt quality key', config: { quality: { maxjump: 0.1 } }, names: ['quality.maxjump: unknown key "maxjump" (did you mean "maxJump"?)'], path: 'quality.maxjump' },
  { title: 'a universe that is a number', config: { universe: 42 }, names: ['universe: a list of symbols, {"file": "universe.txt"} or "store"; got 42'], path: 'universe' },
  { title: 'a universe file that does not exist', config: { universe: { file: 'no-universe.txt' }, scanners: [{ name: 'top-dollar-volume' }] }, names: ['universe.file: expected a readable file of symbols (no such file)', 'DIR/no-universe.txt'], path: 'universe.file' },
  { title: 'a universe file with a bad symbol names its line', config: { universe: { file: 'bad-universe.txt' }, scanners: [{ name: 'top-dollar-volume' }] }, names: ['universe.file: DIR/bad-universe.txt:2: "DEMO02!" is not a symbol'], path: 'universe.file' },
  // --- backtest ---
  { title: 'backtest dates reversed', config: { backtest: { start: '2024-01-04', end: '2024-01-02' } }, names: ['backtest.end: ends before it starts (start 2024-01-04)'], path: 'backtest.end' },
  { title: 'a start that is not a date', config: { backtest: { start: 'yesterday', end: '2024-01-04' } }, names: ['backtest.start: a date "YYYY-MM-DD"; got "yesterday"'], path: 'backtest.start' },
  { title: 'February 30th', config: { backtest: { start: '2024-02-30', end: '2024-03-04' } }, names: ['backtest.start: a real calendar date; got "2024-02-30"'], path: 'backtest.start' },
  { title: 'a range of weekend days only', config: { backtest: { start: '2024-01-06', end: '2024-01-07' } }, names: ['backtest: expected a date range containing at least one XNYS session', '"2024-01-06"'], path: 'backtest' },
  { title: 'a range that is only a holiday', config: { backtest: { start: '2024-01-01', end: '2024-01-01' } }, names: ['backtest: expected a date range containing at least one XNYS session', '"2024-01-01"'], path: 'backtest' },
  { title: 'a negative speed', config: { backtest: { start: '2024-01-02', end: '2024-01-04', speed: -1 } }, names: ['backtest.speed: a speed >= 0 (0 = data-driven); got -1'], path: 'backtest.speed' },
  { title: 'a speed as text', config: { backtest: { start: '2024-01-02', end: '2024-01-04', speed: 'fast' } }, names: ['backtest.speed:', 'got "fast"'], path: 'backtest.speed' },
  { title: 'no backtest section', config: without('backtest'), names: ['backtest: missing required key "backtest"'], path: 'backtest' },
  { title: 'no backtest end', config: { backtest: { start: '2024-01-02' } }, names: ['backtest.end: missing required key "end"'], path: 'backtest.end' },
  { title: 'an unknown backtest key', config: { backtest: { start: '2024-01-02', end: '2024-01-04', stop: '2024-01-05' } }, names: ['backtest.stop: unknown key "stop"; allowed: start, end, speed'], path: 'backtest.stop' },
  // --- calendar ---
  { title: 'an unknown calendar name lists the known ones', config: { calendar: 'XLON' }, names: ['calendar: expected one of "XNYS"', 'got "XLON"'], path: 'calendar' },
  { title: 'a calendar that is a number', config: { calendar: 42 }, names: ['calendar:', 'got 42'], path: 'calendar' },
  { title: 'a custom calendar opening at 25:00', config: { calendar: { timezone: 'Europe/London', open: '25:00', close: '16:30' } }, names: ['calendar.open: a time "HH:MM"', 'got "25:00"'], path: 'calendar.open' },
  { title: 'a custom calendar in an unknown time zone', config: { calendar: { timezone: 'Mars/Base', open: '08:00', close: '16:30' } }, names: ['calendar.timezone: an IANA time zone', 'got "Mars/Base"'], path: 'calendar.timezone' },
  { title: 'a calendar that extends XNYS and sets a time zone', config: { calendar: { extends: 'XNYS', timezone: 'Europe/London' } }, names: ['calendar.timezone: a key that is not given together with "extends"', '"Europe/London"'], path: 'calendar.timezone' },
  // --- symbols ---
  { title: 'no symbols', config: { symbols: [] }, names: ['symbols: at least one symbol; got []'], path: 'symbols' },
  { title: 'a symbol listed twice', config: { symbols: ['DEMO01', 'DEMO01'] }, names: ['symbols: symbols without duplicates; got ["DEMO01","DEMO01"]'], path: 'symbols' },
  { title: 'a symbol with a space', config: { symbols: ['DEMO 01'] }, names: ['symbols[0]: a symbol such as "AAPL" or "BRK.B"; got "DEMO 01"'], path: 'symbols[0]' },
  { title: 'symbols as one string', config: { symbols: 'DEMO01' }, names: ['symbols:', 'got "DEMO01"'], path: 'symbols' },
  { title: 'a symbol the store does not hold suggests one it does', config: { symbols: ['DEMO01', 'DEMO99'] }, names: ['symbols[1]: the store has no symbol "DEMO99" at 1m (did you mean "DEMO01"?); it holds 2 symbols: DEMO01, DEMO02'], path: 'symbols[1]' },
  { title: 'a symbol in the wrong case suggests the stored spelling', config: { symbols: ['demo01'] }, names: ['symbols[0]: the store has no symbol "demo01" at 1m (did you mean "DEMO01"?)'], path: 'symbols[0]' },
  // --- streams and history ---
  { title: 'a stream that is not an interval', config: { streams: ['5x'] }, names: ['streams[0]: an interval like "1m", "5m", "1h" or "1d"; got "5x"'], path: 'streams[0]' },
  { title: 'a stream that is not a multiple of the base', config: { streams: ['2m', '5m'] }, names: ['streams[1]: 5m is not a whole multiple of the base interval 2m'], path: 'streams[1]' },
  { title: 'a stream listed twice', config: { streams: ['1m', '5m', '5m'] }, names: ['streams[2]: 5m is listed twice'], path: 'streams[2]' },
  { title: 'daily and intraday streams mixed', config: { streams: ['1m', '1d'] }, names: ['streams: intraday intervals such as ["1m", "5m"], or ["1d"] alone for daily bars; got ["1m","1d"]'], path: 'streams' },
  { title: 'no streams', config: { streams: [] }, names: ['streams: at least one stream interval; got []'], path: 'streams' },
  { title: 'negative trailing sessions', config: { history: [{ trailingSessions: -1, intervals: ['1m'] }] }, names: ['history[0].trailingSessions:', 'got -1'], path: 'history[0].trailingSessions' },
  { title: 'more than ten years of history', config: { history: [{ trailingSessions: 5000, intervals: ['1m'] }] }, names: ['history[0].trailingSessions: at most 2520 sessions (10 years); got 5000'], path: 'history[0].trailingSessions' },
  { title: 'history without intervals', config: { history: [{ trailingSessions: 2 }] }, names: ['history[0].intervals: missing required key "intervals"'], path: 'history[0].intervals' },
  { title: 'a history interval that cannot be derived', config: { history: [{ trailingSessions: 2, intervals: ['90s'] }] }, names: ['history[0].intervals[0]: 90s cannot be derived from the base interval 1m'], path: 'history[0].intervals[0]' },
  // --- indicators ---
  { title: 'an unknown indicator suggests the one meant', config: { indicators: [{ name: 'emma', period: 9, interval: '5m' }] }, names: ['indicators[0].name: expected a registered indicator', 'got "emma"; did you mean "ema"?'], path: 'indicators[0].name' },
  { title: 'an indicator period of 0', config: { indicators: [{ name: 'ema', period: 0, interval: '5m' }] }, names: ['indicators[0].period: a period >= 1; got 0'], path: 'indicators[0].period' },
  { title: 'a fractional indicator period', config: { indicators: [{ name: 'ema', period: 2.5, interval: '5m' }] }, names: ['indicators[0].period: a whole number; got 2.5'], path: 'indicators[0].period' },
  { title: 'an indicator period as text', config: { indicators: [{ name: 'ema', period: '9', interval: '5m' }] }, names: ['indicators[0].period:', 'got "9"'], path: 'indicators[0].period' },
  { title: 'a MACD slow period that is not a number is reported at params.slow', config: { indicators: [{ name: 'macd', period: 12, interval: '5m', params: { slow: 'x' } }] }, names: ['indicators[0].params.slow: expected a whole number > fast (12), got "x"'], path: 'indicators[0].params.slow' },
  { title: 'a MACD slow period not above the fast one', config: { indicators: [{ name: 'macd', period: 26, interval: '5m', params: { slow: 12 } }] }, names: ['indicators[0].params.slow: expected a whole number > fast (26), got 12'], path: 'indicators[0].params.slow' },
  { title: 'an indicator interval that is not a stream', config: { indicators: [{ name: 'ema', period: 9, interval: '15m' }] }, names: ['indicators[0].interval: interval 15m is not a configured stream (1m, 5m)'], path: 'indicators[0].interval' },
  { title: 'an indicator without an interval', config: { indicators: [{ name: 'ema', period: 9 }] }, names: ['indicators[0].interval: missing required key "interval"'], path: 'indicators[0].interval' },
  { title: 'a bar indicator on 1d in an intraday run', config: { indicators: [{ name: 'ema', period: 9, interval: '1d' }] }, names: ['indicators[0].interval: expected an intraday stream interval', 'got "1d"'], path: 'indicators[0].interval' },
  { title: 'an indicator written over the close', config: { indicators: [{ name: 'ema', period: 9, interval: '5m', as: 'close' }] }, names: ['indicators[0].as: the column "close" is a bar column of 5m bars: ema would overwrite it'], path: 'indicators[0].as' },
  { title: 'an indicator written over the bar end', config: { indicators: [{ name: 'ema', period: 9, interval: '1m', as: 'end' }] }, names: ['indicators[0].as: the column "end" is a bar column of 1m bars'], path: 'indicators[0].as' },
  { title: 'two indicators with the same "as"', config: { indicators: [{ name: 'ema', period: 9, interval: '5m', as: 'x' }, { name: 'sma', period: 9, interval: '5m', as: 'x' }] }, names: ['indicators[1].as: the column "x" on 5m is already written by indicators[0] (ema)'], path: 'indicators[1].as' },
  { title: 'the same indicator twice under its default column', config: { indicators: [{ name: 'ema', period: 9, interval: '5m' }, { name: 'ema', period: 9, interval: '5m' }] }, names: ['indicators[1].as: the column "ema_9" on 5m is already written by indicators[0] (ema)'], path: 'indicators[1].as' },
  { title: 'an "as" that is not a column name', config: { indicators: [{ name: 'ema', period: 9, interval: '5m', as: '9-x' }] }, names: ['indicators[0].as: a column name (letters, digits, _); got "9-x"'], path: 'indicators[0].as' },
  { title: 'an indicator with both name and module', config: { indicators: [{ name: 'ema', module: './wrong-export.mjs', period: 9, interval: '5m' }] }, names: ['indicators[0]: expected exactly one of "name" (a registered indicator) or "module"', '"ema"'], path: 'indicators[0]' },
  { title: 'an indicator with neither name nor module', config: { indicators: [{ period: 9, interval: '5m' }] }, names: ['indicators[0]: expected exactly one of "name"', '{"period":9,"interval":"5m"}'], path: 'indicators[0]' },
  { title: 'an export without a module', config: { indicators: [{ name: 'ema', export: 'x', period: 9, interval: '5m' }] }, names: ['indicators[0].export: expected no "export" without "module", got "x"'], path: 'indicators[0].export' },
  { title: 'an unknown indicator parameter', config: { indicators: [{ name: 'macd', interval: '5m', params: { slw: 26 } }] }, names: ['indicators[0].params.slw: expected one of slow, signal, got 26'], path: 'indicators[0].params.slw' },
  { title: 'an indicator module that does not exist', config: { indicators: [{ module: './no-module.mjs', interval: '5m' }] }, names: ['indicators[0].module: DIR/no-module.mjs does not exist'], notTheConfigFile: true },
  { title: 'an indicator module exporting something else', config: { indicators: [{ module: './wrong-export.mjs', interval: '5m' }] }, names: ['indicators[0].module: expected a module whose default export is an indicator definition', 'DIR/wrong-export.mjs has a default export that is not one; its exports: default, "other"'], notTheConfigFile: true },
  { title: 'an indicator module without the named export', config: { indicators: [{ module: './wrong-export.mjs', export: 'missing', interval: '5m' }] }, names: ['indicators[0].export:', 'has no export "missing"', 'DIR/wrong-export.mjs'], notTheConfigFile: true },
  { title: 'an indicator module that throws when loaded', config: { indicators: [{ module: './throws.mjs', interval: '5m' }] }, names: ['indicators[0].module: DIR/throws.mjs cannot be loaded: boom at import'], notTheConfigFile: true },
  { title: 'an indicator module with a syntax error', config: { indicators: [{ module: './syntax-error.mjs', interval: '5m' }] }, names: ['indicators[0].module: DIR/syntax-error.mjs cannot be loaded:'], notTheConfigFile: true },
  // --- strategies ---
  { title: 'an unknown strategy lists the registered ones', config: { strategies: [{ name: 'ema-cross' }] }, names: ['strategies[0].name: expected a registered strategy (daily-sma-crossover, ema-crossover, opening-range-breakout, sma-crossover), got "ema-cross"'], path: 'strategies[0].name' },
  { title: 'a strategy parameter of the wrong type', config: { strategies: [{ name: 'ema-crossover', params: { fast: 'ten', slow: 21, interval: '5m' } }] }, names: ['strategies[0].params.fast:', 'got "ten"'], path: 'strategies[0].params.fast' },
  { title: 'a strategy interval that is not a stream', config: { strategies: [{ name: 'ema-crossover', params: { fast: 9, slow: 21, interval: '15m' } }] }, names: ['strategies[0].params.interval: expected one of the streams (1m, 5m), got "15m"'], path: 'strategies[0].params.interval' },
  { title: 'a fast period above the slow one', config: { strategies: [{ name: 'ema-crossover', params: { fast: 30, slow: 21, interval: '5m' } }] }, names: ['strategies[0].params.fast: expected a period smaller than slow (21), got 30'], path: 'strategies[0].params.fast' },
  { title: 'a misspelt strategy parameter', config: { strategies: [{ name: 'ema-crossover', params: { fats: 9 } }] }, names: ['strategies[0].params.fats: unknown parameter "fats" (did you mean "fast"?)'], path: 'strategies[0].params.fats' },
  { title: 'a strategy module whose default export is a number', config: { strategies: [{ module: './number-export.mjs' }] }, names: ['strategies[0].module: expected a module whose default export is a strategy made with defineStrategy', 'DIR/number-export.mjs'], notTheConfigFile: true },
  { title: 'a strategy module that does not exist', config: { strategies: [{ module: './no-strategy.ts' }] }, names: ['strategies[0].module: DIR/no-strategy.ts does not exist'], notTheConfigFile: true },
  // --- scanners ---
  { title: 'an unknown scanner suggests the one meant', config: { scanners: [{ name: 'gapp' }] }, names: ['scanners[0].name: expected a registered scanner', 'got "gapp"; did you mean "gap"?'], path: 'scanners[0].name' },
  { title: 'a scan time of 25:00', config: { scanners: [{ name: 'top-dollar-volume', schedule: ['25:00'] }] }, names: ['scanners[0].schedule[0]: expected a time of day between "00:00" and "24:00", got "25:00"'], path: 'scanners[0].schedule[0]' },
  { title: 'a scan repeating every 0m', config: { scanners: [{ name: 'top-dollar-volume', schedule: ['every 0m'] }] }, names: ['scanners[0].schedule[0]:', 'got "every 0m"'], path: 'scanners[0].schedule[0]' },
  { title: 'a negative scanner count', config: { scanners: [{ name: 'top-dollar-volume', params: { count: -3 } }] }, names: ['scanners[0].params.count: at least 1; got -3'], path: 'scanners[0].params.count' },
  { title: 'maxAdds above 1000', config: { scanners: [{ name: 'top-dollar-volume', maxAdds: 5000 }] }, names: ['scanners[0].maxAdds: at most 1000; got 5000'], path: 'scanners[0].maxAdds' },
  { title: 'the same scanner twice without "as"', config: { scanners: [{ name: 'top-dollar-volume' }, { name: 'top-dollar-volume' }] }, names: ['scanners[1].as: expected a name not used by another scanner ("top-dollar-volume" is taken; set "as")'], path: 'scanners[1].as' },
  { title: 'a scanner module exporting something else', config: { scanners: [{ module: './wrong-export.mjs' }] }, names: ['scanners[0].module: expected a module whose default export is a scanner definition', 'DIR/wrong-export.mjs'], notTheConfigFile: true },
  // --- broker ---
  { title: 'zero starting cash', config: { broker: { cash: 0 } }, names: ['broker.cash: a number > 0; got 0'], path: 'broker.cash' },
  { title: 'cash as text', config: { broker: { cash: '100' } }, names: ['broker.cash:', 'got "100"'], path: 'broker.cash' },
  { title: 'an unknown commission type', config: { broker: { commission: { type: 'flat', amount: 1 } } }, names: ['broker.commission.type: a commission type', 'got "flat"'], path: 'broker.commission.type' },
  { title: 'a per-share commission without a rate', config: { broker: { commission: { type: 'per-share' } } }, names: ['broker.commission.rate: missing required key "rate"'], path: 'broker.commission.rate' },
  { title: 'negative slippage', config: { broker: { slippage: { type: 'bps', bps: -1 } } }, names: ['broker.slippage.bps: an amount >= 0; got -1'], path: 'broker.slippage.bps' },
  { title: 'a cash buffer of 100 %', config: { broker: { cashBuffer: 1 } }, names: ['broker.cashBuffer: a fraction below 1; got 1'], path: 'broker.cashBuffer' },
  { title: 'a participation above 1', config: { broker: { maxParticipation: 2 } }, names: ['broker.maxParticipation: a fraction <= 1; got 2'], path: 'broker.maxParticipation' },
  { title: 'leverage 0', config: { broker: { risk: { leverage: 0 } } }, names: ['broker.risk.leverage: a number > 0; got 0'], path: 'broker.risk.leverage' },
  { title: 'a daily loss limit of 150 %', config: { broker: { risk: { maxDailyLoss: 1.5 } } }, names: ['broker.risk.maxDailyLoss: a fraction below 1 (0.02 = 2 %); got 1.5'], path: 'broker.risk.maxDailyLoss' },
  { title: 'an unknown risk key lists the allowed ones', config: { broker: { risk: { maxLoss: 0.1 } } }, names: ['broker.risk.maxLoss: unknown key "maxLoss"; allowed: leverage,'], path: 'broker.risk.maxLoss' },
  { title: 'quotes from columns the store does not load', config: { broker: { quotes: { bid: 'bid', ask: 'ask' } } }, names: ['broker.quotes.bid: expected a name of store.columns.extra (none configured), got "bid"'], path: 'broker.quotes.bid' },
  { title: 'a tick size of 0 for one instrument', config: { broker: { instruments: { DEMO01: { tickSize: 0 } } } }, names: ['broker.instruments.DEMO01.tickSize: a number > 0; got 0'], path: 'broker.instruments.DEMO01.tickSize' },
  { title: 'an unknown instrument key lists the allowed ones', config: { broker: { instruments: { '*': { lot: 100 } } } }, names: ['broker.instruments.*.lot: unknown key "lot" (did you mean "lotSize"?); allowed: multiplier,'], path: 'broker.instruments.*.lot' },
  // --- store ---
  { title: 'a store root that does not exist', config: store({ root: 'no-store' }), names: ['store.root: store root DIR/no-store: no such folder'], path: 'store.root' },
  { title: 'a store root that is a file', config: store({ root: 'a-file.txt' }), names: ['store.root: store root DIR/a-file.txt: it is a file, not a folder'], path: 'store.root' },
  { title: 'an empty store root', config: store({ root: '' }), names: ['store.root: a folder path; got ""'], path: 'store.root' },
  { title: 'a layout not ending in .parquet', config: store({ layout: '{interval}/{symbol}/{date}.csv' }), names: ['store.layout: a layout template ending in ".parquet"; got "{interval}/{symbol}/{date}.csv"'], path: 'store.layout' },
  { title: 'a layout without {symbol} for two symbols', config: store({ layout: '{interval}/DEMO01/{yyyy}/{mm}/{date}.parquet' }), names: ['store.layout: layout "{interval}/DEMO01/{yyyy}/{mm}/{date}.parquet" has no {symbol} and store.columns.symbol is not set, so all 2 symbols (DEMO01, DEMO02) would get the same file\'s bars'], path: 'store.layout' },
  { title: 'a layout that matches no file although store.json lists the symbols', config: store({ layout: '{symbol}/{date}.parquet' }), names: ['store.layout: no 1m file of DEMO01, DEMO02 in the backtest\'s sessions matches layout "{symbol}/{date}.parquet"', 'DIR/store/DEMO01/2024-01-02.parquet'], path: 'store.layout' },
  { title: 'an unknown layout placeholder', config: store({ layout: '{interval}/{symbol}/{yyyy}/{mm}/{day}.parquet' }), names: ['store.layout:', 'unknown placeholder {day}'], path: 'store.layout' },
  { title: 'a layouts key that is not an interval', config: store({ layouts: { daily: 'x/{symbol}.parquet' } }), names: ['store.layouts.daily: an interval like', 'got "daily"'], path: 'store.layouts.daily' },
  { title: 'a timestamp unit "sec"', config: store({ timestamp: { column: 'ts', unit: 'sec', label: 'start' } }), names: ['store.timestamp.unit: one of "s", "ms", "us", "ns"; got "sec"'], path: 'store.timestamp.unit' },
  { title: 'a timestamp label "middle"', config: store({ timestamp: { column: 'ts', label: 'middle' } }), names: ['store.timestamp.label: "start" or "end"; got "middle"'], path: 'store.timestamp.label' },
  { title: 'a timestamp column the files lack', config: store({ timestamp: { column: 'time', label: 'start' } }), names: ['store.timestamp.column: column "time" (timestamp) is not in DIR/store/1m/DEMO01/2024/01/2024-01-02.parquet (did you mean "ts"?)'], path: 'store.timestamp.column' },
  { title: 'a misspelt timestamp key', config: store({ timestamp: { column: 'ts', units: 'ms' } }), names: ['store.timestamp.units: unknown key "units" (did you mean "unit"?)'], path: 'store.timestamp.units' },
  { title: 'a close column the files lack', config: store({ columns: { close: 'Close' } }), names: ['store.columns.close: column "Close" (close) is not in DIR/store/1m/DEMO01/2024/01/2024-01-02.parquet (did you mean "close"?)'], path: 'store.columns.close' },
  { title: 'an unknown column key', config: store({ columns: { price: 'close' } }), names: ['store.columns.price: unknown key "price"; allowed: open, high, low, close, volume, symbol, extra'], path: 'store.columns.price' },
  { title: 'an extra column the files lack', config: store({ columns: { extra: { vwap: 'vwap' } } }), names: ['store.columns.extra.vwap: column "vwap" (extra column vwap) is not in DIR/store/1m/DEMO01/2024/01/2024-01-02.parquet'], path: 'store.columns.extra.vwap' },
  { title: 'an extra column name with a dash', config: store({ columns: { extra: { 'my-vwap': 'close' } } }), names: ['store.columns.extra.my-vwap: a name (letters, digits, _); got "my-vwap"'], path: 'store.columns.extra.my-vwap' },
  { title: 'a symbol column the files lack', config: store({ columns: { symbol: 'sym' } }), names: ['store.columns.symbol: column "sym" (symbol) is not in DIR/store/1m/DEMO01/2024/01/2024-01-02.parquet'], path: 'store.columns.symbol' },
  { title: 'a read-ahead of 300 sessions', config: store({ readAhead: 300 }), names: ['store.readAhead: at most 260 sessions; got 300'], path: 'store.readAhead' },
  { title: 'a fractional number of decode threads', config: store({ decodeThreads: 1.5 }), names: ['store.decodeThreads: a whole number of threads; got 1.5'], path: 'store.decodeThreads' },
  { title: 'an unknown store time zone', config: store({ timezone: 'Mars/Base' }), names: ['store.timezone: expected an IANA time zone', 'got "Mars/Base"'], path: 'store.timezone' },
  { title: 'a misspelt store key', config: store({ rooot: 'x' }), names: ['store.rooot: unknown key "rooot" (did you mean "root"?)'], path: 'store.rooot' },
  { title: 'no store section', config: without('store'), names: ['store: missing required key "store"'], path: 'store' },
];

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sessionflow-bad-configs-'));
  await makeDemoStore(join(dir, 'store'), { symbols: 2, start: '2024-01-02', sessions: 3, missingDay: false });
  await writeFile(join(dir, 'a-file.txt'), 'not a folder\n');
  await writeFile(join(dir, 'bad-universe.txt'), 'DEMO01\nDEMO02!\n');
  await writeFile(join(dir, 'wrong-export.mjs'), 'export default { kind: "nope" };\nexport const other = 1;\n');
  await writeFile(join(dir, 'number-export.mjs'), 'export default 42;\n');
  await writeFile(join(dir, 'throws.mjs'), 'throw new Error("boom at import");\n');
  await writeFile(join(dir, 'syntax-error.mjs'), 'export default {;\n');
  await mkdir(join(dir, 'configs'));
});
test.after.always(() => rm(dir, { recursive: true, force: true }));

/** The valid config every case starts from: the demo store, decoded on the main thread (no worker start-up per case). */
function baseConfig(): Config {
  const config = demoConfig('store') as Config;
  return { ...config, store: { ...config.store, decodeThreads: 0 } };
}

CASES.forEach((c, i) => {
  test(`config: ${c.title}`, async (t) => {
    // Configs sit next to the store and the modules, so relative paths resolve as written.
    const file = join(dir, `case-${i}.json`);
    if (c.text !== undefined) await writeFile(file, c.text);
    else await writeJson(file, typeof c.config === 'function' ? c.config(baseConfig()) : { ...baseConfig(), ...c.config });
    const names = c.names.map((n) => n.replaceAll('DIR', dir));

    const text = await runCli(['validate', file]);
    refused(t, text, 1, c.notTheConfigFile ? names : [file, ...names]);
    t.is(text.stdout, '');

    const json = jsonAnswer<{ ok: boolean; valid: boolean; error: string; problems: Array<{ path: string; value?: unknown }>; file?: string }>(t, await runCli(['validate', '--json', file]));
    t.false(json.ok);
    t.false(json.valid);
    for (const name of names) t.true(json.error.includes(name), json.error);
    if (c.path !== undefined) t.true(json.problems.some((p) => p.path === c.path), JSON.stringify(json.problems));
    if (!c.notTheConfigFile) t.is(json.file, file);
  });
});
