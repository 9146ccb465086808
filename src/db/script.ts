import { sql, type Kysely } from 'kysely';

// PGlite's query() takes one statement at a time (extended protocol), so a migration written as one
// SQL script is run statement by statement; both databases then see exactly the same statements.
export async function executeScript(db: Kysely<any>, script: string): Promise<void> {
  const withoutComments = script
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  for (const statement of withoutComments.split(/;\s*(?:\n|$)/)) {
    if (statement.trim()) await sql.raw(statement).execute(db);
  }
}
