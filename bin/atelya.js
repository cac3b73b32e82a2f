#!/usr/bin/env node
// Entry point of the `atelya` command: runs the compiled CLI (npm run build).
import { main } from "../dist/cli/main.js";

await main(process.argv);
