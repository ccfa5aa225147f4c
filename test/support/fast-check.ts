/**
 * One place that seeds every property test. Runs are reproducible: the seed is fixed unless
 * FC_SEED says otherwise, and fast-check prints `{ seed, path }` with every counterexample.
 *
 *   FC_SEED=123 npx vitest run shared/          # rerun with a given seed
 *   FC_SEED=random npx vitest run shared/       # explore with a fresh seed (printed on failure)
 *   FC_NUM_RUNS=2000 npx vitest run shared/     # more cases per property
 */
import fc from 'fast-check';

const DEFAULT_SEED = 20261127;

function seedFromEnvironment(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_SEED;
  if (value === 'random') return Math.floor(Math.random() * 0x7fffffff);
  const seed = Number(value);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not "${value}".`);
  return seed;
}

export const seed = seedFromEnvironment(process.env.FC_SEED);
export const numRuns = Number(process.env.FC_NUM_RUNS ?? 200);

fc.configureGlobal({ seed, numRuns });

export { fc };
