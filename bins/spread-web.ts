#!/usr/bin/env bun
// spread-web: read-only dashboard, /api/* JSON and Prometheus /metrics (packages/web).
import { webMain } from "@spread/web";

await webMain();
