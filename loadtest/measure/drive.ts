import { runClosedModel } from './closed-model.ts';
import { runOpenModel } from './open-model.ts';
import { isOk, type Outcome, type OutcomeLog } from './outcome-log.ts';
import type { RunHooks, Latency, Scenario } from '../types.ts';

/** Requests slower than this count as timeouts. Parameters bound one request to ~30 s of waiting. */
export const REQUEST_TIMEOUT_SECONDS = 40;
/** Open model: most requests in flight before new arrivals are dropped (split across generators). */
export const OPEN_MODEL_MAX_IN_FLIGHT = 1000;

/** A server far behind the offered rate must not stretch the run by its whole backlog. */
export const drainMs = (seconds: number) => Math.min(10_000, seconds * 1000);

/** What one stretch of load sent and saw, from one generator or merged from several. */
export interface Load {
  model: 'closed' | 'open';
  due: number;
  windowSeconds: number;
  log: OutcomeLog;
  dropped: number;
  abandoned: number;
  sendLag: Latency | null;
  /** CPU seconds each generator process other than this one used (empty when this process sent it all). */
  childCpuSeconds: number[];
}

/** Sends a scenario's load for some seconds: in this process, or from generator processes. */
export interface LoadDriver {
  drive(origin: string, scenario: Scenario, seconds: number, onOutcome?: RunHooks['onOutcome']): Promise<Load>;
  /** Ends any generator processes it started. */
  stop(): void;
}

/** One generator, this process: the closed model through autocannon, the open model through undici. */
export const inProcessDriver: LoadDriver = {
  async drive(origin, scenario, seconds, onOutcome) {
    if (scenario.rate === undefined) {
      const closed = await runClosedModel({
        url: origin + scenario.path,
        connections: scenario.connections,
        durationSeconds: seconds,
        timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
        onOutcome,
      });
      return {
        model: 'closed',
        due: closed.sent,
        windowSeconds: closed.windowSeconds,
        log: closed.log,
        dropped: 0,
        abandoned: 0,
        sendLag: null,
        childCpuSeconds: [],
      };
    }
    const open = await runOpenModel({
      origin,
      path: scenario.path,
      rate: scenario.rate,
      durationSeconds: seconds,
      maxInFlight: OPEN_MODEL_MAX_IN_FLIGHT,
      timeoutMs: REQUEST_TIMEOUT_SECONDS * 1000,
      drainMs: drainMs(seconds),
      ...(onOutcome ? { onResult: (_due: number, outcome: Outcome) => onOutcome(isOk(outcome)) } : {}),
    });
    return {
      model: 'open',
      due: open.due,
      windowSeconds: open.windowSeconds,
      log: open.log,
      dropped: open.dropped,
      abandoned: open.abandoned,
      sendLag: open.sendLag,
      childCpuSeconds: [],
    };
  },
  stop() {},
};
