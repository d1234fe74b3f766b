// Preloaded by `bun test` (bunfig.toml [test] preload): tests never see the caller's SPREAD_SCANNER_* variables
// (shm prefix, log level), so an operator's exported environment cannot change a result. Tests that need one
// set it explicitly, in process.env for the test or in the env of the process they spawn.
// Bun.spawn without `env` hands children the environment Bun started with, not process.env: spawns pass
// `env: process.env` (or a copy) so the cleaned environment is the one inherited.
for (const key of Object.keys(process.env)) if (key.startsWith("SPREAD_SCANNER_")) delete process.env[key];
