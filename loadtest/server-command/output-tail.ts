/**
 * The last lines a started command wrote (stdout and stderr together), kept so that a command that
 * exits early or never listens is reported with what it said, not with "exited with code 1".
 */
export class OutputTail {
  #lines: string[] = [];
  #partial = '';
  readonly #keep: number;

  constructor(keep = 20) {
    this.#keep = keep;
  }

  /** Takes a chunk of output as it arrives. */
  add(chunk: Buffer | string): void {
    const parts = (this.#partial + chunk.toString()).split('\n');
    this.#partial = parts.pop() ?? '';
    this.#lines.push(...parts);
    if (this.#lines.length > this.#keep) this.#lines.splice(0, this.#lines.length - this.#keep);
  }

  /** The tail, each line indented under the one-line error; empty when the command said nothing. */
  text(indent = '  | '): string {
    const lines = [...this.#lines, ...(this.#partial ? [this.#partial] : [])].slice(-this.#keep);
    return lines.map((line) => `${indent}${line}`).join('\n');
  }
}
