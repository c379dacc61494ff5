import { EXPERIMENTS, type Experiment } from './experiments.ts';
import { NODE_FORMS, POOLED_FORMS, type NodeForm } from './forms.ts';
import { type PublishedFigure, PUBLISHED, TUTORIALS } from './published.ts';
import type { ExperimentResult, SeedsResults, SweepResult } from './results.ts';
import { summarize } from './stats.ts';

/** The columns of every experiment table, defined once; the renderers print these headers. */
export const COLUMNS = [
  'Node form',
  'Node median (range)',
  'pool start',
  'Node ×',
  'Node ×, pool warm',
  'Python form',
  'Python time',
  'Python ×',
] as const;

export const DASH = '—';

export interface ExperimentTable {
  id: string;
  heading: string;
  /** Title and site of the text, and the batch as we ran it. */
  source: string;
  batch: string;
  rows: string[][];
  /** Numbered notes the rows point to ([1], [2]), then the experiment's own notes. */
  notes: string[];
  lesson: string;
  /** Ratios for the charts: Node's and Python's speed-up per row, null where there is none. */
  ratios: { label: string; node: number | null; python: number | null }[];
}

const seconds = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
export const times = (ratio: number | null) =>
  ratio === null || !Number.isFinite(ratio) ? DASH : `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;

/** One table per experiment that ran, Node's figures beside the text's (read from seeds/published.ts). */
export function buildTables(results: SeedsResults): ExperimentTable[] {
  return results.experiments.flatMap((result) => {
    const experiment = EXPERIMENTS.find((e) => e.id === result.id);
    return experiment ? [buildTable(experiment, result, results.options.scale)] : [];
  });
}

function buildTable(experiment: Experiment, result: ExperimentResult, scale: number): ExperimentTable {
  const tutorial = TUTORIALS[experiment.tutorial];
  const figures = PUBLISHED[experiment.id]?.figures ?? [];
  const pythonSync = figures.find((f) => f.form === 'sync')?.seconds ?? null;
  const baselineForm: NodeForm = experiment.kind === 'io' ? 'sync-client' : 'sequential';
  const baseline = result.forms.find((f) => f.form === baselineForm);
  const baseTotal = baseline ? summarize(baseline.samples).median : Number.NaN;
  const notes: string[] = [];
  const noteFor = (text: string) => {
    const at = notes.indexOf(text);
    if (at >= 0) return `[${at + 1}]`;
    notes.push(text);
    return `[${notes.length}]`;
  };
  const pythonCells = (figure: PublishedFigure | undefined): string[] => {
    if (!figure) return [DASH, DASH, DASH];
    const mark =
      figure.seconds === null || figure.note
        ? ` ${noteFor(figure.seconds === null ? (figure.note ?? figure.source) : (figure.note as string))}`
        : '';
    const ratio = figure.seconds !== null && pythonSync !== null ? pythonSync / figure.seconds : null;
    return [
      figure.label,
      figure.seconds === null ? `${DASH}${mark}` : `${figure.seconds.toFixed(2)} s${mark}`,
      times(ratio),
    ];
  };
  const ratios: ExperimentTable['ratios'] = [];
  const rows: string[][] = [];
  for (const row of experiment.rows) {
    const measured = result.forms.find((f) => f.form === row.form);
    const figure = row.python ? figures.find((f) => f.form === row.python) : undefined;
    const pyRatio = figure?.seconds != null && pythonSync !== null ? pythonSync / figure.seconds : null;
    const label = `${NODE_FORMS[row.form].label}${measured?.size === undefined ? '' : ` (${measured.size})`}`;
    if (!measured) {
      rows.push([label, DASH, DASH, DASH, DASH, ...pythonCells(figure)]);
      continue;
    }
    const total = summarize(measured.samples);
    const batch = summarize(measured.samples, 'batch');
    const start = summarize(measured.samples, 'start');
    const pooled = POOLED_FORMS.has(row.form);
    const nodeRatio = baseTotal / total.median;
    ratios.push({
      label: NODE_FORMS[row.form].label,
      node: Number.isFinite(nodeRatio) ? nodeRatio : null,
      python: pyRatio,
    });
    rows.push([
      label,
      `${seconds(total.median)} (${seconds(total.min)}–${seconds(total.max)})`,
      pooled ? seconds(start.median) : DASH,
      times(nodeRatio),
      pooled ? times(baseTotal / batch.median) : DASH,
      ...pythonCells(figure),
    ]);
  }
  // Figures the text published for forms with no Node row of their own.
  for (const figure of figures) {
    if (experiment.rows.some((r) => r.python === figure.form) || figure.seconds === null) continue;
    rows.push([DASH, DASH, DASH, DASH, DASH, ...pythonCells(figure)]);
    ratios.push({ label: figure.label, node: null, python: pythonSync !== null ? pythonSync / figure.seconds : null });
  }
  return {
    id: experiment.id,
    heading: experiment.title,
    source: `${tutorial?.site ?? ''}, “${tutorial?.title ?? experiment.tutorial}” (text ${experiment.tutorial})`,
    batch: describeBatch(experiment, result, scale),
    rows,
    notes: [...notes, ...experiment.notes],
    lesson: experiment.lesson,
    ratios,
  };
}

function describeBatch(experiment: Experiment, result: ExperimentResult, scale: number): string {
  if (experiment.kind === 'cpu')
    return `${experiment.tasks().length} tasks, the text's own n; ratios are to the sequential loop.`;
  const latencies = [...new Set(result.latenciesMs ?? [])].join('/');
  const own = [...new Set(experiment.sites.map((s) => s.latencyMs))].join('/');
  return (
    `${experiment.pages} GETs of the bundled upstream at ${latencies} ms ` +
    `each${scale === 1 ? ' (the text’s own latency)' : ` (the text’s ${own} ms ÷ ${scale})`}; ratios are to the ` +
    `sequential synchronous client.`
  );
}

/** The sweep as rows: pool size, then each form's median time (with pool start) and its range. */
export function buildSweepTable(sweep: SweepResult): { headers: string[]; rows: string[][] } {
  const sizes = [...new Set(sweep.points.map((p) => p.size))].sort((a, b) => a - b);
  const cell = (form: 'thread-pool' | 'bounded', size: number) => {
    const point = sweep.points.find((p) => p.form === form && p.size === size);
    if (!point) return DASH;
    const s = summarize(point.samples);
    return `${seconds(s.median)} (${seconds(s.min)}–${seconds(s.max)})`;
  };
  return {
    headers: ['size', `${NODE_FORMS['thread-pool'].label} (threads)`, `${NODE_FORMS.bounded.label} (in flight)`],
    rows: sizes.map((size) => [String(size), cell('thread-pool', size), cell('bounded', size)]),
  };
}
