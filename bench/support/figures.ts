/**
 * What a benchmark case reports: figures with a goal, the reference's value where a reference runs
 * beside the project, and what holds a missed goal back. run.ts prints them as one table and writes
 * bench/results.json.
 */

export interface Goal {
  /** How the figure is compared: with the goal's number, or (ratio) with the reference's value. */
  compare: 'value' | 'ratio';
  op: '<' | '<=' | '>=';
  target: number;
}

export interface Figure {
  case: string;
  figure: string;
  unit: string;
  value: number;
  goal?: Goal;
  /** The reference's value of the same figure, measured in the same run. */
  reference?: number;
}

export interface CaseResult {
  figures: Figure[];
  /** Per missed goal: what the numbers say holds it back. */
  holdsBack: string[];
  /** Everything else worth keeping (counts, settings, environment) for results.json. */
  details: Record<string, unknown>;
}

export interface FigureRow extends Figure {
  ratio: number | undefined;
  met: boolean | undefined;
}

export function evaluate(figure: Figure): FigureRow {
  const ratio = figure.reference !== undefined && figure.reference !== 0 ? figure.value / figure.reference : undefined;
  let met: boolean | undefined;
  if (figure.goal) {
    const subject = figure.goal.compare === 'ratio' ? ratio : figure.value;
    if (subject !== undefined && Number.isFinite(subject))
      met =
        figure.goal.op === '<'
          ? subject < figure.goal.target
          : figure.goal.op === '<='
            ? subject <= figure.goal.target
            : subject >= figure.goal.target;
  }
  return { ...figure, ratio, met };
}

export function goalText(goal: Goal | undefined, unit: string): string {
  if (!goal) return '';
  const target = formatNumber(goal.target);
  return goal.compare === 'ratio' ? `${goal.op} ${target}× ref` : `${goal.op} ${target} ${unit}`;
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return value === undefined ? '' : String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** The q-quantile (0..1) of samples, nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

export function renderTable(rows: readonly FigureRow[]): string {
  const header = ['figure', 'goal', 'value', 'reference', 'ratio', 'met'];
  const lines = rows.map((row) => [
    `${row.case}: ${row.figure}`,
    goalText(row.goal, row.unit),
    `${formatNumber(row.value)} ${row.unit}`,
    row.reference === undefined ? '' : `${formatNumber(row.reference)} ${row.unit}`,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}
