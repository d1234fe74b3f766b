// The tracker's rows use the engine's spread math (@spread/engine), with the taker fees of [engine].
import { DIRECTIONS } from "@spread/common";
import { grossPct, netEntryPct, netRoundTripPct } from "@spread/engine";
import type { SpreadMath } from "./tracker.ts";

/** `fees` = taker fee percent indexed by source_id (feeTable of @spread/engine). */
export function engineMath(fees: Float64Array): SpreadMath {
  const spotFee = new Float64Array(DIRECTIONS.length);
  const futFee = new Float64Array(DIRECTIONS.length);
  for (const d of DIRECTIONS) {
    spotFee[d.id] = fees[d.spot]!;
    futFee[d.id] = fees[d.futures]!;
  }
  return {
    grossPct,
    netPct: (d, g) => netEntryPct(g, spotFee[d]!, futFee[d]!),
    netRoundTripPct: (d, g) => netRoundTripPct(g, spotFee[d]!, futFee[d]!),
  };
}
