/** What one run is doing right now, for a progress display. */
export type RunPhase = 'settling' | 'warm-up' | 'measuring';

/**
 * Optional callbacks the scenario runner calls while it works, so the CLI can show live progress
 * without the measuring code printing anything.
 */
export interface RunHooks {
  /** A phase begins; `seconds` is its planned length (settling has none). */
  onPhase?(phase: RunPhase, seconds?: number): void;
  /** A load request ended: answered 2xx (`true`), or anything else — non-2xx, error, timeout (`false`). */
  onOutcome?(ok: boolean): void;
}
