// @spread/engine: spread-engine (Price Store → spreads over the 12 directions → signals on the Event Bus)
// and the spread math the tracker shares with it.
export {
  OpenMeasure, feeTable, grossPct, netEntryPct, netRoundTripPct, openMeasureValue, quoteUsable, spreadFigures, type SpreadFigures,
} from "./src/spread.ts";
export {
  DEFAULT_FUNDING_INTERVAL_MIN, fundingHorizonUs, fundingOverHorizonPct, HORIZON_NEXT_SETTLEMENT, settlementsWithin,
} from "./src/funding.ts";
export { MAX_DIRECTIONS_PER_SOURCE_SYMBOL, SourceSymbolIndex } from "./src/source-symbol-index.ts";
export { engineSettings, type EngineSettings } from "./src/settings.ts";
export { Decision, EngineCounters, SpreadEngine, type EngineDeps, type FundingReader } from "./src/engine.ts";
export { Ctl, CtlF, EngineLoop, LoopControl, loadIndex, type LoopMessage, type LoopOptions } from "./src/loop.ts";
export { EngineRuntime, runEngine, type EngineOptions } from "./src/runtime.ts";
export { engineMain } from "./src/cli.ts";
