import type { SessionConfig, SessionConfigInput } from '../../lib/config/schema.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import { prepareRun } from '../prepare-run.ts';
import type { IndexedParameterSet, ParameterBatch } from './run-parameter-batch.ts';
import { withParameters } from './with-parameters.ts';

/** A parameter set validated into its config and (prepared) components. */
export interface PreparedSet extends IndexedParameterSet {
  readonly config: SessionConfig;
  readonly components: readonly SessionComponent[];
}

/**
 * A parameter set's config and components, validated: a value the schema or the strategy
 * refuses is a ConfigError naming the set and the JSON path.
 *
 * @throws ConfigError naming the set.
 *
 * @example
 * ```ts
 * const set = await prepareParameterSet({ config, baseDir, sets: [] }, { index: 3, parameters: { 'strategies[0].params.fast': 5 } });
 * ```
 */
export async function prepareParameterSet(batch: ParameterBatch, set: IndexedParameterSet): Promise<PreparedSet> {
  try {
    // No per-tick equity table: the statistics read the day's figures (identical either way).
    const setup = prepareRun(withParameters(batch.config, set.parameters) as SessionConfigInput, { baseDir: batch.baseDir, equityPoints: false, journal: false });
    // A strategy module is loaded (and its params checked) here: its needs decide the set's group.
    for (const c of setup.components) await c.prepare?.();
    return { ...set, config: setup.config, components: setup.components };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const label = `parameter set ${set.index} (${Object.entries(set.parameters).map(([path, value]) => `${path}=${JSON.stringify(value)}`).join(', ')})`;
    const problems = error.problems.length > 0 ? error.problems : [{ path: '', message: error.message }];
    throw new ConfigError(`${batch.file ? `${batch.file}: ` : ''}${label}: ${error.message.replace(/^invalid session config/, 'invalid')}`, problems, batch.file);
  }
}
