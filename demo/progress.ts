// The progress line on stderr: rewritten in place on a terminal, a plain line every few
// seconds otherwise (a log file or CI), so the output stays readable either way.

export interface ProgressState {
  phase: string;
  sent: number;
  total: number;
  /** Short figures, shown in order: "labelled 40". */
  figures: [string, number][];
  faults: string[];
}

const WIDTH = 24;

export function renderProgress({ phase, sent, total, figures, faults }: ProgressState): string {
  const share = total === 0 ? 1 : Math.min(sent / total, 1);
  const filled = Math.round(share * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
  const parts = [`${phase.padEnd(8)} ${bar} ${String(Math.round(share * 100)).padStart(3)}%`, `orders ${sent}/${total}`];
  parts.push(...figures.filter(([, n]) => n > 0).map(([label, n]) => `${label} ${n}`));
  if (faults.length > 0) parts.push(`faults: ${faults.join('; ')}`);
  return parts.join(' · ');
}

export class ProgressLine {
  private lastDrawn = 0;
  private lastText = '';
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(out.isTTY);
  }

  update(state: ProgressState, force = false): void {
    const now = Date.now();
    const text = renderProgress(state);
    if (this.tty) {
      if (!force && now - this.lastDrawn < 200) return;
      const columns = this.out.columns ?? 120;
      this.out.write(`\r\x1b[2K${text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text}`);
    } else {
      if (!force && (now - this.lastDrawn < 5000 || text === this.lastText)) return;
      this.out.write(`${text}\n`);
    }
    this.lastDrawn = now;
    this.lastText = text;
  }

  /** A message above the line (the line is drawn again on the next update). */
  note(message: string): void {
    this.out.write(this.tty ? `\r\x1b[2K${message}\n` : `${message}\n`);
    this.lastDrawn = 0;
  }

  done(): void {
    if (this.tty && this.lastText) this.out.write('\n');
  }
}
