/**
 * A bound on the bytes of input documents held at once. `extract` and the local `run` keep many
 * documents in flight so that LibreOffice runs stay full; counting documents alone would let a
 * few dozen large ones fill memory (16 PDFs of 50 MB: 800 MB). A task waits until its bytes fit;
 * one that is larger than the whole budget still runs, alone, so nothing waits forever.
 */

/** Input bytes held at once by default (issue #15's goal: a peak RSS of at most 300 MB per worker). */
export const BYTES_IN_FLIGHT = 128 * 1024 * 1024;

export class ByteBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; go: () => void }> = [];

  constructor(private readonly limit: number) {}

  /** Run `fn` once `bytes` fit in the budget (first come, first served), then give them back. */
  async run<T>(bytes: number, fn: () => Promise<T>): Promise<T> {
    if (this.waiting.length === 0 && this.fits(bytes)) this.used += bytes;
    else await new Promise<void>((go) => this.waiting.push({ bytes, go })); // wake() counts them
    try {
      return await fn();
    } finally {
      this.used -= bytes;
      this.wake();
    }
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }

  private wake(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      // Counted now, not when its task resumes, so that the next in line sees them.
      this.used += next.bytes;
      next.go();
    }
  }
}
