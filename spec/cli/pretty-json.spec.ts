import test from 'ava';
import { prettyJsonChunks } from '../../lib/cli/pretty-json.ts';
import { nanAsNull } from '../../lib/cli/nan-as-null.ts';

const document = {
  name: 'run',
  empty: [],
  nothing: undefined,
  stats: { sharpe: NaN, nested: { list: [1, 2, { a: 'b' }] } },
  list: [{ date: '2024-01-02', x: Infinity }, undefined, 3, 'text'],
  inner: { empty: [], emptyObject: {} },
};

test('prettyJsonChunks writes exactly JSON.stringify(value, nanAsNull, 2) plus a newline', (t) => {
  t.is([...prettyJsonChunks(document)].join(''), JSON.stringify(document, nanAsNull, 2) + '\n');
  t.is([...prettyJsonChunks({})].join(''), '{}\n');
});

test('prettyJsonChunks streams a generator as an array, never collecting it, in chunks of bounded size', (t) => {
  let made = 0;
  function* days(): Generator<{ date: string; filler: string }> {
    for (let i = 0; i < 400; i++) {
      made++;
      yield { date: `day ${i}`, filler: 'x'.repeat(1000) };
    }
  }
  const asArray = { totals: { days: 400 }, days: [...days()] };
  made = 0;
  const chunks: string[] = [];
  let madeAtFirstChunk = -1;
  for (const chunk of prettyJsonChunks({ totals: { days: 400 }, days: days() })) {
    if (madeAtFirstChunk < 0) madeAtFirstChunk = made;
    chunks.push(chunk);
  }
  t.is(chunks.join(''), JSON.stringify(asArray, null, 2) + '\n');
  t.true(chunks.length > 4, `${chunks.length} chunks`);
  t.true(madeAtFirstChunk < 400, 'the first chunk went out before the last day was made');
  t.true(chunks.every((c) => c.length < 80_000));
  // An empty generator is an empty array, as [] would be.
  t.is([...prettyJsonChunks({ days: [][Symbol.iterator]() })].join(''), JSON.stringify({ days: [] }, null, 2) + '\n');
});
