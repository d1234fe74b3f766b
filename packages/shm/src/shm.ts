// All eight regions of one prefix at once: createAll (shm-init), openAll (every process), unlinkAll.
import { ConfigError, ShmSchema } from "@spread/common";
import { Bitmap } from "./bitmap.ts";
import { Control } from "./control.ts";
import { EventBus } from "./event-bus.ts";
import { Health } from "./health.ts";
import { REGIONS, shmPath, type RegionKey } from "./layout.ts";
import { PriceStore } from "./price-store.ts";
import { ShmError, createRegion, openRegion, statRegion, unlinkRegion, type CreateOptions, type CreateOutcome, type OwnerPolicy, type Region } from "./region.ts";
import { TrackedState } from "./tracked.ts";
import { FundingStore } from "./funding.ts";
import { WakeWaiter, Waker } from "./wake.ts";

/** The mapped regions of one prefix with their typed accessors. */
export class Shm {
  readonly prices: PriceStore;
  readonly bitmap: Bitmap;
  readonly events: EventBus;
  readonly health: Health;
  readonly control: Control;
  readonly tracked: TrackedState;
  readonly funding: FundingStore;

  constructor(
    readonly prefix: string,
    readonly regions: Readonly<Record<RegionKey, Region>>,
  ) {
    this.prices = new PriceStore(regions.seqs, regions.data);
    this.bitmap = new Bitmap(regions.bitmap);
    this.events = new EventBus(regions.events);
    this.health = new Health(regions.health);
    this.control = new Control(regions.control);
    this.tracked = new TrackedState(regions.tracked);
    this.funding = new FundingStore(regions.funding);
  }

  /** Producer side of a wake channel (WakeChannel.engine / .tracker). */
  waker(channel: number): Waker {
    return new Waker(this.regions.control, channel);
  }

  /** Consumer side of a wake channel; blocks its thread, so create it inside a Worker. */
  waiter(channel: number, opts: { allowMainThread?: boolean } = {}): WakeWaiter {
    return new WakeWaiter(this.regions.control, channel, opts);
  }
}

/** Validates a prefix with the same rule as config.toml [shm].prefix (it becomes a file name). */
export function checkPrefix(prefix: string): string {
  const r = ShmSchema.shape.prefix.safeParse(prefix);
  if (!r.success) throw new ConfigError(`shm prefix "${prefix}": ${r.error.issues[0]?.message ?? "invalid"}`);
  return prefix;
}

/**
 * Opens every region of `prefix` (created beforehand by shm-init) and validates each header.
 * Tools that must not write read snapshots instead (status.ts): there is no read-only mapping.
 */
export function openAll(prefix: string, policy: OwnerPolicy = {}): Shm {
  checkPrefix(prefix);
  const regions = {} as Record<RegionKey, Region>;
  for (const spec of REGIONS) regions[spec.key] = openRegion(prefix, spec, policy);
  return new Shm(prefix, regions);
}

export interface RegionReport {
  readonly key: RegionKey;
  readonly path: string;
  readonly size: number;
  readonly outcome: CreateOutcome;
  readonly changes: readonly string[];
}

/** shm-init refused because existing regions do not match this layout; one line per region. */
export class ShmMismatchError extends Error {
  override readonly name = "ShmMismatchError";
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/**
 * Creates missing regions and checks existing ones (idempotent). If any existing region mismatches,
 * nothing is changed and ShmMismatchError lists them all, unless opts.force (then they are recreated).
 */
export function createAll(prefix: string, opts: CreateOptions = {}): { shm: Shm; reports: RegionReport[] } {
  checkPrefix(prefix);
  if (!opts.force) {
    const problems: string[] = [];
    for (const spec of REGIONS) {
      const st = statRegion(prefix, spec);
      if (st.state === "unreadable") throw new ShmError("permission", st.path, st.problem!);
      if (st.state === "mismatch") problems.push(`${st.path}: ${st.problem}`);
    }
    if (problems.length) throw new ShmMismatchError(problems);
  }
  const regions = {} as Record<RegionKey, Region>;
  const reports: RegionReport[] = [];
  for (const spec of REGIONS) {
    const r = createRegion(prefix, spec, opts);
    regions[spec.key] = r.region;
    reports.push({ key: spec.key, path: r.region.path, size: spec.size, outcome: r.outcome, changes: r.changes });
  }
  return { shm: new Shm(prefix, regions), reports };
}

/** Removes every region name of `prefix`; returns which existed. Mappings in live processes stay valid. */
export function unlinkAll(prefix: string): { key: RegionKey; path: string; removed: boolean }[] {
  checkPrefix(prefix);
  return REGIONS.map((spec) => ({ key: spec.key, path: shmPath(prefix, spec.key), removed: unlinkRegion(prefix, spec) }));
}
