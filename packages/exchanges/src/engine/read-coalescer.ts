// Opt-in read coalescing ([feed] read_coalesce_ms): trades a few milliseconds of latency for far fewer wake-ups.
// A feed's CPU is paid per wake-up (~45-50 µs each: kernel, then Bun's native runtime), not per frame (platform
// notes). After the loop turn that read data, every socket of the process is paused (the kernel buffers what
// arrives) and all are resumed together after `windowMs`: the frames of the whole window are then read in one turn.
// A ping or close arriving meanwhile is read at most windowMs late (every venue's heartbeat allows seconds).

/** The slice of Bun's WebSocket client the coalescer drives. */
export interface Pausable {
  pause(): void;
  resume(): void;
  readonly readyState: number;
}

const OPEN = 1;

export class ReadCoalescer {
  private readonly sockets = new Set<Pausable>();
  /** A pause is scheduled or in force (until the window's resume). */
  private holding = false;
  /** Windows started (= loop turns that read data, at most one per window), for benchmarks. */
  windows = 0;
  private readonly pauseAll = (): void => {
    for (const ws of this.sockets) if (ws.readyState === OPEN) ws.pause();
    setTimeout(this.resumeAll, this.windowMs);
  };
  private readonly resumeAll = (): void => {
    this.holding = false;
    for (const ws of this.sockets) {
      if (ws.readyState === OPEN) ws.resume();
      else if (ws.readyState > OPEN) this.sockets.delete(ws); // closed without a close event reaching us
    }
  };

  constructor(readonly windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`ReadCoalescer: windowMs must be > 0, got ${windowMs}`);
  }

  add(ws: Pausable): void {
    this.sockets.add(ws);
  }

  delete(ws: Pausable): void {
    this.sockets.delete(ws);
  }

  /** A socket delivered a frame: at the end of this loop turn, hold every socket for one window. */
  onData(): void {
    if (this.holding) return;
    this.holding = true;
    this.windows++;
    setImmediate(this.pauseAll);
  }
}
