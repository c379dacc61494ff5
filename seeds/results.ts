import type { NodeForm } from './forms.ts';
import type { Sample } from './run-form.ts';

/** How a run was made; every figure in a report is read against these. */
export interface SeedsOptions {
  /** Latencies are the texts' own divided by this; 1 with --full. */
  scale: number;
  repeats: number;
  /** Experiment ids to run; all when empty. */
  only: string[];
  sweep: boolean;
}

export interface FormResult {
  form: NodeForm;
  /** Threads, processes or in-flight limit, where the form has one. */
  size?: number;
  samples: Sample[];
}

export interface ExperimentResult {
  id: string;
  kind: 'io' | 'cpu';
  /** The latencies used, after scaling (I/O only). */
  latenciesMs?: number[];
  forms: FormResult[];
}

export interface SweepPoint {
  form: 'thread-pool' | 'bounded';
  size: number;
  samples: Sample[];
}

export interface SweepResult {
  /** The batch swept: Real Python's 160 pages. */
  experiment: string;
  latencyMs: number;
  points: SweepPoint[];
}

export interface SeedsResults {
  command: string;
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; commit?: string };
  options: SeedsOptions;
  experiments: ExperimentResult[];
  sweep?: SweepResult;
}
