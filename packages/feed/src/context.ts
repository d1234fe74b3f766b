// What every source of one feed process shares: config.toml and exchanges.toml as read at start, ONE mapping of
// the shared memory regions, one deferred engine wake per event-loop turn, and (opt-in) one read coalescer.
import { ConfigError, errorMessage, loadAppConfig, loadExchangesConfig, requireConfigFiles, type ExchangesConfig, type LoadedAppConfig } from "@spread/common";
import { coalescingSocketFactory, EXCHANGE_LIMITS, ReadCoalescer, type SocketFactory } from "@spread/exchanges";
import { openAll, WakeChannel, type Shm } from "@spread/shm";
import { TurnWake } from "./shm-sink.ts";

export interface FeedContextOptions {
  readonly config: string;
  readonly exchanges?: string;
  readonly generated?: string;
  readonly socketFactory?: SocketFactory;
}

export interface FeedContext {
  readonly app: LoadedAppConfig;
  readonly exchanges: ExchangesConfig;
  readonly generatedDir: string;
  readonly shm: Shm;
  readonly wake: TurnWake;
  /** [feed] read_coalesce_ms > 0: holds every socket of the process in the same windows; null otherwise. */
  readonly coalescer: ReadCoalescer | null;
  readonly socketFactory?: SocketFactory;
}

/** Validates the config files and maps the regions; throws ConfigError with one clear line. */
export function openFeedContext(opts: FeedContextOptions): FeedContext {
  const app = loadAppConfig(opts.config);
  if (opts.exchanges === undefined) requireConfigFiles(app, ["exchanges"]);
  const exchanges = loadExchangesConfig(opts.exchanges ?? app.resolved.exchanges, EXCHANGE_LIMITS);
  let shm: Shm;
  try {
    shm = openAll(app.shm.prefix, { allowForeignOwner: app.shm.allow_foreign_owner });
  } catch (err) {
    throw new ConfigError(`shared memory "${app.shm.prefix}" is missing or incompatible (run shm-init): ${errorMessage(err)}`);
  }
  const coalescer = app.feed.read_coalesce_ms > 0 ? new ReadCoalescer(app.feed.read_coalesce_ms) : null;
  const factory = opts.socketFactory ?? (coalescer ? coalescingSocketFactory(coalescer) : undefined);
  return {
    app,
    exchanges,
    generatedDir: opts.generated ?? app.resolved.generated,
    shm,
    wake: new TurnWake(shm.waker(WakeChannel.engine)),
    coalescer,
    ...(factory ? { socketFactory: factory } : {}),
  };
}
