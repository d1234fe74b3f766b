// @spread/ctl: the operator commands behind bins/spread-ctl.ts.
export * from "./src/decode-frames.ts";
export * from "./src/decode-instruments.ts";
export * from "./src/top.ts";
export * from "./src/control-cmds.ts";
