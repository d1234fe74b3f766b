// generated/ formats and loaders (docs/formats.md): written by Pair Discovery, read by feeds, engine, tracker, ctl.
export * from "./layout.ts";
export * from "./errors.ts";
export * from "./crc32.ts";
export * from "./envelope.ts";
export * from "./generation.ts";
export * from "./symbols.ts";
export * from "./directions.ts";
export * from "./source-symbols.ts";
export * from "./metadata.ts";
export * from "./load.ts";
