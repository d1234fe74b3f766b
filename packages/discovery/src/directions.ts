// Stage 6: per direction (spot source, futures source) the symbols listed on both, ascending symbol_id.
import { DIRECTIONS, type DirectionDef } from "@spread/common";
import type { Registry } from "./registry.ts";

export function buildDirections(reg: Registry, defs: readonly DirectionDef[] = DIRECTIONS): number[][] {
  return defs.map((d) => reg.symbols.filter((s) => s.listings[d.spot] && s.listings[d.futures]).map((s) => s.id));
}
