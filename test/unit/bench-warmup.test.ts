import { describe, expect, it } from 'vitest';
import { WARMUP_CHUNK_SECONDS, warmupChunks } from '../../bench/rounds.ts';

describe("the bench's warm-up pieces", () => {
  it('cuts the warm-up into whole pieces and what is left, and none for no warm-up', () => {
    expect(WARMUP_CHUNK_SECONDS).toBe(2);
    expect(warmupChunks(6)).toEqual([2, 2, 2]);
    expect(warmupChunks(5)).toEqual([2, 2, 1]);
    expect(warmupChunks(1)).toEqual([1]);
    expect(warmupChunks(0)).toEqual([]);
  });
});
