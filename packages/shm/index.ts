// @spread/shm: the shared-memory regions of A.8 (Price Store, Bitmap, Event Bus, Health, Control, tracked state, Funding),
// their SeqLock/ring/bitmap protocols and cross-process futex wake-ups. Layout: docs/shm-layout.md.
export * from "./src/layout.ts";
export { magicText, readHeader, type HeaderInfo } from "./src/header.ts";
export {
  Region, ShmError, createRegion, openRegion, statRegion, unlinkRegion,
  type CreateOptions, type CreateOutcome, type CreateResult, type OwnerPolicy, type RegionStat, type ShmErrorKind,
} from "./src/region.ts";
export { seqLoad, seqWriteBegin, seqWriteEnd } from "./src/seqlock.ts";
export { PriceRecord, PriceStore } from "./src/price-store.ts";
export { FundingStore, FundingValue } from "./src/funding.ts";
export { Bitmap, popcount32 } from "./src/bitmap.ts";
export { EventBus, ProducerStats } from "./src/event-bus.ts";
export { EventCodec, EventRecord, decodeEvent, encodeEvent, eventAge } from "./src/event.ts";
export { TrackedState, wallSeconds, type ReconcileResult } from "./src/tracked.ts";
export { Health, HealthRecord } from "./src/health.ts";
export { Control, wakeChannelOffset, type WakeChannelStats } from "./src/control.ts";
export { WaitResult, WakeWaiter, Waker, type WaitResultValue } from "./src/wake.ts";
export { startWakeForwarder, type WakeForwarder } from "./src/wake-forwarder.ts";
export { pinProcess, pinThread } from "./src/affinity.ts";
export { Shm, ShmMismatchError, checkPrefix, createAll, openAll, unlinkAll, type RegionReport } from "./src/shm.ts";
export { nameOf, renderStatus, slotOwner } from "./src/status.ts";
export * from "./src/status-code.ts";
export { snapshotRegion, snapshotShm } from "./src/snapshot.ts";
export { ShmMirror } from "./src/mirror.ts";
export { SlotBusyError, beaconSlot, claimSlot, slotName, type SlotBeacon, type SlotClaim } from "./src/slot-claim.ts";
export { attachSlotOwner, claimSlotOwner, SlotCommands, type CommandedProcess, type ControlAction, type ExitFn, type SlotOwner } from "./src/owner.ts";
export {
  HEARTBEAT_FUTURE_SKEW_MS, HEARTBEAT_MAX_AGE_MS, SourceLiveness, allSlotLiveness, heartbeatBoundMs, pidAlive, slotLiveness, type Liveness,
} from "./src/liveness.ts";
export { resolveInitSettings, shmInit, type ShmInitArgs, type ShmInitResult, type ShmInitSettings } from "./src/init.ts";
export { groupId } from "./src/libc.ts";
