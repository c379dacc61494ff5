export {
  startStallBlame,
  resolveOptions,
  STALL_BLAME_DEFAULTS,
  type StallBlame,
  type StallBlameOptions,
} from './blame.ts';
export { renderBlameTable, describe, type BlameReport, type BlameLine } from './report.ts';
export { serveBlame, blameUrl } from './endpoint.ts';
export type { Culprit } from './frames.ts';
