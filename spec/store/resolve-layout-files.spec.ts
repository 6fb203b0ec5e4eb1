import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { resolveLayoutFiles } from '../../lib/store/resolve-layout-files.ts';

test('resolveLayoutFiles: refuses a wildcard in a folder name', (t) => {
  t.throws(() => resolveLayoutFiles({ root: '/data', layout: '{interval}/*/{symbol}.parquet' }, { symbol: 'SPY', interval: '1m', date: '2024-01-02' }), { instanceOf: ConfigError, message: /"\*" in the file name only/ });
});

test('resolveLayoutFiles: a missing partition folder matches no file and a plain template names its one file', (t) => {
  const key = { symbol: 'SPY', interval: '1m', date: '2024-01-02' };
  t.deepEqual(resolveLayoutFiles({ root: '/nonexistent-root', layout: '{interval}/symbol={symbol}/date={date}/*.parquet' }, key), { pattern: '/nonexistent-root/1m/symbol=SPY/date=2024-01-02/*.parquet', files: [] });
  t.deepEqual(resolveLayoutFiles({ root: '/data', layout: '{interval}/{symbol}.parquet' }, key).files, ['/data/1m/SPY.parquet']);
});
