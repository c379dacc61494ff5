import { describe, expect, it } from 'vitest';
import {
  isTargetScenario,
  machineLimitReasons,
  notLooplabNote,
  probeNote,
  TARGET_MODE,
} from '../../loadtest/analyse/target-scenario.ts';

describe("the notes on a --target run's rows", () => {
  it('gives as reasons for the * mark exactly the limits that were hit', () => {
    const none = { generatorBound: false, generatorLagged: false, machineSaturated: false };
    expect(machineLimitReasons(none)).toEqual([]);
    expect(machineLimitReasons({ ...none, generatorBound: true })).toEqual([
      'the load generator used about a whole core',
    ]);
    expect(machineLimitReasons({ ...none, generatorLagged: true })).toEqual([
      'the generator sent late (send-lag p99 above 2 ms and 10% of p50)',
    ]);
    expect(machineLimitReasons({ ...none, machineSaturated: true })).toEqual(["the machine's CPU was ≥ 90% busy"]);
  });

  it('says where the blame comes from: the preload the harness started, the --blame-url given, or how to get it', () => {
    expect(notLooplabNote({ command: ['node', 'server.js'], blameUrl: 'http://127.0.0.1:9/blame' })).toContain(
      'stall blame from the preload the harness started it with',
    );
    expect(notLooplabNote({ command: undefined, blameUrl: 'http://127.0.0.1:9/blame' })).toContain(
      'stall blame from http://127.0.0.1:9/blame',
    );
    expect(notLooplabNote({ command: undefined, blameUrl: undefined })).toContain(
      "give your server's command after --",
    );
  });

  it('says whether the canary ran, and at what rate', () => {
    expect(probeNote({ probe: '/health', probeRate: 20 })).toBe(
      'canary: /health probed 20×/s from a process of its own',
    );
    expect(probeNote({ probe: undefined, probeRate: 20 })).toBe(
      'no --probe given, so the canary (/health p99) column is empty',
    );
  });

  it('knows a target scenario by its mode alone', () => {
    expect(isTargetScenario({ mode: TARGET_MODE })).toBe(true);
    expect(isTargetScenario({ mode: 'async' })).toBe(false);
  });
});
