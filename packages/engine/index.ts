// @spread/engine: spread-engine (Price Store → spreads over the 12 directions → signals on the Event
// Bus) and the spread math the tracker shares with it.
export {
  OpenMeasure, feeTable, grossPct, netEntryPct, netRoundTripPct, openMeasureValue, quoteUsable, spreadFigures, type SpreadFigures,
} from "./src/spread.ts";
