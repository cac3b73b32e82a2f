// The `atelya` command run from the TypeScript sources (bin/atelya.js runs the build), for tests
// that drive the CLI as a user does: `node --import tsx cli-entry.ts <args…>`.
import { main } from "../../src/cli/main.js";

await main(["node", "atelya", ...process.argv.slice(2)]);
