#!/usr/bin/env bun
// spread-alerts: Telegram / webhook alerts from the tracker's files and Health (packages/alerts).
import { alertsMain } from "@spread/alerts";

await alertsMain();
