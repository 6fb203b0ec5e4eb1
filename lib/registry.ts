import { ConfigError } from './errors.ts';

/** What every registered extension says about itself, so a pipeline or a registry can be printed. */
export interface RegistryItem {
  /** `'calendar'`, `'indicator'`, `'strategy'`, `'scanner'`, … */
  readonly kind: string;
  /** The name configs use; matched case-insensitively, printed as registered. */
  readonly name: string;
  readonly description: string;
}

/** Options of {@link Registry.register}. */
export interface RegisterOptions {
  /** Replace an item already registered under the name (or one of the aliases). */
  readonly override?: boolean;
  /** Further names for the same item (`NYSE` for `XNYS`). */
  readonly aliases?: readonly string[];
}

/**
 * One table of named extensions (calendars, indicators, strategies, scanners), with the same
 * rules everywhere: names are trimmed and matched case-insensitively but printed as
 * registered, a taken name is refused unless `{ override: true }`, and an unknown name is a
 * {@link ConfigError} that lists what is registered and suggests the closest name.
 *
 * @example
 * ```ts
 * const scanners = new Registry<ScannerDefinition>('scanner');
 * scanners.register(topDollarVolume);
 * scanners.get('Top-Dollar-Volume', 'scanners[0].name'); // the same definition
 * scanners.get('top-dolar-volume'); // ConfigError: … did you mean "top-dollar-volume"?
 * ```
 */
export class Registry<T extends RegistryItem> {
  /** What the items are, for messages (`'scanner'`). */
  readonly kind: string;
  /** Folded name → item. */
  readonly #byName = new Map<string, T>();
  /** Folded name → the spelling it was registered with. */
  readonly #spelling = new Map<string, string>();
  /** Items in registration order, each once. */
  readonly #items: T[] = [];

  constructor(kind: string) {
    this.kind = kind;
  }

  /** Add `item` under its name and `aliases`; returns it. */
  register(item: T, options: RegisterOptions = {}): T {
    if (!item || typeof item.name !== 'string' || item.name.trim() === '') throw ConfigError.at(`register.${this.kind}.name`, item?.name, `a non-empty ${this.kind} name`);
    for (const [i, alias] of (options.aliases ?? []).entries()) {
      if (typeof alias !== 'string' || alias.trim() === '') throw ConfigError.at(`register.${this.kind}.aliases[${i}]`, alias, `a non-empty ${this.kind} name`);
    }
    const names = [item.name, ...(options.aliases ?? [])].map((n) => n.trim());
    for (const name of names) {
      const taken = this.#byName.get(fold(name));
      if (taken !== undefined && !options.override) {
        throw ConfigError.at(`register.${this.kind}.name`, name, `a ${this.kind} name that is not taken (${JSON.stringify(this.#spelling.get(fold(name)))} is registered; pass { override: true } to replace it)`);
      }
    }
    for (const name of names) {
      const previous = this.#byName.get(fold(name));
      this.#byName.set(fold(name), item);
      this.#spelling.set(fold(name), name);
      // A replaced item leaves the listing once no name points at it any more; its successor
      // takes its place, so overriding a built-in does not reorder `list()`.
      if (previous !== undefined && previous !== item && ![...this.#byName.values()].includes(previous)) {
        const at = this.#items.indexOf(previous);
        if (this.#items.includes(item)) this.#items.splice(at, 1);
        else this.#items.splice(at, 1, item);
      }
    }
    if (!this.#items.includes(item)) this.#items.push(item);
    return item;
  }

  /** The item called `name` (or an alias), or undefined. */
  find(name: string): T | undefined {
    return typeof name === 'string' ? this.#byName.get(fold(name)) : undefined;
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /**
   * The item called `name`, or a ConfigError at `path` that lists the registered names
   * (alphabetically, so a long list can be scanned) and suggests the closest name or alias
   * when one is a plausible typo.
   */
  get(name: string, path = `${this.kind}.name`): T {
    const found = this.find(name);
    if (found !== undefined) return found;
    const known = this.names().sort((a, b) => fold(a).localeCompare(fold(b)));
    throw unknownNameError(path, name, `a registered ${this.kind} (${known.join(', ') || 'none registered'})`, this.accepted());
  }

  /** Every item, in registration order. */
  list(): T[] {
    return [...this.#items];
  }

  /** Every item's name as registered, in registration order. */
  names(): string[] {
    return this.#items.map((i) => i.name);
  }

  /** Every accepted name and alias, as spelled when registered. */
  accepted(): string[] {
    return [...this.#spelling.values()];
  }
}

/**
 * The {@link ConfigError} for an unknown name at `path`: `expected …, got "name"`, followed by
 * `; did you mean "…"?` when one of `candidates` is a plausible typo of it (see
 * {@link closestName}). The suggestion is kept out of the problem's `expected`, which stays the
 * list of what is accepted.
 *
 * @example
 * ```ts
 * unknownNameError('calendar', 'XNSY', 'one of "XNYS", "24/7"', ['XNYS', '24/7']).message;
 * // 'calendar: expected one of "XNYS", "24/7", got "XNSY"; did you mean "XNYS"?'
 * ```
 */
export function unknownNameError(path: string, name: unknown, expected: string, candidates: readonly string[]): ConfigError {
  const error = ConfigError.at(path, name, expected);
  const guess = typeof name === 'string' ? closestName(name, candidates) : undefined;
  if (guess === undefined) return error;
  const problem = { ...error.problems[0]!, message: `${error.problems[0]!.message}; did you mean ${JSON.stringify(guess)}?` };
  return new ConfigError(`${path}: ${problem.message}`, [problem]);
}

function fold(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * The candidate closest to `name` by edit distance (case-insensitive, adjacent transpositions
 * counting as one edit), if it is close enough to be a plausible typo: at most a third of the
 * longer name's length (but at least 1), at most 3 edits, and not every character changed (so
 * `'a'` suggests nothing for `'b'`). On a tie the earlier candidate wins.
 *
 * @example
 * ```ts
 * closestName('emaa', ['ema', 'sma', 'rsi']); // 'ema'
 * ```
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const wanted = fold(name);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(wanted, fold(candidate));
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(Math.max(wanted.length, best.length) / 3)));
  return bestDistance <= limit && bestDistance < Math.max(wanted.length, fold(best).length) ? best : undefined;
}

/** Edit distance between two strings, an adjacent transposition counting as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
