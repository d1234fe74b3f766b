// @spread/sim: the exchange simulator (8 sources, REST + WebSocket, fault injection) for tests, benches and the demo.
export { startSim, exchangesToToml, type SimHandle, type SimOptions, type SourceUrls } from "./src/sim.ts";
export { loadScenario, defaultScenario, scenarioFrom, DEFAULT_SCENARIO_NAME } from "./src/scenario/load.ts";
export { ScenarioSchema, FAULT_KINDS, type Scenario, type ScenarioInput, type FaultConfig, type FaultKind, type EpisodeConfig } from "./src/scenario/schema.ts";
export { VENUE_DEFAULTS, type VenueSettings } from "./src/scenario/venue-defaults.ts";
export { buildUniverse, listingCounts, type Universe, type Asset } from "./src/market/universe.ts";
export { Market } from "./src/market/market.ts";
export type { Instrument, InstrumentKind, InstrumentStatus } from "./src/market/instrument.ts";
export { simFunding, newSimFunding, fundingIntervalHours, type SimFunding } from "./src/market/funding.ts";
export { ProtoWriter } from "./src/proto.ts";
export { startSimProcess, type SimProcess } from "./src/process.ts";
export { readyLine } from "./src/ready.ts";
