// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320; the zlib/PNG checksum). crc32("123456789") = 0xCBF43926.

/** CRC-32 of `bytes` as an unsigned 32-bit integer. Bun.hash.crc32 is the same function (checked in tests). */
export function crc32(bytes: Uint8Array): number {
  return Bun.hash.crc32(bytes) >>> 0;
}
