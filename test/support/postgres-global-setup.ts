/**
 * vitest globalSetup: one PostgreSQL server per test run (initdb takes ~3 s; each file then makes
 * its own database on it in milliseconds). TEST_DATABASE_URL points the run at a server of your own
 * instead. Without the binaries the run still starts; the PostgreSQL tests fail saying what to install.
 */
import type { TestProject } from 'vitest/node';
import { findPostgresBin, startPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's PostgreSQL server (postgres://…/postgres), or '' when none could be started. */
    pgUrl: string;
    /** Why pgUrl is empty. */
    pgProblem: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('pgUrl', process.env.TEST_DATABASE_URL);
    project.provide('pgProblem', '');
    return undefined;
  }
  if (!findPostgresBin()) {
    project.provide('pgUrl', '');
    project.provide('pgProblem', 'PostgreSQL is not installed: apt-get install postgresql (.ci/run does), or set TEST_DATABASE_URL.');
    return undefined;
  }
  const server = await startPostgres();
  project.provide('pgUrl', server.url);
  project.provide('pgProblem', '');
  return () => server.stop();
}
