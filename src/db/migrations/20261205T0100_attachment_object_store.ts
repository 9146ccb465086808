import { sql, type Kysely } from 'kysely';

// Attachments in an S3-compatible object store (docs/product.md#attachments): with one configured,
// a new attachment's bytes are an object of the store and its row keeps the object's key instead of
// the bytes. Rows written before (or with no store) keep their bytes; each row has exactly one of
// the two, so no row can point to nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE request_attachments ALTER COLUMN content DROP NOT NULL`.execute(db);
  await sql`ALTER TABLE request_attachments ADD COLUMN storage_key text`.execute(db);
  await sql`ALTER TABLE request_attachments ADD CONSTRAINT request_attachments_one_place CHECK ((content IS NULL) <> (storage_key IS NULL))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE request_attachments DROP CONSTRAINT request_attachments_one_place`.execute(db);
  await sql`ALTER TABLE request_attachments DROP COLUMN storage_key`.execute(db);
  await sql`ALTER TABLE request_attachments ALTER COLUMN content SET NOT NULL`.execute(db);
}
