// A process that migrates a fresh database and is killed (SIGKILL, by itself) just before its
// n-th CREATE TABLE: a first start cut short at that point. Run as
// `node --import tsx migrate-and-die.ts <database url> <n>`.
import type { Kysely, KyselyPlugin } from "kysely";
import { openStore } from "../../src/store/db.js";
import { migrateToLatest } from "../../src/store/migrations.js";
import { TEST_MASTER_KEY } from "./keys.js";

const [url, nth] = process.argv.slice(2);
let creates = 0;
const dieAtCreate: KyselyPlugin = {
  transformQuery({ node }) {
    if (node.kind === "CreateTableNode" && ++creates === Number(nth))
      process.kill(process.pid, "SIGKILL");
    return node;
  },
  transformResult: async ({ result }) => result,
};

const store = await openStore(url!, { masterKey: TEST_MASTER_KEY, migrate: false });
await migrateToLatest(store.db.withPlugin(dieAtCreate) as Kysely<unknown>, store.dialect);
// Not reached when n is within the migrations' tables.
process.exit(3);
