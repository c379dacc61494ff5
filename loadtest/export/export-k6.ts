import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseThreshold } from '../analyse/thresholds.ts';
import { planScenarios } from '../matrix.ts';
import type { HarnessOptions } from '../types.ts';
import { k6FileName, k6Script } from './k6-script.ts';
import { k6Thresholds } from './k6-thresholds.ts';

/** Where a server started by `npm start` listens; a script's BASE_URL overrides it. */
const DEFAULT_BASE_URL = 'http://127.0.0.1:3000';

/**
 * Writes every scenario the options plan as a k6 script into `dir` (created if missing), sending no
 * load. @returns the paths written, in run order.
 */
export async function exportK6(options: HarnessOptions, dir: string, command: string): Promise<string[]> {
  const thresholds = options.thresholds.map(parseThreshold);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const scenario of planScenarios(options)) {
    const settings = {
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      probeRate: options.probeRate,
      baseUrl: options.url ?? DEFAULT_BASE_URL,
      command,
    };
    const path = join(dir, k6FileName(scenario));
    await writeFile(path, k6Script(scenario, settings, k6Thresholds(scenario, thresholds, options.duration)));
    written.push(path);
  }
  return written;
}
