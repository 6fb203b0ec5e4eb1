/**
 * Loaded by AVA before every test file (package.json `ava.require`). Property tests draw a new
 * seed on every run; with FAST_CHECK_SEED set (`.ci/run` sets it from the commit), every run
 * of the same commit draws the same cases, so CI's verdict on a commit can be reproduced
 * (`FAST_CHECK_SEED=<n> npm test`) and a counterexample does not come and go between runs.
 */
import fc from 'fast-check';

const seed = process.env.FAST_CHECK_SEED;
if (seed !== undefined && seed !== '') {
  const value = Number(seed);
  if (!Number.isSafeInteger(value)) throw new Error(`FAST_CHECK_SEED: expected a whole number, got ${JSON.stringify(seed)}`);
  fc.configureGlobal({ seed: value });
}
