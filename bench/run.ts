/**
 * `npm run bench [-- case…]`: runs the benchmark cases (all, or those named), prints one table
 * (figure, goal, value, reference, ratio, met) and what holds back each missed goal, and writes
 * bench/results.json (cases not run this time keep their last results there).
 * Figures, not assertions: the exit code is 0 whatever the numbers, 1 only when a case failed to run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { evaluate, renderTable, type CaseResult, type FigureRow } from './support/figures.ts';
import { ROOT } from './support/processes.ts';

// Loaded on demand, so `npm run bench -- filter` does not load Playwright or start servers.
const CASES: Record<string, () => Promise<CaseResult>> = {
  fanout: async () => (await import('./fanout/fanout.ts')).fanoutCase(),
  load: async () => (await import('./load/load.ts')).loadCase(),
  filter: async () => (await import('./filter/filter.ts')).filterCase(),
  'cold-start': async () => (await import('./cold-start/cold-start.ts')).coldStartCase(),
  'auto-apply': async () => (await import('./auto-apply/auto-apply.ts')).autoApplyCase(),
  storage: async () => (await import('./storage/storage.ts')).storageCase(),
  bundle: async () => (await import('./bundle/bundle.ts')).bundleCase(),
  cluster: async () => (await import('./cluster/cluster.ts')).clusterCase(),
};

interface StoredCase {
  ranAt: string;
  seconds: number;
  figures: FigureRow[];
  holdsBack: string[];
  details: Record<string, unknown>;
  error?: string;
}

process.setMaxListeners(200); // each stock WebsocketProvider adds an exit listener (fan-out: 50)
const RESULTS = join(ROOT, 'bench', 'results.json');
// A case that hangs fails with this instead of holding the whole run (the slowest, cold start, takes ~2 min).
const CASE_LIMIT_MS = Number(process.env.BENCH_CASE_LIMIT_MS ?? 20 * 60_000);

function withinLimit<T>(name: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${name} did not finish within ${CASE_LIMIT_MS / 60_000} min (BENCH_CASE_LIMIT_MS)`)),
      CASE_LIMIT_MS,
    );
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const environmentLine = (when: string) =>
  `${when}: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`;

async function main(args: string[]): Promise<number> {
  const unknown = args.filter((name) => !(name in CASES));
  if (unknown.length > 0) {
    console.error(`Unknown case(s): ${unknown.join(', ')}. Cases: ${Object.keys(CASES).join(', ')}.`);
    return 2;
  }
  const selected = args.length > 0 ? args : Object.keys(CASES);
  const previous = existsSync(RESULTS) ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as { cases?: Record<string, StoredCase> }) : {};
  const cases: Record<string, StoredCase> = { ...(previous.cases ?? {}) };
  let failed = false;
  console.log(environmentLine('Environment at start'));
  for (const name of selected) {
    const began = performance.now();
    process.stdout.write(`${name} … `);
    try {
      const result = await withinLimit(name, CASES[name]!());
      const seconds = (performance.now() - began) / 1000;
      cases[name] = {
        ranAt: new Date().toISOString(),
        seconds,
        figures: result.figures.map(evaluate),
        holdsBack: result.holdsBack,
        details: result.details,
      };
      console.log(`${seconds.toFixed(1)} s`);
    } catch (error) {
      failed = true;
      const seconds = (performance.now() - began) / 1000;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      cases[name] = { ranAt: new Date().toISOString(), seconds, figures: [], holdsBack: [], details: {}, error: message };
      console.log(`failed after ${seconds.toFixed(1)} s`);
      console.error(message);
    }
  }

  await (await import('./support/build.ts')).removeBuild();
  const shown = selected.map((name) => cases[name]!);
  console.log(`\n${environmentLine('Environment at end')}`);
  console.log('\n' + renderTable(shown.flatMap((c) => c.figures)));
  const held = selected.flatMap((name) => cases[name]!.holdsBack.map((line) => `- ${name}: ${line}`));
  if (held.length > 0) console.log(`\nWhat holds back the missed goals:\n${held.join('\n')}`);
  const errors = selected.filter((name) => cases[name]!.error);
  if (errors.length > 0) console.log(`\nFailed to run: ${errors.join(', ')} (see above).`);

  const environment = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadavgAtEnd: loadavg(),
    platform: process.platform,
  };
  writeFileSync(RESULTS, JSON.stringify({ writtenAt: new Date().toISOString(), environment, cases }, null, 2) + '\n');
  console.log(`\nWrote ${RESULTS}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
