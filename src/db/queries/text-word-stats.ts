import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

// Which words PostgreSQL's own statistics count as common in the requests' stored words
// (requests.text_words): the most common elements ANALYZE found, as pg_stats shows them, each with
// the share of requests holding it. A JQL text
// search uses it to choose the shape of its words test (db/jql-plan.ts, "text"), and only the shape:
// both shapes find the same requests. For a word in the list the planner's estimate of its hits is
// right, and it walks the requests in the page's order when they are many; for a word it has no
// figure for, it guesses half the rarest listed word's frequency — on a site whose requests share a
// small vocabulary that guess was thousands of hits for a word in none, and PostgreSQL walked every
// request of the site looking for a page of them (5 s at a million requests; docs/benchmarks.md,
// "text ~ a word in no request"). Read at most once a minute per database: ANALYZE changes it
// rarely, and a stale list costs at most a slower plan, never a wrong answer.

const REFRESH_MS = 60_000;

/**
 * The words the statistics list, each with the share of requests whose stored words hold it (0–1;
 * pg_stats.most_common_elem_freqs, which follows the words with three figures of its own).
 */
export type CommonTextWords = ReadonlyMap<string, number>;

interface Kept {
  at: number;
  words: Promise<CommonTextWords>;
}

const kept = new WeakMap<object, Kept>();

/** The common words of requests.text_words on this database, read at most once a minute (`now` for tests). */
export function commonTextWords(db: Kysely<Database>, key: object = db, now = Date.now()): Promise<CommonTextWords> {
  const last = kept.get(key);
  if (last && now - last.at < REFRESH_MS) return last.words;
  const words = readCommonTextWords(db);
  kept.set(key, { at: now, words });
  // a failed read is not kept: the next search reads again
  words.catch(() => kept.delete(key));
  return words;
}

async function readCommonTextWords(db: Kysely<Database>): Promise<CommonTextWords> {
  const { rows } = await sql<{ word: string; frequency: number }>`
    SELECT e.word, max(e.frequency)::float8 AS frequency
    FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(word, frequency)
    WHERE s.schemaname = current_schema() AND s.tablename = 'requests' AND s.attname = 'text_words' AND e.word IS NOT NULL
    GROUP BY e.word`.execute(db);
  return new Map(rows.map((r) => [r.word, Number(r.frequency)]));
}
