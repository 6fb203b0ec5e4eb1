import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { layoutIsPerDay, resolveLayout } from '../../lib/store/layout.ts';

const key = { symbol: 'SPY', interval: '1m', date: '2013-10-07' };
const at = (layout: string) => ({ root: '/data/bars', layout });

test('resolveLayout: fills {symbol}', (t) => {
  t.is(resolveLayout(at('{symbol}.parquet'), key), '/data/bars/SPY.parquet');
});

test('resolveLayout: fills {interval}', (t) => {
  t.is(resolveLayout(at('{interval}/all.parquet'), key), '/data/bars/1m/all.parquet');
});

test('resolveLayout: fills {yyyy}, {mm} and {dd} from the trading date', (t) => {
  t.is(resolveLayout(at('{yyyy}/{mm}/{dd}.parquet'), key), '/data/bars/2013/10/07.parquet');
});

test('resolveLayout: fills {date} as YYYY-MM-DD', (t) => {
  t.is(resolveLayout(at('{date}.parquet'), key), '/data/bars/2013-10-07.parquet');
});

test('resolveLayout: fills a full per-day template and a per-year template', (t) => {
  t.is(resolveLayout(at('{interval}/{symbol}/{yyyy}/{mm}/{date}.parquet'), key), '/data/bars/1m/SPY/2013/10/2013-10-07.parquet');
  t.is(resolveLayout(at('{interval}/{symbol}/{yyyy}.parquet'), key), '/data/bars/1m/SPY/2013.parquet');
});

test('resolveLayout: names an unknown placeholder in the ConfigError', (t) => {
  const error = t.throws(() => resolveLayout(at('{interval}/{symbl}.parquet'), key), { instanceOf: ConfigError });
  t.regex(error.message, /\{symbl\}/);
  t.is(error.problems[0]?.path, 'store.layout');
});

test('resolveLayout: refuses unbalanced braces', (t) => {
  t.throws(() => resolveLayout(at('{symbol.parquet'), key), { instanceOf: ConfigError, message: /balanced/ });
});

test('resolveLayout: refuses a relative root', (t) => {
  t.throws(() => resolveLayout({ root: 'data', layout: '{symbol}.parquet' }, key), { instanceOf: ConfigError, message: /store\.root/ });
});

test('resolveLayout: refuses a malformed date', (t) => {
  t.throws(() => resolveLayout(at('{date}.parquet'), { ...key, date: '2013-10-7' }), { instanceOf: ConfigError, message: /2013-10-7/ });
});

test('resolveLayout: refuses a symbol that would escape the store root', (t) => {
  t.throws(() => resolveLayout(at('{symbol}.parquet'), { ...key, symbol: '../etc/passwd' }), { instanceOf: ConfigError, message: /symbol/ });
  t.throws(() => resolveLayout(at('{symbol}/x.parquet'), { ...key, symbol: '..' }), { instanceOf: ConfigError });
  t.throws(() => resolveLayout(at('../{symbol}.parquet'), key), { instanceOf: ConfigError, message: /inside/ });
});

test('layoutIsPerDay: is true for {date} or {dd} and false for coarser files', (t) => {
  t.true(layoutIsPerDay('{symbol}/{date}.parquet'));
  t.true(layoutIsPerDay('{symbol}/{yyyy}/{mm}/{dd}.parquet'));
  t.false(layoutIsPerDay('{symbol}/{yyyy}/{mm}.parquet'));
  t.false(layoutIsPerDay('{interval}/{symbol}/{yyyy}.parquet'));
});
