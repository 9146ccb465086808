import { randomUUID } from 'node:crypto';
import type { CompiledQuery, Compilable, Kysely } from 'kysely';

/**
 * The values of a statement built once: each a parameter of its own, or a plain object of such
 * values (an audit event's row, say), one level deep.
 */
export type BuiltOnceValues = Record<string, unknown>;

/**
 * A statement whose SQL text is the same at every call, built and compiled by Kysely once per
 * database handle instead of at every call (docs/architecture.md, "Statements built once"). `build`
 * is called once, with a placeholder string in place of every value (and of every field of a value
 * that is a plain object), whatever types `V` gives them; each call then runs that compilation with
 * its own values put where the placeholders came out. A revoke's statement of a few kilobytes took Kysely 0.4–1 ms of the
 * server's CPU to build while V8 was still compiling it, and about 0.14 ms at best
 * (docs/benchmarks.md, "The statement a revoke builds").
 *
 * A value that shaped the statement's text (a branch on it, an array's length) or reached it
 * changed (turned into JSON, a date's method called on it) cannot be put in place afterwards: the
 * build refuses such a `build` at its first call rather than run a statement that differs from
 * what the code says. Arrays are values like any other, so an `in` list is built from values one
 * by one (`[v.accountId]`), never from a value that is an array.
 */
export function builtOnce<DB, V extends BuiltOnceValues, R>(build: (db: Kysely<DB>, values: V) => Compilable<R>): (db: Kysely<DB>, values: V) => Promise<R[]> {
  // per database handle: what a statement compiles to is the handle's dialect's to say
  const kept = new WeakMap<Kysely<DB>, Compiled<R>>();
  return async (db, values) => {
    let compiledForDb = kept.get(db);
    if (!compiledForDb) kept.set(db, (compiledForDb = compileOnce((placeholders: V) => build(db, placeholders), values)));
    const { compiled, slots } = compiledForDb;
    const parameters = compiled.parameters.map((parameter, i) => {
      const slot = slots[i];
      if (slot === undefined) return parameter;
      const value = values[slot[0]];
      return slot.length === 1 ? value : (value as Record<string, unknown>)[slot[1]];
    });
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}

interface Compiled<R> {
  compiled: CompiledQuery<R>;
  /** for each parameter, the value's name (and field) put there at a call; undefined: a constant of the statement */
  slots: Array<[string] | [string, string] | undefined>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function compileOnce<V extends BuiltOnceValues, R>(build: (values: V) => Compilable<R>, shape: V): Compiled<R> {
  for (const [name, value] of Object.entries(shape)) {
    const arrays = Array.isArray(value) ? [name] : isPlainObject(value) ? Object.keys(value).filter((field) => Array.isArray(value[field])).map((field) => `${name}.${field}`) : [];
    if (arrays.length > 0) throw new Error(`a statement built once takes no array ('${arrays[0]}'): its length would shape the text`);
  }
  const id = randomUUID();
  const tag = `\u0000built-once:${id}:`;
  const paths = new Map<string, [string] | [string, string]>();
  const placeholder = (path: [string] | [string, string]) => {
    const text = tag + path.join('.');
    paths.set(text, path);
    return text;
  };
  const placeholders = Object.fromEntries(
    Object.entries(shape).map(([name, value]) => [
      name,
      isPlainObject(value) ? Object.fromEntries(Object.keys(value).map((field) => [field, placeholder([name, field])])) : placeholder([name]),
    ]),
  ) as V;
  const compiled = build(placeholders).compile();
  const slots = compiled.parameters.map((parameter) => (typeof parameter === 'string' ? paths.get(parameter) : undefined));
  for (const parameter of compiled.parameters) {
    // (the id alone is looked for: JSON, say, writes the tag's first character as an escape)
    if (typeof parameter === 'string' && parameter.includes(id) && !paths.has(parameter)) {
      throw new Error(`a statement built once got a value changed on its way into it: ${JSON.stringify(parameter)}`);
    }
  }
  const used = new Set(slots.filter((slot) => slot !== undefined).map((slot) => slot.join('.')));
  for (const path of paths.values()) {
    if (!used.has(path.join('.'))) throw new Error(`a statement built once does not take '${path.join('.')}' as a parameter: it shaped the text, or was dropped`);
  }
  return { compiled, slots };
}
