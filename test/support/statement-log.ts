import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/** One statement an app ran: its kind (SelectQueryNode, InsertQueryNode, …) and the tables it names. */
export interface LoggedStatement {
  kind: string;
  tables: string[];
  /** the database functions of Portico's own (portico_…) that its raw SQL calls */
  functions: string[];
}

/**
 * A Kysely plugin that records every statement run through `db.withPlugin(log)`, in the order they
 * answer — for tests that count database work instead of timing it. A query is recorded when its
 * result comes back, not when it is compiled: a query built from the same `db` and embedded in
 * another statement (a subquery) is compiled through the plugin too, but never runs on its own. A
 * statement that fails is not recorded.
 */
export class StatementLog implements KyselyPlugin {
  entries: LoggedStatement[] = [];
  /** how many queries were compiled (built into SQL), subqueries included; a kept compiled statement run again adds none */
  compiled = 0;
  readonly #compiled = new WeakMap<object, LoggedStatement>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.compiled++;
    this.#compiled.set(args.queryId, { kind: args.node.kind, tables: [...tablesIn(args.node)].sort(), functions: [...functionsIn(args.node)].sort() });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const entry = this.#compiled.get(args.queryId);
    if (entry) this.entries.push(entry);
    return args.result;
  }

  /** What `run` answered, and the statements that answered while it ran (one request at a time). */
  async during<T>(run: () => Promise<T>): Promise<{ result: T; ran: LoggedStatement[] }> {
    const from = this.entries.length;
    const result = await run();
    return { result, ran: this.entries.slice(from) };
  }

  /** How many statements so far were of this kind and named this table. */
  count(kind: string, table: string): number {
    return this.entries.filter((e) => e.kind === kind && e.tables.includes(table)).length;
  }

  /** How many statements so far read this table: selects, and raw SQL that names it (e.g. db/queries/caller.ts). */
  reads(table: string): number {
    return this.count('SelectQueryNode', table) + this.count('RawNode', table);
  }
}

/** In raw SQL, the names after FROM, JOIN, UPDATE and INTO. */
const RAW_TABLE = /\b(?:from|join|update|into)\s+([a-z_][a-z0-9_]*)/gi;

/**
 * The tables a database function named in raw SQL reads, so a call counts as reading them:
 * portico_jql_look_up is lookUpForQuery's statement (migration 20261203T0020_jql_look_up_function).
 */
const FUNCTION_TABLES: Record<string, string[]> = {
  portico_jql_look_up: ['custom_fields', 'accounts', 'projects', 'sites', 'org_admins', 'site_admins', 'project_agents'],
};

/** In raw SQL, a call of one of Portico's own functions. */
const RAW_FUNCTION = /\b(portico_[a-z0-9_]*)\s*\(/gi;

function functionsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (node && typeof node === 'object') {
    if ((node as { kind?: string }).kind === 'RawNode') {
      const text = ((node as { sqlFragments?: readonly string[] }).sqlFragments ?? []).join(' ');
      for (const m of text.matchAll(RAW_FUNCTION)) found.add(m[1].toLowerCase());
    }
    for (const v of Object.values(node)) functionsIn(v, found);
  }
  return found;
}

function tablesIn(node: unknown, found = new Set<string>()): Set<string> {
  if (node && typeof node === 'object' && (node as { kind?: string }).kind === 'RawNode') {
    const text = ((node as { sqlFragments?: readonly string[] }).sqlFragments ?? []).join(' ');
    for (const m of text.matchAll(RAW_TABLE)) {
      const name = m[1].toLowerCase();
      found.add(name);
      for (const table of FUNCTION_TABLES[name] ?? []) found.add(table);
    }
  }
  if (node && typeof node === 'object') {
    const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
    if (n.kind === 'TableNode' && n.table?.identifier?.name) found.add(n.table.identifier.name);
    for (const v of Object.values(node)) tablesIn(v, found);
  }
  return found;
}
