// @spread/ctl: the operator commands behind bins/spread-ctl.ts.
export * from "./src/decode-frames.ts";
export * from "./src/decode-instruments.ts";
export * from "./src/top.ts";
export * from "./src/control-cmds.ts";
export * from "./src/launch.ts";
export * from "./src/health-table.ts";
export * from "./src/demo.ts";
