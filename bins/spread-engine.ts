#!/usr/bin/env bun
// spread-engine (A.7, A.10): changed prices → spreads of their directions → signals on the Event Bus.
import { engineMain } from "@spread/engine";

await engineMain();
