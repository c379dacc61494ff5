import { describe, expect, it } from 'vitest';
import { CancelledJobs } from '../../server/queue/cancelled-jobs.ts';

describe('a queue worker’s list of jobs cancelled before it took them', () => {
  it('discards a cancelled job once, and only before its deadline', () => {
    let now = 1_000;
    const jobs = new CancelledJobs(() => now);
    jobs.add('a', 2_000);
    jobs.add('b', 2_000);
    expect(jobs.take('a')).toBe(true);
    expect(jobs.take('a')).toBe(false);
    expect(jobs.take('never-cancelled')).toBe(false);
    now = 2_000;
    expect(jobs.take('b')).toBe(false);
  });

  it('forgets the ids whose deadline has passed as new ones come', () => {
    let now = 0;
    const jobs = new CancelledJobs(() => now);
    jobs.add('early', 100);
    jobs.add('late', 10_000);
    now = 100;
    jobs.add('new', 10_000);
    expect(jobs.size).toBe(2);
  });

  it('keeps an id a minute when the event carries no deadline', () => {
    let now = 0;
    const jobs = new CancelledJobs(() => now);
    jobs.add('x', Number.NaN);
    now = 59_999;
    expect(jobs.take('x')).toBe(true);
  });
});
