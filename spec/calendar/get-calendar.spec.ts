import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { getCalendar, listCalendars, registerCalendar } from '../../lib/calendar/get-calendar.ts';
import { createAlwaysOpenCalendar } from '../../lib/calendar/always-open.ts';
import { CALENDARS } from '../../lib/calendar/calendar-registry.ts';

test('getCalendar: returns one shared XNYS instance for every US equity alias', (t) => {
  const xnys = getCalendar('XNYS');
  t.is(xnys.name, 'XNYS');
  for (const alias of ['NYSE', 'XNAS', 'NASDAQ', 'US_EQUITY', 'nyse']) t.is(getCalendar(alias), xnys, alias);
});

test('getCalendar: returns the 24/7 and 24/5 calendars', (t) => {
  t.is(getCalendar('24/7').name, '24/7');
  t.is(getCalendar('24/7'), getCalendar('24/7'));
  t.is(getCalendar('24/5').name, '24/5');
  t.false(getCalendar('24/5').isSession('2024-03-09'));
});

test('getCalendar: rejects an unknown name with a ConfigError listing the known names', (t) => {
  const error = t.throws(() => getCalendar('XLON'), { instanceOf: ConfigError });
  t.regex(error!.message, /^calendar: /);
  t.regex(error!.message, /"XLON"/);
  for (const name of ['XNYS', 'NYSE', 'XNAS', 'NASDAQ', 'US_EQUITY', '24/7', '24/5']) t.true(error!.message.includes(`"${name}"`), name);
  t.is(error!.problems[0]?.path, 'calendar');
});

test('getCalendar: suggests the closest name or alias for a near miss, and nothing for a far one', (t) => {
  const typo = t.throws(() => getCalendar('XNSY'), { instanceOf: ConfigError });
  t.regex(typo.message, /^calendar: expected one of "XNYS", .*, got "XNSY"; did you mean "XNYS"\?$/);
  t.is(typo.problems[0]?.path, 'calendar');
  t.notRegex(typo.problems[0]!.expected!, /did you mean/);
  t.throws(() => getCalendar('nasdq'), { instanceOf: ConfigError, message: /did you mean "NASDAQ"\?$/ });
  t.throws(() => getCalendar('24/8'), { instanceOf: ConfigError, message: /did you mean "24\/7"\?$/ });
  t.notRegex(t.throws(() => getCalendar('XLON'), { instanceOf: ConfigError }).message, /did you mean/);
});

test('getCalendar: does not resolve names inherited from Object.prototype', (t) => {
  t.throws(() => getCalendar('constructor'), { instanceOf: ConfigError });
});

test('listCalendars: lists the canonical names, built-ins first, then registrations in order', (t) => {
  t.deepEqual(listCalendars().slice(0, 3), ['XNYS', '24/7', '24/5']);
});

test('registerCalendar: registers a definition under its name, case-insensitively, for getCalendar and extends', (t) => {
  const office = registerCalendar({ name: 'XNYS-OFFICE', extends: 'XNYS', holidays: [{ date: '2024-03-11', reason: 'Office move' }] });
  t.is(getCalendar('xnys-office'), office);
  t.false(office.isSession('2024-03-11'));
  t.true(listCalendars().includes('XNYS-OFFICE'));
  // A registered definition can itself be extended.
  const stricter = getCalendar({ extends: 'XNYS-OFFICE', holidays: ['2024-03-12'] });
  t.false(stricter.isSession('2024-03-11'));
  t.false(stricter.isSession('2024-03-12'));
  t.deepEqual(stricter.holidays('2024-03-11', '2024-03-12').map((h) => h.reason), ['Office move', 'Holiday']);
});

test('registerCalendar: registers a ready TradingCalendar under its name', (t) => {
  const crypto = { ...createAlwaysOpenCalendar(), name: 'CRYPTO-UTC' };
  t.is(registerCalendar(crypto), crypto);
  t.is(getCalendar('Crypto-UTC'), crypto);
});

test('registerCalendar: refuses a taken name, built-in names and aliases included, unless override', (t) => {
  registerCalendar({ name: 'DUP', timezone: 'UTC', open: '00:00', close: '24:00' });
  for (const name of ['DUP', 'dup', 'XNYS', 'NASDAQ', '24/7']) {
    const error = t.throws(() => registerCalendar({ name, timezone: 'UTC', open: '00:00', close: '12:00' }), { instanceOf: ConfigError }, name);
    t.regex(error.message, /override: true/, name);
  }
  const replaced = registerCalendar({ name: 'dup', timezone: 'UTC', open: '00:00', close: '12:00' }, { override: true });
  t.is(getCalendar('DUP'), replaced);
  t.is(listCalendars().filter((n) => n.toUpperCase() === 'DUP').length, 1);
  // Overriding an alias moves only that alias; XNYS keeps its others.
  const nasdaq = registerCalendar({ name: 'NASDAQ', extends: 'XNYS', holidays: ['2024-03-11'] }, { override: true });
  t.is(getCalendar('NASDAQ'), nasdaq);
  t.is(getCalendar('XNAS').name, 'XNYS');
});

test('registerCalendar: needs a name', (t) => {
  t.throws(() => registerCalendar({ timezone: 'UTC', open: '00:00', close: '24:00' }), { instanceOf: ConfigError, message: /calendar\.name/ });
});

test('registerCalendar: keeps a replaced registration\'s place in the listing; entries describe themselves and share one instance', (t) => {
  const cal = (name: string) => ({ ...createAlwaysOpenCalendar(), name });
  registerCalendar(cal('LAZY-A'));
  registerCalendar(cal('LAZY-B'));
  const replacement = registerCalendar(cal('lazy-a'), { override: true });
  t.is(getCalendar('LAZY-A'), replacement);
  const names = listCalendars();
  t.true(names.indexOf('lazy-a') < names.indexOf('LAZY-B'));
  t.false(names.includes('LAZY-A'));
  const entry = CALENDARS.entries.get('XNYS');
  t.is(entry.kind, 'calendar');
  t.true(entry.builtIn);
  t.is(entry.calendar(), entry.calendar());
  t.is(entry.calendar(), getCalendar('us_equity'));
});
