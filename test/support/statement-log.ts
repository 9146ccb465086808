import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** One statement an app ran: its kind (SelectQueryNode, InsertQueryNode, …) and the tables it names. */
export interface LoggedStatement {
  kind: string;
  tables: string[];
}

/**
 * A Kysely plugin that records every statement run through `db.withPlugin(log)`, in order — for
 * tests that count database work instead of timing it.
 */
export class StatementLog implements KyselyPlugin {
  entries: LoggedStatement[] = [];

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.entries.push({ kind: args.node.kind, tables: [...tablesIn(args.node)].sort() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  /** How many statements so far were of this kind and named this table. */
  count(kind: string, table: string): number {
    return this.entries.filter((e) => e.kind === kind && e.tables.includes(table)).length;
  }
}

function tablesIn(node: unknown, found = new Set<string>()): Set<string> {
  if (node && typeof node === 'object') {
    const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
    if (n.kind === 'TableNode' && n.table?.identifier?.name) found.add(n.table.identifier.name);
    for (const v of Object.values(node)) tablesIn(v, found);
  }
  return found;
}
