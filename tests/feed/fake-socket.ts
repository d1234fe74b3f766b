// A scripted WebSocket for connection-engine tests: records what the engine sends, lets the test push frames.
import type { SocketFactory, SocketHandlers, WsLike } from "@spread/exchanges";

export class FakeSocket implements WsLike {
  readonly sent: string[] = [];
  isOpen = false;
  closed: { code?: number; reason?: string } | null = null;
  pings = 0;
  constructor(
    readonly url: string,
    readonly h: SocketHandlers,
  ) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    if (this.closed) return;
    this.closed = { ...(code !== undefined ? { code } : {}), ...(reason !== undefined ? { reason } : {}) };
    this.isOpen = false;
  }
  ping(): void {
    this.pings++;
  }
  open(): void {
    this.isOpen = true;
    this.h.onOpen();
  }
  push(frame: string | Uint8Array): void {
    this.h.onMessage(frame);
  }
  drop(code = 1006): void {
    this.isOpen = false;
    this.h.onClose(code, "");
  }
}

export function fakeFactory(): { factory: SocketFactory; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    factory: (url, h) => {
      const s = new FakeSocket(url, h);
      sockets.push(s);
      return s;
    },
  };
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
