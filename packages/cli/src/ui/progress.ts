/**
 * A progress bar on a TTY (redrawn in place); on anything else, or with `lines` (several bars advancing at once), a line
 * every 10 %.
 */
export class ProgressBar {
  #lastDecile = -1;
  #started = Date.now();
  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly lines = false,
  ) {}

  update(fraction: number, detail = ''): void {
    const f = Math.max(0, Math.min(1, fraction));
    if (this.out.isTTY && !this.lines) {
      const width = 30;
      const filled = Math.round(f * width);
      this.out.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${detail}\x1b[K`);
      return;
    }
    const decile = Math.floor(f * 10);
    if (decile > this.#lastDecile) {
      this.#lastDecile = decile;
      this.out.write(`${this.label} ${(f * 100).toFixed(0)}% ${detail}\n`);
    }
  }

  done(detail = ''): void {
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(1);
    if (this.out.isTTY && !this.lines) this.out.write('\r\x1b[K');
    this.out.write(`${this.label} done in ${seconds}s ${detail}\n`);
  }
}
