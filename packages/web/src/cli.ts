// bins/spread-web.ts: the citty command and the process around the server: its Health slot (the only bytes of
// shared memory it writes), signals, and the refusal to start on a non-loopback address without a token.
import { defineCommand } from "citty";
import {
  configArg, createLogger, DATA_ARG, errorMessage, GENERATED_ARG, HealthSlot, loadAppConfig, ProcessKind, RefusalExit, RefusedError, runBin, watchSupervisor,
} from "@spread/common";
import { Health, REGIONS, SlotBusyError, beaconSlot, openRegion, type SlotBeacon } from "@spread/shm";
import { startServer } from "./server.ts";
import { webSettings } from "./settings.ts";
import { WebState } from "./state.ts";

const SLOT = HealthSlot.web;
const CLAIM_RETRY_MS = 5000;

export async function runWeb(args: { config: string; bind?: string; port?: string; generated?: string; data?: string }): Promise<void> {
  const app = loadAppConfig(args.config);
  const s = webSettings(app, args);
  const log = createLogger("spread-web", app.log.level);
  const st = new WebState(s, app);
  st.web = { slot: SLOT, claimed: false, problem: null };

  let beacon: SlotBeacon | undefined;
  /** Claims Health slot HealthSlot.web (15); a live second spread-web on the prefix refuses us at start. */
  const claim = (atStart: boolean) => {
    try {
      const health = new Health(openRegion(s.prefix, REGIONS.find((r) => r.key === "health")!, { allowForeignOwner: app.shm.allow_foreign_owner }));
      beacon = beaconSlot(s.prefix, SLOT, ProcessKind.web, health);
      st.web = { slot: SLOT, claimed: true, problem: null };
      log.info({ slot: SLOT }, "Health slot claimed");
    } catch (err) {
      if (err instanceof SlotBusyError && atStart) throw new RefusedError(`no Health slot free for spread-web: ${err.message}`, RefusalExit.slotBusy);
      const problem = err instanceof SlotBusyError ? `no Health slot free: ${err.message}` : `shared memory not usable yet (${errorMessage(err)}); retrying every ${CLAIM_RETRY_MS / 1000} s`;
      if (st.web.problem !== problem) log.warn({ slot: SLOT }, problem);
      st.web = { slot: SLOT, claimed: false, problem };
    }
  };
  claim(true);

  let web: ReturnType<typeof startServer>;
  try {
    web = startServer(s, st, log);
  } catch (err) {
    beacon?.finish();
    // Exit 1, not 2: a port another process holds may be free on the next start (the supervisor retries).
    throw new Error(`cannot listen on ${s.bind}:${s.port}: ${errorMessage(err)}`);
  }
  log.info({ url: `http://${s.bind.includes(":") ? `[${s.bind}]` : s.bind}:${web.server.port}/`, token: s.token !== "", control: s.control, prefix: s.prefix, data: s.data }, "spread-web listening");

  const supervised = watchSupervisor(log);
  const housekeeping = setInterval(() => {
    if (!supervised()) return;
    if (!beacon) return claim(false);
    st.followReload();
    const r = beacon.record;
    r.configGeneration = Math.max(0, st.loadedGeneration);
    r.messages = web.counters.requests;
    r.updates = web.pusher.sent;
    r.invalid = web.counters.denied;
    r.connectionsUp = Math.min(65535, web.pusher.clients.size);
  }, 1000);

  await new Promise<void>((done) => {
    const stop = (why: string) => {
      log.info({ why }, "stopping");
      clearInterval(housekeeping);
      web.stop();
      beacon?.finish();
      done();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  process.exit(0);
}

export async function webMain(): Promise<void> {
  const cmd = defineCommand({
    meta: {
      name: "spread-web",
      description:
        "Read-only dashboard (Spreads, Trackings, Pairs, Health), /api/* JSON and Prometheus /metrics over HTTP. Binds 127.0.0.1:8787 by default; any other address needs [web] token. Reads shared memory from private snapshots, writes only its Health slot, never Control. SIGTERM: exit 0.",
    },
    args: {
      config: configArg(),
      bind: { type: "string", description: "address to listen on (default: [web] bind)", valueHint: "ADDR" },
      port: { type: "string", description: "port (default: [web] port; 0 = any free port)", valueHint: "PORT" },
      generated: GENERATED_ARG,
      data: DATA_ARG,
    },
    async run({ args }) {
      await runWeb(args);
    },
  });
  await runBin(cmd);
}
