/** A fresh database on the test run's PostgreSQL server (see postgres-global-setup.ts), for one test file or test. */
import postgres from 'postgres';
import { inject } from 'vitest';

export async function freshDatabase(): Promise<string> {
  const server = inject('pgUrl');
  if (!server) throw new Error(inject('pgProblem') || 'No PostgreSQL server for this test run.');
  const name = `t_${Math.random().toString(36).slice(2, 12)}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}
