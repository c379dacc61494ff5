import { formatSeconds, remainingSeconds, runSeconds } from './eta.ts';
import type { Progress } from '../scenario-loop.ts';
import type { RunHooks, RunPhase, HarnessOptions, Scenario } from '../types.ts';
import { scenarioLabel } from '../analyse/scenario-key.ts';

/** Where progress goes: stderr, or any stream that says whether it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressSettings {
  /** How often the live line is redrawn on a terminal. */
  ttyIntervalMs?: number;
  /** How often a plain line is written when not on a terminal (CI logs): never a silent wait longer. */
  plainIntervalMs?: number;
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[2K';

/**
 * Shows where the run is, k6/autocannon style: on a terminal one line redrawn every second (phase,
 * elapsed, requests and errors so far, time left); elsewhere a plain line at each run's start and
 * every few seconds, so a log shows progress without control characters.
 */
export class ProgressDisplay {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly now: () => number;
  private readonly runs: number[];
  private timer: NodeJS.Timeout | undefined;
  private current: { progress: Progress; startedAt: number; estimate: number; label: string } | undefined;
  private phase:
    | { name: RunPhase; seconds: number | undefined; startedAt: number; requests: number; errors: number }
    | undefined;
  private done = { estimated: 0, actual: 0, runs: 0 };
  private lineShown = false;
  /** Before the first run: what the harness is waiting for (start-up, the CPU baseline), and since when. */
  private preparing: { text: string; since: number } | undefined;

  constructor(
    stream: ProgressStream,
    options: HarnessOptions,
    scenarios: readonly Scenario[],
    settings: ProgressSettings = {},
  ) {
    this.stream = stream;
    this.tty = stream.isTTY === true;
    this.now = settings.now ?? (() => performance.now());
    this.runs = scenarios.flatMap((s) => Array<number>(options.repeat).fill(runSeconds(options, s).expected));
    const interval = this.tty ? (settings.ttyIntervalMs ?? 1000) : (settings.plainIntervalMs ?? 5000);
    this.timer = setInterval(() => this.tick(), interval);
    this.timer.unref();
  }

  /** A line that stays (start-up steps, warnings): the live line is cleared first and redrawn after. */
  note(text: string): void {
    this.clearLive();
    this.stream.write(`${text}\n`);
    this.drawLive();
  }

  /** Start-up work before the first run, shown with its elapsed time so a slow start is never silent. */
  preparingTo(text: string): void {
    this.preparing = { text, since: this.now() };
    this.note(`loadtest: ${text}…`);
  }

  /** For `runMatrix`: a run begins. */
  runStarted(progress: Progress): void {
    this.finishRun();
    this.preparing = undefined;
    const estimate = this.runs[this.done.runs] ?? 0;
    this.current = {
      progress,
      startedAt: this.now(),
      estimate,
      label: `[${progress.index}/${progress.total}] ${scenarioLabel(progress.scenario)}${progress.repeat > 1 ? ` (run ${progress.repeat})` : ''}`,
    };
    this.phase = undefined;
    if (!this.tty) this.stream.write(`${this.current.label} — about ${formatSeconds(this.secondsLeft())} left\n`);
    this.drawLive();
  }

  /** For `runScenario`: phases and outcomes of the run under way. */
  readonly hooks: RunHooks = {
    onPhase: (name, seconds) => {
      this.phase = { name, seconds, startedAt: this.now(), requests: 0, errors: 0 };
      this.drawLive();
    },
    onOutcome: (ok) => {
      if (!this.phase) return;
      this.phase.requests++;
      if (!ok) this.phase.errors++;
    },
  };

  /** The run is over: stop redrawing and leave the last run's line in place. */
  stop(): void {
    this.finishRun();
    this.clearLive();
    this.preparing = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private secondsLeft(): number {
    const index = this.done.runs;
    const elapsed = this.current ? (this.now() - this.current.startedAt) / 1000 : 0;
    const later = this.runs.slice(index + 1).reduce((a, b) => a + b, 0);
    const currentLeft = Math.max(0, (this.runs[index] ?? 0) - elapsed);
    return remainingSeconds(later + currentLeft, this.done.estimated, this.done.actual);
  }

  private status(): string {
    if (!this.current)
      return this.preparing
        ? `loadtest: ${this.preparing.text} — ${formatSeconds((this.now() - this.preparing.since) / 1000)}`
        : '';
    const p = this.phase;
    if (!p) return `${this.current.label} — starting`;
    const elapsed = Math.floor((this.now() - p.startedAt) / 1000);
    const clock =
      p.seconds !== undefined ? `${p.name} ${Math.min(elapsed, p.seconds)}/${p.seconds} s` : `${p.name} ${elapsed} s`;
    const counts = p.name === 'settling' ? '' : `, ${p.requests} requests, ${p.errors} errors`;
    return `${this.current.label} — ${clock}${counts} — about ${formatSeconds(this.secondsLeft())} left`;
  }

  private tick(): void {
    if (!this.current && !this.preparing) return;
    if (this.tty) this.drawLive();
    else this.stream.write(`${this.status()}\n`);
  }

  private drawLive(): void {
    if (!this.tty || (!this.current && !this.preparing)) return;
    this.stream.write(`${CLEAR_LINE}${this.status()}`);
    this.lineShown = true;
  }

  private clearLive(): void {
    if (this.lineShown) this.stream.write(CLEAR_LINE);
    this.lineShown = false;
  }

  private finishRun(): void {
    if (!this.current) return;
    const actual = (this.now() - this.current.startedAt) / 1000;
    this.done = {
      estimated: this.done.estimated + this.current.estimate,
      actual: this.done.actual + actual,
      runs: this.done.runs + 1,
    };
    if (this.tty) {
      const p = this.phase;
      const counts = p?.name === 'measuring' ? `: ${p.requests} requests, ${p.errors} errors measured` : '';
      this.clearLive();
      this.stream.write(`${this.current.label} — done in ${formatSeconds(actual)}${counts}\n`);
    }
    this.current = undefined;
    this.phase = undefined;
  }
}
