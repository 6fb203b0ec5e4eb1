import test from 'ava';
import { ConfigError } from '../../lib/errors.ts';
import { closestName, Registry, unknownNameError, type RegistryItem } from '../../lib/registry.ts';

interface Widget extends RegistryItem {
  readonly kind: 'widget';
}

const widget = (name: string, description = name): Widget => ({ kind: 'widget', name, description });

function widgets(...names: string[]): Registry<Widget> {
  const registry = new Registry<Widget>('widget');
  for (const name of names) registry.register(widget(name));
  return registry;
}

test('Registry: refuses a taken name without override and names the holder', (t) => {
  const registry = widgets('Alpha');
  const error = t.throws(() => registry.register(widget('alpha', 'second')), { instanceOf: ConfigError });
  t.regex(error.message, /"alpha"/);
  t.regex(error.message, /"Alpha" is registered/);
  t.regex(error.message, /override: true/);
  t.is(error.problems[0]?.path, 'register.widget.name');
  t.is(registry.get('ALPHA').description, 'Alpha');
  t.deepEqual(registry.names(), ['Alpha']);
});

test('Registry: replaces a taken name with override, keeping the replaced item\'s place', (t) => {
  const registry = widgets('first', 'second', 'third');
  const replacement = registry.register(widget('SECOND', 'replacement'), { override: true });
  t.is(registry.get('second'), replacement);
  t.deepEqual(registry.names(), ['first', 'SECOND', 'third']);
  t.deepEqual(registry.accepted(), ['first', 'SECOND', 'third']);
  t.is(registry.list().length, 3);
});

test('Registry: matches names case-insensitively and trimmed, and keeps the registered spelling', (t) => {
  const registry = widgets('Top-Dollar-Volume');
  const item = registry.get('top-dollar-volume');
  t.is(registry.find('  TOP-DOLLAR-VOLUME '), item);
  t.true(registry.has('Top-dollar-volume'));
  t.false(registry.has('top-dollar'));
  t.is(registry.find('nope'), undefined);
  t.deepEqual(registry.names(), ['Top-Dollar-Volume']);
  t.deepEqual(registry.accepted(), ['Top-Dollar-Volume']);
});

test('Registry: does not resolve names inherited from Object.prototype', (t) => {
  const registry = widgets('a');
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) t.false(registry.has(name), name);
});

test('Registry: resolves aliases to the same item, lists the item once and accepts every spelling', (t) => {
  const registry = new Registry<Widget>('widget');
  const xnys = registry.register(widget('XNYS'), { aliases: ['NYSE', 'Nasdaq'] });
  registry.register(widget('24/7'));
  for (const name of ['xnys', 'nyse', 'NASDAQ']) t.is(registry.get(name), xnys, name);
  t.deepEqual(registry.names(), ['XNYS', '24/7']);
  t.deepEqual(registry.list(), [xnys, registry.get('24/7')]);
  t.deepEqual(registry.accepted(), ['XNYS', 'NYSE', 'Nasdaq', '24/7']);
});

test('Registry: refuses an alias that is taken, and registers nothing of a refused item', (t) => {
  const registry = widgets('a');
  t.throws(() => registry.register(widget('b'), { aliases: ['A'] }), { instanceOf: ConfigError, message: /"a" is registered.*got "A"$/ });
  t.false(registry.has('b'));
  t.deepEqual(registry.names(), ['a']);
});

test('Registry: refuses an empty name or alias', (t) => {
  const registry = new Registry<Widget>('widget');
  t.throws(() => registry.register(widget('  ')), { instanceOf: ConfigError, message: /register\.widget\.name: expected a non-empty widget name/ });
  t.throws(() => registry.register(widget('ok'), { aliases: ['fine', ''] }), { instanceOf: ConfigError, message: /register\.widget\.aliases\[1\]/ });
  t.deepEqual(registry.names(), []);
});

test('Registry: overriding an alias moves only that alias; the old item keeps its other names', (t) => {
  const registry = new Registry<Widget>('widget');
  const xnys = registry.register(widget('XNYS'), { aliases: ['NYSE', 'NASDAQ'] });
  const nasdaq = registry.register(widget('nasdaq', 'own calendar'), { override: true });
  t.is(registry.get('NASDAQ'), nasdaq);
  t.is(registry.get('NYSE'), xnys);
  t.deepEqual(registry.names(), ['XNYS', 'nasdaq']);
  t.deepEqual(registry.accepted(), ['XNYS', 'NYSE', 'nasdaq']);
});

test('Registry: an item that loses its last name by override leaves the listing', (t) => {
  const registry = new Registry<Widget>('widget');
  registry.register(widget('old'), { aliases: ['legacy'] });
  registry.register(widget('keep'));
  const replacement = registry.register(widget('new'), { aliases: ['old', 'legacy'], override: true });
  t.deepEqual(registry.list(), [replacement, registry.get('keep')]);
  t.is(registry.get('legacy'), replacement);
});

test('Registry: an unknown name is a ConfigError at the path, listing the names and suggesting a close one', (t) => {
  const registry = widgets('top-dollar-volume', 'gap-up', 'Opening-Range');
  const error = t.throws(() => registry.get('top-dolar-volume', 'scanners[2].name'), { instanceOf: ConfigError });
  t.is(error.message, 'scanners[2].name: expected a registered widget (gap-up, Opening-Range, top-dollar-volume), got "top-dolar-volume"; did you mean "top-dollar-volume"?');
  t.deepEqual(error.problems, [{ path: 'scanners[2].name', value: 'top-dolar-volume', expected: 'a registered widget (gap-up, Opening-Range, top-dollar-volume)', message: 'expected a registered widget (gap-up, Opening-Range, top-dollar-volume), got "top-dolar-volume"; did you mean "top-dollar-volume"?' }]);
});

test('Registry: suggests an alias as spelled when registered', (t) => {
  const registry = new Registry<Widget>('widget');
  registry.register(widget('XNYS'), { aliases: ['NASDAQ'] });
  t.throws(() => registry.get('nasdq'), { instanceOf: ConfigError, message: /did you mean "NASDAQ"\?$/ });
});

test('Registry: suggests nothing when no name is close', (t) => {
  const registry = widgets('top-dollar-volume', 'gap-up');
  const error = t.throws(() => registry.get('buy-the-dip'), { instanceOf: ConfigError });
  t.is(error.message, 'widget.name: expected a registered widget (gap-up, top-dollar-volume), got "buy-the-dip"');
  t.notRegex(error.message, /did you mean/);
});

test('Registry: an empty registry says none is registered', (t) => {
  const registry = new Registry<Widget>('widget');
  t.throws(() => registry.get('anything', 'x'), { instanceOf: ConfigError, message: 'x: expected a registered widget (none registered), got "anything"' });
  t.deepEqual(registry.list(), []);
});

test('Registry: reports a non-string name as unknown without throwing a TypeError', (t) => {
  const registry = widgets('a');
  t.throws(() => registry.get(42 as unknown as string), { instanceOf: ConfigError, message: /got 42$/ });
  t.false(registry.has(undefined as unknown as string));
});

test('Registry: list and names are copies', (t) => {
  const registry = widgets('a', 'b');
  registry.list().pop();
  registry.names().pop();
  registry.accepted().pop();
  t.deepEqual(registry.names(), ['a', 'b']);
  t.deepEqual(registry.accepted(), ['a', 'b']);
});

test('closestName: returns the candidate one typo away, as spelled', (t) => {
  t.is(closestName('emaa', ['ema', 'sma', 'rsi']), 'ema');
  t.is(closestName('rsy', ['ema', 'sma', 'rsi']), 'rsi');
  t.is(closestName('EMA-Crosover', ['ema-crossover']), 'ema-crossover');
  t.is(closestName('nyse', ['XNYS', 'NYSE']), 'NYSE');
});

test('closestName: counts an adjacent transposition as one edit', (t) => {
  t.is(closestName('XNSY', ['XNYS', '24/7', '24/5']), 'XNYS');
  t.is(closestName('mcad', ['macd', 'atr']), 'macd');
});

test('closestName: returns an exact match that differs only in case', (t) => {
  t.is(closestName('BOLLINGER', ['bollinger', 'keltner']), 'bollinger');
});

test('closestName: suggests nothing when the best candidate is too far', (t) => {
  t.is(closestName('XLON', ['XNYS', 'NYSE', '24/7', '24/5']), undefined);
  t.is(closestName('buy-the-dip', ['ema-crossover']), undefined);
  // At most 3 edits, however long the names.
  t.is(closestName('historical_vol', ['historical_volatility']), undefined);
  t.is(closestName('historical_volatlity', ['historical_volatility']), 'historical_volatility');
});

test('closestName: suggests nothing for names where every character would change', (t) => {
  t.is(closestName('a', ['b']), undefined);
  t.is(closestName('x', ['ab']), undefined);
  t.is(closestName('ab', ['ba']), 'ba');
});

test('closestName: handles empty inputs', (t) => {
  t.is(closestName('ema', []), undefined);
  t.is(closestName('', ['ema', 'a']), undefined);
  t.is(closestName('ema', ['']), undefined);
});

test('closestName: prefers the closer candidate, and the earlier one on a tie', (t) => {
  t.is(closestName('smaa', ['ema', 'sma']), 'sma');
  t.is(closestName('xma', ['ema', 'sma']), 'ema');
  t.is(closestName('xma', ['sma', 'ema']), 'sma');
});

test('unknownNameError: appends the suggestion to the message but keeps expected the list', (t) => {
  const error = unknownNameError('calendar', 'XNSY', 'one of "XNYS", "24/7"', ['XNYS', '24/7']);
  t.is(error.message, 'calendar: expected one of "XNYS", "24/7", got "XNSY"; did you mean "XNYS"?');
  t.is(error.problems[0]?.expected, 'one of "XNYS", "24/7"');
  t.is(unknownNameError('calendar', 'XLON', 'one of "XNYS"', ['XNYS']).message, 'calendar: expected one of "XNYS", got "XLON"');
});
