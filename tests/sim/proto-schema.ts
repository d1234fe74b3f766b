// MEXC spot wire schema (protocol notes §4.3, mexcdevelop/websocket-proto @ 7b8ac7a) for decoding in tests.
import protobuf from "protobufjs";

export const MEXC_PROTO = `
syntax = "proto3";
message PublicAggreBookTickerV3Api { string bidPrice = 1; string bidQuantity = 2; string askPrice = 3; string askQuantity = 4; string version = 5; int64 lastOrderCreateTime = 6; }
message PublicBookTickerV3Api { string bidPrice = 1; string bidQuantity = 2; string askPrice = 3; string askQuantity = 4; }
message PublicBookTickerBatchV3Api { repeated PublicBookTickerV3Api items = 1; string version = 2; int64 lastOrderCreateTime = 3; }
message PublicLimitDepthV3ApiItem { string price = 1; string quantity = 2; }
message PublicLimitDepthsV3Api { repeated PublicLimitDepthV3ApiItem asks = 1; repeated PublicLimitDepthV3ApiItem bids = 2; string eventType = 3; string version = 4; int64 lastOrderCreateTime = 5; }
message PushDataV3ApiWrapper {
  string channel = 1;
  oneof body {
    PublicLimitDepthsV3Api publicLimitDepths = 303;
    PublicBookTickerBatchV3Api publicBookTickerBatch = 311;
    PublicAggreBookTickerV3Api publicAggreBookTicker = 315;
  }
  optional string symbol = 3;
  optional string symbolId = 4;
  optional int64 createTime = 5;
  optional int64 sendTime = 6;
}`;

const root = protobuf.parse(MEXC_PROTO).root;
export const Wrapper = root.lookupType("PushDataV3ApiWrapper");

/** Decodes a wrapper frame to a plain object (int64 as numbers, unset fields absent). */
export function decodeMexc(bytes: Uint8Array): Record<string, any> {
  const msg = Wrapper.decode(bytes);
  return Wrapper.toObject(msg, { longs: Number, oneofs: false }) as Record<string, any>;
}
