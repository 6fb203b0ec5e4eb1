import { nanAsNull } from './nan-as-null.ts';

/** Text gathered before a chunk is handed out: few writes, and no string near V8's limit. */
const CHUNK_CHARS = 1 << 16;

/**
 * `JSON.stringify(value, nanAsNull, 2) + '\n'` in chunks, built one top-level key (and one
 * array element) at a time, byte for byte the same document. A top-level value may also be
 * any other iterable (a generator of days read back from disk): it is written as an array
 * without being collected. A year of 2,000 symbols makes a summary longer than the longest
 * string V8 allows (~512 MB): JSON.stringify of the whole would throw at the very end of the
 * run, losing it.
 *
 * @example
 * ```ts
 * for (const chunk of prettyJsonChunks({ totals, days: RunJournal.days(out) })) process.stdout.write(chunk);
 * ```
 */
export function* prettyJsonChunks(value: Record<string, unknown>): Generator<string, void, undefined> {
  let text = '';
  // A nested value at depth `indent`: JSON.stringify's own lines, shifted right.
  const nested = (v: unknown, indent: string): string => JSON.stringify(v, nanAsNull, 2).replaceAll('\n', `\n${indent}`);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  text += '{';
  for (const [i, [key, v]] of entries.entries()) {
    text += `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    const list = Array.isArray(v) ? v : isStream(v) ? v : undefined;
    if (list) {
      let j = 0;
      for (const element of list) {
        text += `${j === 0 ? '[' : ','}\n    ${element === undefined ? 'null' : nested(element, '    ')}`;
        j++;
        if (text.length >= CHUNK_CHARS) {
          yield text;
          text = '';
        }
      }
      text += j === 0 ? '[]' : '\n  ]';
    } else text += nested(v, '  ');
  }
  text += entries.length > 0 ? '\n}\n' : '}\n';
  yield text;
}

/** An iterable that is not a string, an array or a plain JSON value (a generator, a Set). */
function isStream(v: unknown): v is Iterable<unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}
