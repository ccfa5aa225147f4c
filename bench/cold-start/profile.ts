/**
 * Where a reload spends the page's CPU time: a V8 CPU profile over the Chrome DevTools Protocol from
 * the reload until the list is on screen, each sample's function mapped through the build's source
 * maps to the package or project directory it comes from. V8's own entries ("(garbage collector)",
 * "(program)" = the renderer's native work such as style and layout) are kept as they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { decodeMappings, packageOf, sourceAt, type Segment, type SourceMapV3 } from '../support/source-map.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by package / project directory, largest first. */
  top: { name: string; ms: number }[];
  /** Self time by original source file, largest first. */
  topFiles: { name: string; ms: number }[];
}

export async function profileReload(
  context: BrowserContext,
  page: Page,
  buildDir: string,
  onScreen: () => Promise<unknown>,
): Promise<ProfileSummary> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  await page.reload({ waitUntil: 'commit' });
  await onScreen();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.detach();

  const maps = new Map<string, { map: SourceMapV3; lines: Segment[][] } | undefined>();
  const mapFor = (url: string) => {
    const path = new URL(url).pathname;
    if (!maps.has(path)) {
      try {
        const map = JSON.parse(readFileSync(join(buildDir, `${path}.map`), 'utf8')) as SourceMapV3;
        maps.set(path, { map, lines: decodeMappings(map.mappings) });
      } catch {
        maps.set(path, undefined);
      }
    }
    return maps.get(path);
  };
  const nameOf = new Map<number, { pkg: string; file: string }>();
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    if (!url) {
      nameOf.set(node.id, { pkg: functionName.startsWith('(') ? functionName : '(native)', file: functionName || '(native)' });
      continue;
    }
    const mapped = url.startsWith('http') ? mapFor(url) : undefined;
    const source = mapped ? sourceAt(mapped.map, mapped.lines, lineNumber, columnNumber) : undefined;
    const file = source ?? new URL(url, 'http://x').pathname;
    nameOf.set(node.id, {
      pkg: source ? packageOf(source) : url.startsWith('http') ? `(unmapped) ${new URL(url).pathname}` : '(browser)',
      file,
    });
  }
  const byPackage = new Map<string, number>();
  const byFile = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const name = nameOf.get(id) ?? { pkg: '(unknown)', file: '(unknown)' };
    byPackage.set(name.pkg, (byPackage.get(name.pkg) ?? 0) + ms);
    byFile.set(name.file, (byFile.get(name.file) ?? 0) + ms);
  });
  const sorted = (map: Map<string, number>) =>
    [...map]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => ({ name, ms }));
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    top: sorted(byPackage).slice(0, 12),
    topFiles: sorted(byFile).slice(0, 15),
  };
}
