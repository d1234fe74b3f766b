// generated/metadata.json: written LAST; names the generation every binary of the set must carry.
import { z } from "zod";
import { GENERATED_FORMAT_VERSION } from "./layout.ts";
import { GeneratedFileError } from "./errors.ts";

export const METADATA_FORMAT = "spread-scanner/generated";

const count = z.number().int().nonnegative();

export const SourceStatsSchema = z.object({
  id: count,
  /** REST instrument list fetched (or read with --offline). */
  fetched: z.boolean(),
  /** Why the fetch or the validation failed; null when it did not. */
  error: z.string().nullable(),
  /** Instruments in the REST response(s). */
  instruments: count,
  /** Passed normalization (tradable, USDT, right kind, not denied). */
  accepted: count,
  /** WS validation outcome; null when validation was skipped. */
  valid: count.nullable(),
  invalid: count.nullable(),
  /** Listings excluded by the collision guard. */
  excluded: count,
  /** Listings in the final symbols.bin (= entries of source_symbols/<source>.bin). */
  symbols: count,
});

export const MetadataSchema = z.object({
  format: z.literal(METADATA_FORMAT),
  format_version: z.number().int().positive(),
  /** 16 hex digits; equal to the generation field of every .bin of the set. */
  generation: z.string().regex(/^[0-9a-f]{16}$/),
  /** ISO-8601 UTC time the set was written. */
  generated_at: z.string(),
  duration_ms: count,
  num_symbols: count,
  sources: z.record(z.string(), SourceStatsSchema),
  directions: z.array(z.object({ id: count, name: z.string(), spot: z.string(), futures: z.string(), pairs: count })),
  validation: z.object({
    enabled: z.boolean(),
    skipped_reason: z.string().nullable(),
    sources_validated: count,
    min_validated_sources: count,
    pairs_total: count,
    pairs_valid: count,
    invalid_no_data: count,
    invalid_prices: count,
    invalid_rejected: count,
    collisions_excluded: count,
    multipliers_confirmed: count,
    multipliers_rejected: count,
  }),
  cut: z.object({ max_symbols: count, dropped: z.array(z.string()) }),
  /** Size and CRC32 (8 hex digits) of every other file of the set, by path relative to generated/. */
  files: z.record(z.string(), z.object({ bytes: count, crc32: z.string().regex(/^[0-9a-f]{8}$/) })),
});
export type GeneratedMetadata = z.output<typeof MetadataSchema>;
export type SourceStats = z.output<typeof SourceStatsSchema>;

/** Stable JSON (2-space indent, trailing newline) in the key order of the object given. */
export function encodeMetadata(m: GeneratedMetadata): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(m, null, 2) + "\n");
}

export function decodeMetadata(bytes: Uint8Array, file: string): GeneratedMetadata {
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new GeneratedFileError(file, bytes.length === 0 ? "truncated" : "corrupted", `not valid JSON (${(err as Error).message})`);
  }
  const version = (data as { format_version?: unknown } | null)?.format_version;
  if (typeof version === "number" && version > GENERATED_FORMAT_VERSION) {
    throw new GeneratedFileError(file, "newer_version", `format_version ${version} is newer than this build reads (${GENERATED_FORMAT_VERSION})`);
  }
  const res = MetadataSchema.safeParse(data);
  if (!res.success) {
    const i = res.error.issues[0]!;
    throw new GeneratedFileError(file, "invalid", `${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  if (res.data.format_version < 1) throw new GeneratedFileError(file, "unsupported_version", `format_version ${res.data.format_version} is not supported`);
  return res.data;
}
