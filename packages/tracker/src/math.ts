// PLACEHOLDER until @spread/engine exports the spread math (issue 11): gross only, zero fees.
import type { SpreadMath } from "./tracker.ts";

export const placeholderMath: SpreadMath = {
  grossPct: (spotAsk, futuresBid) => ((futuresBid - spotAsk) / spotAsk) * 100,
  netPct: (_d, g) => g,
  netRoundTripPct: (_d, g) => g,
};
