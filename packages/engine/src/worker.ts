// The engine loop's thread (runtime.ts starts it). It maps the regions itself, builds the index and runs
// EngineLoop until the main thread sets the stop flag and wakes the engine channel.
import { parentPort, workerData } from "node:worker_threads";
import { errorMessage, loadAppConfig } from "@spread/common";
import { openAll } from "@spread/shm";
import { EngineLoop, LoopControl, type LoopMessage } from "./loop.ts";

export interface EngineWorkerData {
  readonly prefix: string;
  readonly config: string;
  readonly generatedDir: string;
  readonly control: SharedArrayBuffer;
}

const data = workerData as EngineWorkerData;
const post = (m: LoopMessage) => parentPort!.postMessage(m);
try {
  const app = loadAppConfig(data.config);
  const loop = new EngineLoop({
    shm: openAll(data.prefix),
    engine: app.engine,
    generatedDir: data.generatedDir,
    feedHealthIntervalMs: app.feed.health_interval_ms,
    control: new LoopControl(data.control),
    post,
  });
  loop.run();
} catch (err) {
  post({ type: "log", level: "error", msg: "engine loop failed", data: { err: errorMessage(err) } });
  throw err;
}
