/** What a process started, to be stopped in reverse order. */
export interface StopSteps {
  push(name: string, stop: () => Promise<void>): void;
  /**
   * Stops every step, last started first; a step that fails is reported and the rest still run. Called
   * again, it returns the same stop (a signal during a failed start-up's clean-up must not exit early).
   */
  stopAll(): Promise<void>;
}

export function createStopSteps(): StopSteps {
  const steps: Array<{ name: string; stop: () => Promise<void> }> = [];
  let stopping: Promise<void> | undefined;
  async function run(): Promise<void> {
    // pop(), not a copy: a step pushed while stopping (a start-up still under way) is stopped too.
    for (let step = steps.pop(); step; step = steps.pop()) {
      const { name } = step;
      await step.stop().catch((err: unknown) => console.error(`looplab: stopping ${name} failed: ${String(err)}`));
    }
  }
  return {
    push(name, stop) {
      steps.push({ name, stop });
    },
    stopAll: () => (stopping ??= run()),
  };
}
