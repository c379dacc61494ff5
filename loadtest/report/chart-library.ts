import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * uPlot (MIT, ~50 KB), read from the installed package and inlined into report.html, so the report
 * stays one file that opens offline. Read once, on first use.
 */
let cached: { script: string; style: string } | undefined;

export function chartLibrary(): { script: string; style: string } {
  if (!cached) {
    const dist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'));
    // Inside an inline <script>, "</script" would end the element; the library has none, but make sure.
    const script = readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
    cached = { script, style: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
  }
  return cached;
}
