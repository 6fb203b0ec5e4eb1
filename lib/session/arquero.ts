import { createRequire } from 'node:module';
import type * as Arquero from 'arquero';

let loaded: typeof Arquero | undefined;

/**
 * arquero, loaded on first use: it is the heaviest import of the package (about a fifth of a
 * cold `import('sessionflow')`) and only result tables need it. Node >= 20.19 (the package's
 * engine) loads an ES module synchronously through `require`, and hands back the same module
 * instance an `import 'arquero'` in the user's code gets.
 *
 * @example
 * ```ts
 * arquero().table({ x: [1, 2] }).numRows(); // 2
 * ```
 */
export function arquero(): typeof Arquero {
  return (loaded ??= createRequire(import.meta.url)('arquero') as typeof Arquero);
}
