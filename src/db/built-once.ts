import { randomUUID } from 'node:crypto';
import type { CompiledQuery, Compilable, Kysely } from 'kysely';

/**
 * A statement whose SQL text is the same at every call, built and compiled by Kysely once per
 * database handle instead of at every call (docs/architecture.md, "Statements built once"). `build`
 * is called once, with a placeholder string in place of every value, whatever types `V` gives them;
 * each call then runs that compilation with its own values put where the placeholders came out. A
 * revoke's statement of a few kilobytes took Kysely 0.4–1 ms of the server's CPU to build while V8
 * was still compiling it, and about 0.14 ms at best (docs/benchmarks.md, "The statement a revoke
 * builds").
 *
 * A value that shaped the statement's text (a branch on it, an array's length) or reached it
 * changed (turned into JSON, a date's method called on it) cannot be put in place afterwards: the
 * build refuses such a `build` at its first call rather than run a statement that differs from
 * what the code says. So an `in` list is built from values one by one (`[v.accountId]`), never from
 * a value that is an array, and a value meant to be written as JSON is made JSON before it is given.
 */
export function builtOnce<DB, V extends Record<string, unknown>, R>(build: (db: Kysely<DB>, values: V) => Compilable<R>): (db: Kysely<DB>, values: V) => Promise<R[]> {
  // per database handle: what a statement compiles to is the handle's dialect's to say
  const kept = new WeakMap<Kysely<DB>, Compiled<R>>();
  return async (db, values) => {
    let compiledForDb = kept.get(db);
    if (!compiledForDb) kept.set(db, (compiledForDb = compileOnce((placeholders: V) => build(db, placeholders), Object.keys(values), values)));
    const { compiled, slots } = compiledForDb;
    const parameters = compiled.parameters.map((parameter, i) => (slots[i] === undefined ? parameter : values[slots[i]]));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}

interface Compiled<R> {
  compiled: CompiledQuery<R>;
  /** for each parameter, the name of the value put there at a call; undefined: a constant of the statement */
  slots: Array<string | undefined>;
}

function compileOnce<V extends Record<string, unknown>, R>(build: (values: V) => Compilable<R>, names: string[], first: V): Compiled<R> {
  const array = names.find((name) => Array.isArray(first[name]));
  if (array !== undefined) throw new Error(`a statement built once takes no array ('${array}'): its length would shape the text`);
  const id = randomUUID();
  const placeholderOf = new Map(names.map((name) => [`\u0000built-once:${id}:${name}`, name]));
  const compiled = build(Object.fromEntries([...placeholderOf].map(([text, name]) => [name, text])) as V).compile();
  const slots = compiled.parameters.map((parameter) => (typeof parameter === 'string' ? placeholderOf.get(parameter) : undefined));
  // (the id alone is looked for: JSON, say, writes the placeholder's first character as an escape)
  const changed = compiled.parameters.find((parameter) => typeof parameter === 'string' && parameter.includes(id) && !placeholderOf.has(parameter));
  if (changed !== undefined) throw new Error(`a statement built once got a value changed on its way into it: ${JSON.stringify(changed)}`);
  const dropped = names.find((name) => !slots.includes(name));
  if (dropped !== undefined) throw new Error(`a statement built once does not take '${dropped}' as a parameter: it shaped the text, or was dropped`);
  return { compiled, slots };
}
