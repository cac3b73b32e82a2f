// Reads open sealed values transparently: every string in every result row that carries the
// envelope prefix is opened before a repository sees it, so no read path can forget to decrypt
// (and no repository needs to know which columns are sealed). Writes seal explicitly instead,
// because only the writer knows the workspace a value belongs to.
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from "kysely";
import { isSealed, type Cipher } from "./cipher.js";

export class OpenSealedPlugin implements KyselyPlugin {
  constructor(private readonly cipher: Cipher) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const { rows } = args.result;
    for (const row of rows) this.openRow(row);
    return Promise.resolve(args.result);
  }

  private openRow(row: UnknownRow): void {
    for (const column in row) {
      const value = row[column];
      if (typeof value !== "string" || !isSealed(value)) continue;
      // A row that says whose it is must hold only values sealed for that workspace: a value copied
      // from another workspace's row is refused, not shown.
      const owner = row["workspace_id"];
      row[column] = this.cipher.open(value, typeof owner === "string" ? owner : undefined);
    }
  }
}
