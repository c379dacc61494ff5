import { formatSeconds, priorOverhead, stopSeconds } from './eta.ts';
import {
  calibratedSecondsLeft,
  overheadOf,
  type FinishedRun,
  type Overhead,
  type PlannedRun,
} from './eta-calibration.ts';
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
  /** Every run of the plan in order, and what each finished one took beyond its fixed parts (eta-calibration.ts). */
  private readonly plan: PlannedRun[];
  private readonly finished: FinishedRun[] = [];
  private readonly prior: Overhead;
  private readonly createdAt: number;
  /**
   * After the last run: the CPU baseline is measured again (as long as its first measurement, timed from
   * this display's creation to the first run) and the server is stopped.
   */
  private endSeconds: number;
  private timer: NodeJS.Timeout | undefined;
  private current:
    | { progress: Progress; startedAt: number; measuringAt: number | undefined; label: string }
    | undefined;
  private phase:
    | { name: RunPhase; seconds: number | undefined; startedAt: number; requests: number; errors: number }
    | undefined;
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
    this.createdAt = this.now();
    this.plan = scenarios.flatMap((s) =>
      Array.from({ length: options.repeat }, () => ({
        mode: s.mode,
        warmup: options.warmup,
        duration: options.duration,
      })),
    );
    this.prior = priorOverhead(options);
    this.endSeconds = stopSeconds(options);
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
    // Before the first run, unless it was start-up (preparingTo): the CPU baseline, measured again at the end.
    if (this.finished.length === 0 && !this.preparing) this.endSeconds += (this.now() - this.createdAt) / 1000;
    this.preparing = undefined;
    this.current = {
      progress,
      startedAt: this.now(),
      measuringAt: undefined,
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
      if (name === 'measuring' && this.current) this.current.measuringAt = this.phase.startedAt;
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
    const c = this.current;
    const now = this.now();
    const current = c && {
      elapsed: (now - c.startedAt) / 1000,
      measuringFor: c.measuringAt === undefined ? undefined : (now - c.measuringAt) / 1000,
    };
    return calibratedSecondsLeft(this.plan, this.finished, current, () => this.prior) + this.endSeconds;
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
    const now = this.now();
    const actual = (now - this.current.startedAt) / 1000;
    const run = this.plan[this.finished.length];
    if (run) {
      const seconds = (t: number | undefined) => (t === undefined ? undefined : t / 1000);
      this.finished.push(overheadOf(run, this.current.startedAt / 1000, seconds(this.current.measuringAt), now / 1000));
    }
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
