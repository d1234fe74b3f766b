// The slice of a WebSocket the connection engine uses, so tests can inject a fake and production uses Bun's client.
import type { Pausable, ReadCoalescer } from "./read-coalescer.ts";

export interface SocketHandlers {
  onOpen(): void;
  /** Text frames as string, binary frames as Uint8Array. */
  onMessage(data: string | Uint8Array): void;
  onClose(code: number, reason: string): void;
  onError(message: string): void;
}

export interface WsLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** WebSocket-level ping frame (Binance liveness); may be a no-op for fakes. */
  ping(): void;
  readonly isOpen: boolean;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => WsLike;

/** Bun's native client, permessage-deflate off (inflate costs ~5x the whole uncompressed path). */
export const bunSocketFactory: SocketFactory = (url, h) => bunSocket(url, h, null);

/** Bun's client whose reads are held in windows by `coalescer` (shared by every socket of the process). */
export function coalescingSocketFactory(coalescer: ReadCoalescer): SocketFactory {
  return (url, h) => bunSocket(url, h, coalescer);
}

function bunSocket(url: string, h: SocketHandlers, coalescer: ReadCoalescer | null): WsLike {
  const ws = new WebSocket(url, { perMessageDeflate: false } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  ws.onopen = () => h.onOpen();
  ws.onmessage = (ev: MessageEvent) => {
    const d = ev.data;
    h.onMessage(typeof d === "string" ? d : new Uint8Array(d as ArrayBuffer));
    coalescer?.onData();
  };
  // Bun's client has pause()/resume() (not in the DOM typings).
  const pausable = ws as unknown as Pausable;
  coalescer?.add(pausable);
  ws.onclose = (ev: CloseEvent) => {
    coalescer?.delete(pausable);
    h.onClose(ev.code, ev.reason);
  };
  ws.onerror = (ev: Event) => h.onError((ev as ErrorEvent).message ?? "websocket error");
  return {
    send: (data) => ws.send(data),
    close: (code, reason) => {
      try {
        ws.close(code, reason);
      } catch {
        // Closing twice or while connecting must never throw out of the engine.
      }
    },
    ping: () => {
      try {
        (ws as unknown as { ping(): void }).ping();
      } catch {
        // Not open yet.
      }
    },
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
  };
}
