/**
 * A V8 CPU profile of this process around one async operation (node:inspector), summarised as self
 * time per function and per file, to say where a slow case spends its time.
 */
import { Session } from 'node:inspector/promises';

export interface NodeProfile {
  /** Self time per function ("name file:line"), largest first. */
  functions: { name: string; ms: number }[];
  /** Self time per file (node_modules/<pkg> or our path), largest first. */
  files: { name: string; ms: number }[];
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const short = (url: string) => {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (modules) return `${modules[1]}/${modules[2]!.split('/').pop()}`;
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(shared|sync-server|client|bench|test)\//, '$1/');
};

export async function profile<T>(run: () => Promise<T>): Promise<{ result: T; profile: NodeProfile }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  type Stopped = { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
  let result: T;
  let stopped: Stopped;
  try {
    result = await run();
  } finally {
    stopped = (await session.post('Profiler.stop')) as unknown as Stopped;
    session.disconnect();
  }
  return { result, profile: summarize(stopped.profile) };
}

/** Self time per function and per file of a V8 CPU profile (.cpuprofile JSON). */
export function summarize(cpuProfile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }): NodeProfile {
  const { nodes, samples, timeDeltas } = cpuProfile;
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const ms = (timeDeltas[i] ?? 0) / 1000;
    const file = frame.url ? short(frame.url) : frame.functionName || '(native)';
    const name = `${frame.functionName || '(anonymous)'} ${file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    files.set(file, (files.get(file) ?? 0) + ms);
  });
  const top = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([name, ms]) => ({ name, ms }));
  return { functions: top(functions), files: top(files) };
}
