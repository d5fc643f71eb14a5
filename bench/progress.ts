// A progress line on stderr, rewritten in place on a terminal; elsewhere a line every 10 % (and
// at least every 30 s, so a long run into a log file still shows it moves).

export class Progress {
  private done = 0;
  private lastPrinted = -1;
  private lastPrintedAt = 0;
  private readonly started = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly quiet = false,
  ) {
    this.draw();
  }

  tick(n = 1): void {
    this.done += n;
    this.draw();
  }

  finish(note = ''): void {
    if (this.quiet) return;
    if (this.tty) process.stderr.write('\r\x1b[2K');
    process.stderr.write(`${this.line()}${note ? `  ${note}` : ''}\n`);
  }

  private line(): string {
    const width = 24;
    const filled = this.total > 0 ? Math.round((this.done / this.total) * width) : width;
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    return `${this.label.padEnd(28)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}  ${rate.toFixed(1)}/s  ${seconds.toFixed(0)} s`;
  }

  private draw(): void {
    if (this.quiet) return;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K${this.line()}`);
      return;
    }
    const tenth = this.total > 0 ? Math.floor((this.done / this.total) * 10) : 10;
    const quietFor = Date.now() - this.lastPrintedAt;
    if ((tenth !== this.lastPrinted || quietFor >= 30_000) && this.done < this.total) {
      this.lastPrinted = tenth;
      this.lastPrintedAt = Date.now();
      process.stderr.write(`${this.line()}\n`);
    }
  }
}
