// @spread/ctl: the operator commands behind bins/spread-ctl.ts.
export * from "./src/decode-frames.ts";
export * from "./src/lines.ts";
export * from "./src/decode-instruments.ts";
export * from "./src/decode-funding.ts";
export * from "./src/spreads.ts";
export * from "./src/control-cmds.ts";
export * from "./src/launch.ts";
export * from "./src/health-table.ts";
export * from "./src/supervisor/commands.ts";
export { runUp, type UpOptions } from "./src/supervisor/up.ts";
export { Supervisor, DEFAULT_BACKOFF, type Backoff, type SupervisorEvent, type ServiceStatus } from "./src/supervisor/supervisor.ts";
export { buildPlan, NO_RESTART_EXIT_CODES, type Plan, type ServiceSpec } from "./src/supervisor/plan.ts";
export { programLocator, type Program } from "./src/supervisor/programs.ts";
export { acquireRunState, liveRunStates, runDir, RUN_DIR_ENV, type RunState } from "./src/supervisor/run-state.ts";
export { reloadAll, type ReloadResult } from "./src/supervisor/reload.ts";
export { resolveCtlConfig } from "./src/supervisor/ctl-config.ts";
export * from "./src/tracks.ts";
export { alertsCommand } from "./src/alerts-cmd.ts";
