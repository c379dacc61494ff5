import type { NodeForm } from '../../seeds/forms.ts';
import type { FormResult, SeedsResults } from '../../seeds/results.ts';

/** A form measured three times, `startMs` of pool start and batches of `batchMs` ± 10%. */
export function fixedForm(form: NodeForm, batchMs: number, startMs = 0, size?: number): FormResult {
  return {
    form,
    ...(size === undefined ? {} : { size }),
    samples: [0.9, 1, 1.1].map((k) => ({ startMs, batchMs: batchMs * k })),
  };
}

/** A finished run with made-up figures: the renderers' input, no processes needed. */
export function fixedSeedsResults(): SeedsResults {
  return {
    command: 'npm run seeds',
    startedAt: '2026-12-07T12:00:00.000Z',
    finishedAt: '2026-12-07T12:02:00.000Z',
    machine: { cpus: 2, cpuModel: 'test CPU', node: 'v24.0.0', platform: 'linux x64', commit: 'abc1234' },
    options: { scale: 10, repeats: 3, only: [], sweep: true },
    experiments: [
      {
        id: 'realpython-io',
        kind: 'io',
        latenciesMs: [9, 9],
        forms: [
          fixedForm('sync-client', 1600),
          fixedForm('sequential-await', 1550),
          fixedForm('promise-all', 20),
          fixedForm('bounded', 320, 0, 5),
          fixedForm('thread-pool', 330, 70, 5),
          fixedForm('process-pool', 800, 400, 2),
        ],
      },
      {
        id: 'javatpoint-io',
        kind: 'io',
        latenciesMs: [9],
        forms: [fixedForm('sync-client', 800), fixedForm('promise-all', 15)],
      },
      {
        id: 'guide-sum',
        kind: 'cpu',
        forms: [
          fixedForm('sequential', 100),
          fixedForm('promise-all', 101),
          fixedForm('thread-pool', 60, 40, 2),
          fixedForm('process-pool', 60, 140, 2),
        ],
      },
    ],
    sweep: {
      experiment: 'realpython-io',
      latencyMs: 9,
      points: [1, 2, 5, 10, 20, 40].flatMap((size) => [
        { form: 'thread-pool' as const, size, samples: [{ startMs: 15 * size, batchMs: 1600 / size }] },
        { form: 'bounded' as const, size, samples: [{ startMs: 0, batchMs: 1600 / size }] },
      ]),
    },
  };
}
