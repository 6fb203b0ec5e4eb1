import * as v from 'valibot';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import { closestName } from '../registry.ts';
import { toProblem } from './parse-config.ts';

/** One parameter of an extension (scanner, strategy): its schema, default and meaning, so it can be validated and printed. */
export interface ParamSpec {
  readonly description: string;
  /** Used when the config leaves the parameter out; none means required. */
  readonly default?: unknown;
  readonly schema: v.GenericSchema;
}

/** Parameter specs by name. */
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/**
 * Validate `params` against `specs`: unknown keys, wrong types and missing required ones are
 * reported together, each at `path.<key>` with the value and what was expected; defaults are
 * filled in.
 *
 * @example
 * ```ts
 * validateParams({ count: { description: 'symbols to add', default: 20, schema: v.pipe(v.number(), v.integer()) } }, { count: 5 }, 'scanners[0].params');
 * // { count: 5 }
 * ```
 */
export function validateParams(specs: ParamSpecs, params: unknown, path: string): Record<string, unknown> {
  const entries: Record<string, v.GenericSchema> = {};
  for (const [key, spec] of Object.entries(specs)) entries[key] = spec.default === undefined && !('default' in spec) ? spec.schema : v.optional(spec.schema, spec.default as never);
  const parsed = v.safeParse(v.strictObject(entries), params ?? {}, { abortEarly: false, abortPipeEarly: true });
  if (parsed.success) return parsed.output as Record<string, unknown>;
  const problems: ConfigProblem[] = parsed.issues.map((issue) => {
    const problem = toProblem(issue);
    const unknownKey = issue.kind === 'schema' && issue.expected === 'never';
    if (!unknownKey) return { ...problem, path: problem.path ? `${path}.${problem.path}` : path };
    const allowed = Object.keys(specs);
    const guess = closestName(String(problem.value), allowed);
    return {
      path: `${path}.${problem.path}`,
      value: problem.value,
      expected: `one of the parameters ${allowed.join(', ') || '(none)'}`,
      message: `unknown parameter ${JSON.stringify(problem.value)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; allowed: ${allowed.join(', ') || 'none'}`,
    };
  });
  throw new ConfigError(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), problems);
}

/** The specs as plain data for printing (`sessionflow scanners --json`). */
export function describeParams(specs: ParamSpecs): Record<string, { description: string; default?: unknown; required: boolean }> {
  const out: Record<string, { description: string; default?: unknown; required: boolean }> = {};
  for (const [key, spec] of Object.entries(specs)) out[key] = { description: spec.description, ...('default' in spec ? { default: spec.default } : {}), required: !('default' in spec) };
  return out;
}
