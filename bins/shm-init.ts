#!/usr/bin/env bun
// shm-init: create (idempotently), inspect or remove the shared-memory regions of a prefix.
// Exit 0 = success, 1 = refused (mismatching regions), 2 = usage or configuration error; --status: 0 healthy,
// 1 a process unhealthy, 3 a region missing or corrupt (StatusExit). Logic: @spread/shm src/init.ts.
import { defineCommand } from "citty";
import { CONFIG_HELP, defaultConfigPath, runBin } from "@spread/common";
import { shmInit } from "@spread/shm";

const args = {
  config: { type: "string", description: `${CONFIG_HELP}: [shm] prefix/mode/group`, default: defaultConfigPath(), valueHint: "FILE" },
  prefix: { type: "string", description: "region name prefix (overrides config and env SPREAD_SCANNER_SHM_PREFIX)", valueHint: "NAME" },
  mode: { type: "string", description: "file mode of the regions, e.g. 0660 (default from config: 0600)", valueHint: "OCTAL" },
  group: { type: "string", description: "group to chown the regions to (default from config: keep)", valueHint: "NAME" },
  force: { type: "boolean", description: "recreate regions whose size/magic/version does not match (restart their users after)" },
  status: { type: "boolean", description: "print the status of existing regions; create nothing (exit 0 healthy, 1 a process unhealthy, 3 a region missing or bad)" },
  unlink: { type: "boolean", description: "remove every region of the prefix (tests, ops)" },
} as const;

const main = defineCommand({
  meta: { name: "shm-init", description: "Create or check the spread-scanner shared-memory regions (/dev/shm/<prefix>-*)" },
  args,
  run({ args: a }) {
    const result = shmInit({ config: a.config, prefix: a.prefix, mode: a.mode, group: a.group, force: a.force, status: a.status, unlink: a.unlink });
    for (const line of result.lines) console.log(line);
    for (const line of result.errors) console.error(line);
    process.exit(result.code);
  },
});

// runBin: unknown options, missing values and stray words are usage errors (exit 2), so is a bad config.
await runBin(main);
