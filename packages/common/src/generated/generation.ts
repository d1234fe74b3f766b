// Generation id: the first 8 bytes of SHA-256 over every binary payload of a set, so the same content always
// gets the same id (byte-identical output for identical input) and different content a different one.
import { createHash } from "node:crypto";

export function computeGeneration(parts: readonly { readonly name: string; readonly payload: Uint8Array }[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    const name = new TextEncoder().encode(p.name);
    const len = new Uint8Array(8);
    new DataView(len.buffer).setUint32(0, name.length, true);
    new DataView(len.buffer).setUint32(4, p.payload.length, true);
    h.update(len);
    h.update(name);
    h.update(p.payload);
  }
  return h.digest("hex").slice(0, 16);
}
