// generated/directions.bin: for each of the 12 directions the validated symbol_ids present on both its sources.
import { DIRECTIONS, NUM_DIRECTIONS, MAX_SYMBOLS } from "../ids.ts";
import { ByteWriter } from "./codec.ts";
import { decodeEnvelope, encodeEnvelope } from "./envelope.ts";
import { GeneratedFileError } from "./errors.ts";

export interface DirectionSymbols {
  readonly id: number;
  readonly spot: number;
  readonly futures: number;
  /** "okx_spot_mexc_futures" */
  readonly name: string;
  /** Ascending symbol_ids. */
  readonly symbols: Uint16Array;
}

export interface DirectionsFile {
  readonly generation: string;
  /** Number of symbols in symbols.bin of the same generation (every id is below it). */
  readonly numSymbols: number;
  /** Indexed by direction_id (0..11). */
  readonly directions: readonly DirectionSymbols[];
}

export function encodeDirections(generation: string, numSymbols: number, lists: readonly (readonly number[])[]): Uint8Array {
  return encodeEnvelope("directions", generation, NUM_DIRECTIONS, encodeDirectionsPayload(numSymbols, lists));
}

export function encodeDirectionsPayload(numSymbols: number, lists: readonly (readonly number[])[]): Uint8Array {
  if (lists.length !== NUM_DIRECTIONS) throw new Error(`directions.bin: ${lists.length} lists, expected ${NUM_DIRECTIONS}`);
  const w = new ByteWriter();
  w.u16(numSymbols);
  w.u16(0);
  lists.forEach((ids, d) => {
    const def = DIRECTIONS[d]!;
    w.u8(d);
    w.u8(def.spot);
    w.u8(def.futures);
    w.u8(0);
    w.u32(ids.length);
    let prev = -1;
    for (const id of ids) {
      if (id <= prev || id >= numSymbols) throw new Error(`directions.bin: direction ${d} symbol ids must ascend below ${numSymbols} (got ${id} after ${prev})`);
      w.u16(id);
      prev = id;
    }
  });
  return w.finish();
}

export function decodeDirections(bytes: Uint8Array, file: string): DirectionsFile {
  const env = decodeEnvelope(bytes, file, "directions");
  const r = env.reader;
  if (env.count !== NUM_DIRECTIONS) throw new GeneratedFileError(file, "invalid", `count ${env.count}, expected ${NUM_DIRECTIONS} directions`);
  const numSymbols = r.u16("num_symbols");
  if (numSymbols > MAX_SYMBOLS) r.fail(`num_symbols ${numSymbols} exceeds MAX_SYMBOLS ${MAX_SYMBOLS}`);
  r.u16("reserved");
  const directions: DirectionSymbols[] = [];
  for (let d = 0; d < NUM_DIRECTIONS; d++) {
    const def = DIRECTIONS[d]!;
    const id = r.u8(`direction[${d}].direction_id`);
    const spot = r.u8(`direction[${d}].spot_source`);
    const futures = r.u8(`direction[${d}].futures_source`);
    r.u8(`direction[${d}].reserved`);
    if (id !== d || spot !== def.spot || futures !== def.futures) {
      r.fail(`direction[${d}] is (${id}, spot ${spot}, futures ${futures}); table A.4 says (${d}, spot ${def.spot}, futures ${def.futures})`);
    }
    const n = r.u32(`direction[${d}].count`);
    if (n > numSymbols) r.fail(`direction[${d}].count ${n} exceeds num_symbols ${numSymbols}`);
    const ids = new Uint16Array(n);
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const s = r.u16(`direction[${d}].symbol_ids[${i}]`);
      if (s <= prev || s >= numSymbols) r.fail(`direction[${d}].symbol_ids[${i}] = ${s}: ids must ascend and stay below ${numSymbols}`);
      ids[i] = s;
      prev = s;
    }
    directions.push({ id: d, spot, futures, name: def.name, symbols: ids });
  }
  if (r.remaining !== 0) r.fail(`${r.remaining} bytes left after ${NUM_DIRECTIONS} directions`);
  return { generation: env.generation, numSymbols, directions };
}
