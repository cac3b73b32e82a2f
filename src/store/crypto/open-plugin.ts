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
import { isSealed, SealedValueError, type Cipher } from "./cipher.js";

/** Opens every sealed value of `rows` in place (the plugin, and the SQLite driver path). */
export function openRows(cipher: Cipher, rows: readonly UnknownRow[]): void {
  for (const row of rows)
    for (const column in row) {
      const value = row[column];
      if (typeof value !== "string" || !isSealed(value)) continue;
      // A row that says whose it is must hold only values sealed for that workspace: a value copied
      // from another workspace's row is refused, not shown.
      const owner = row["workspace_id"];
      try {
        row[column] = cipher.open(value, typeof owner === "string" ? owner : undefined);
      } catch (e) {
        throw e instanceof SealedValueError ? unreadable(e, row, column) : e;
      }
    }
}

/** The error says which value did not open: the column, and the row's id and room if it has them. */
function unreadable(e: SealedValueError, row: UnknownRow, column: string): SealedValueError {
  const id = row["id"];
  const room = row["workroom_id"];
  const where = [
    `column ${column}`,
    ...(typeof id === "string" || typeof id === "number" ? [`row ${id}`] : []),
    ...(typeof room === "string" && room !== id ? [`room ${room}`] : []),
  ].join(", ");
  return new SealedValueError(`${e.message} (${where})`, { cause: e });
}

export class OpenSealedPlugin implements KyselyPlugin {
  constructor(private readonly cipher: Cipher) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    openRows(this.cipher, args.result.rows);
    return Promise.resolve(args.result);
  }
}
