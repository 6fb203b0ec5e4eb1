import { InvalidArgumentError } from 'commander';

/**
 * A commander argument parser for a whole number of at least `min`, refusing anything else
 * with a message naming the option and the value.
 *
 * @example
 * ```ts
 * command.option('--workers <n>', 'worker threads', wholeNumber('--workers', 0));
 * ```
 */
export function wholeNumber(name: string, min: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number >= ${min}, got ${JSON.stringify(text)}`);
    return n;
  };
}
