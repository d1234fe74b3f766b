// POST /api/control: pause or resume feeds, the engine or the tracker through the Control region, exactly as
// `spread-ctl pause|resume` does. Three gates before anything is written:
//  - [web] control = true, which settings.ts allows only with a token (the route's caller passed the token check);
//  - a JSON body: a cross-site HTML form cannot send one, and a cross-site fetch of it needs a CORS preflight this
//    server never grants;
//  - when the request carries an Origin (every browser POST does), it must be this server's.
// kill and shutdown are not offered: a stopped process needs the box (systemd or `spread-ctl up`) to come back.
import { z } from "zod";
import { errorMessage, HealthSlot, NUM_SOURCES } from "@spread/common";
import { sendControl, targetSlots } from "@spread/ctl";
import { Control, REGIONS, openRegion } from "@spread/shm";

const Body = z.strictObject({
  action: z.enum(["pause", "resume"]),
  target: z.string().min(1).max(40),
});

export interface ControlResult {
  readonly status: number;
  readonly body: { ok: true; done: string } | { ok: false; error: string };
}

export class WebControl {
  private control: Control | null = null;
  /** Commands written since start (Health and /metrics). */
  sent = 0;

  constructor(
    private readonly prefix: string,
    private readonly allowForeignOwner: boolean,
  ) {}

  /** Maps Control on first use: the shm may not exist yet when spread-web starts. */
  private region(): Control {
    this.control ??= new Control(openRegion(this.prefix, REGIONS.find((r) => r.key === "control")!, { allowForeignOwner: this.allowForeignOwner }));
    return this.control;
  }

  /** Validates and carries out one request body (already parsed from JSON; `unknown` on purpose). */
  apply(input: unknown): ControlResult {
    const parsed = Body.safeParse(input);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      return { status: 400, body: { ok: false, error: `${i.path.join(".") || "body"}: ${i.message}` } };
    }
    const { action, target } = parsed.data;
    let slots: number[] | "all";
    try {
      slots = targetSlots(target);
    } catch (err) {
      return { status: 400, body: { ok: false, error: `target: ${errorMessage(err)}` } };
    }
    // Discovery, alerts and spread-web itself have slots too, but pausing them from here is nobody's intent.
    if (slots !== "all" && !slots.every((s) => s < NUM_SOURCES || s === HealthSlot.engine || s === HealthSlot.tracker)) {
      return { status: 400, body: { ok: false, error: `target: "${target}" cannot be paused from the web (all, feeds, a source, engine or tracker)` } };
    }
    let done: string;
    try {
      done = sendControl({ control: this.region() }, action, target);
    } catch (err) {
      this.control = null;
      return { status: 503, body: { ok: false, error: `shared memory not usable: ${errorMessage(err)}` } };
    }
    this.sent++;
    return { status: 200, body: { ok: true, done } };
  }
}
