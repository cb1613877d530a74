/**
 * One status line that long work keeps rewriting: in place on a terminal, and at most every few seconds as plain lines
 * when the output is a file or a CI log.
 */
export class Progress {
  readonly #tty = process.stdout.isTTY === true;
  #lastPrinted = 0;
  #width = 0;

  update(text: string): void {
    const now = Date.now();
    if (this.#tty) {
      if (now - this.#lastPrinted < 100) return;
      this.#lastPrinted = now;
      const line = text.length > 150 ? `${text.slice(0, 149)}…` : text;
      process.stdout.write(`\r${line.padEnd(this.#width)}`);
      this.#width = line.length;
    } else if (now - this.#lastPrinted >= 3000) {
      this.#lastPrinted = now;
      process.stdout.write(`${text}\n`);
    }
  }

  /** Replaces the status line with a final one. */
  done(text: string): void {
    if (this.#tty) process.stdout.write(`\r${text.padEnd(this.#width)}\n`);
    else process.stdout.write(`${text}\n`);
    this.#width = 0;
    this.#lastPrinted = 0;
  }
}

export const bar = (fraction: number, width = 24): string => {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}%`;
};

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const fmtRate = (n: number): string => `${fmtInt(n)}/s`;
