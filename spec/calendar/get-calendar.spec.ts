import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { getCalendar, listCalendars } from '../../lib/calendar/get-calendar.ts';

test('getCalendar: returns one shared XNYS instance for every US equity alias', (t) => {
  const xnys = getCalendar('XNYS');
  t.is(xnys.name, 'XNYS');
  for (const alias of ['NYSE', 'XNAS', 'NASDAQ', 'US_EQUITY', 'nyse']) t.is(getCalendar(alias), xnys, alias);
});

test('getCalendar: returns the 24/7 calendar', (t) => {
  t.is(getCalendar('24/7').name, '24/7');
  t.is(getCalendar('24/7'), getCalendar('24/7'));
});

test('getCalendar: rejects an unknown name with a ConfigError listing the known names', (t) => {
  const error = t.throws(() => getCalendar('XLON'), { instanceOf: ConfigError });
  t.regex(error!.message, /^calendar: /);
  t.regex(error!.message, /"XLON"/);
  for (const name of ['XNYS', 'NYSE', 'XNAS', 'NASDAQ', 'US_EQUITY', '24/7']) t.true(error!.message.includes(`"${name}"`), name);
  t.is(error!.problems[0]?.path, 'calendar');
});

test('getCalendar: does not resolve names inherited from Object.prototype', (t) => {
  t.throws(() => getCalendar('constructor'), { instanceOf: ConfigError });
});

test('listCalendars: lists the canonical calendar names', (t) => {
  t.deepEqual(listCalendars(), ['XNYS', '24/7']);
});
