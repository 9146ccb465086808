import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { ATTACHMENT_MAX_BYTES } from '../../domain/inbound-mail.js';
import type { AttachmentBytes } from '../../db/queries/inbound-mail.js';
import { objectStoreFor, ObjectStoreUnavailable } from '../../integrations/object-store.js';

// Where a new attachment's bytes go (docs/architecture.md#attachments): into its database row, or,
// with an object store configured, into the store first — the row that names the object is written
// only once the object is there, and an object whose row was never written is deleted again.

export const STORE_UNAVAILABLE_ON_SAVE = 'The file store is not reachable right now, so the file was not saved. Try again in a moment.';
export const STORE_UNAVAILABLE_ON_READ = 'The file store is not reachable right now, so the file cannot be downloaded. Try again in a moment.';
export const TOO_LARGE = `A file can be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB.`;

/** Bytes ready for an attachment row, and how to take them back if the row is never written. */
export interface StagedBytes {
  bytes: AttachmentBytes;
  size: number;
  /** deletes the object again (best effort: a store that fails now leaves an orphan object, never a row without one) */
  discard(): Promise<void>;
}

class TooLarge extends Error {}

/**
 * Stages one attachment's bytes: a stream is read a chunk at a time and refused (413) past
 * ATTACHMENT_MAX_BYTES; with an object store, the bytes go to it as they come (never held whole),
 * else they are gathered for the row. A store that cannot be reached is a 503 with a plain message.
 */
export async function stageAttachmentBytes(config: Config, siteId: string, content: Uint8Array | AsyncIterable<Uint8Array>, contentType: string): Promise<StagedBytes> {
  if (!config.objectStore) {
    const bytes = content instanceof Uint8Array ? content : await gather(content);
    return { bytes: { content: bytes }, size: bytes.byteLength, discard: async () => {} };
  }
  const store = await objectStoreFor(config.objectStore);
  const key = store.newKey(siteId);
  let size = 0;
  const counted =
    content instanceof Uint8Array
      ? content
      : (async function* () {
          for await (const chunk of content) {
            size += chunk.byteLength;
            if (size > ATTACHMENT_MAX_BYTES) throw new TooLarge();
            yield chunk;
          }
        })();
  try {
    await store.put(key, counted, contentType);
  } catch (error) {
    if (error instanceof TooLarge) throw new AppError('payload_too_large', TOO_LARGE, { file: 'The file is too large.' });
    if (error instanceof ObjectStoreUnavailable) throw new AppError('unavailable', STORE_UNAVAILABLE_ON_SAVE, {}, { cause: error });
    throw error;
  }
  if (content instanceof Uint8Array) size = content.byteLength;
  return { bytes: { storageKey: key, size }, size, discard: () => store.delete(key).catch(() => {}) };
}

async function gather(content: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of content) {
    size += chunk.byteLength;
    if (size > ATTACHMENT_MAX_BYTES) throw new AppError('payload_too_large', TOO_LARGE, { file: 'The file is too large.' });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Runs `write` (the transaction that writes the rows naming the staged objects); if it fails, the
 * objects are deleted again before the error goes on, so the store keeps no file nobody can reach.
 */
export async function writeRowsOrDiscard<T>(staged: readonly StagedBytes[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await Promise.all(staged.map((s) => s.discard()));
    throw error;
  }
}

/** An object-store attachment's bytes as a stream (503 with a plain message when the store cannot be reached). */
export async function readStoredObject(config: Config, key: string): Promise<AsyncIterable<Buffer>> {
  if (!config.objectStore) {
    throw new AppError('unavailable', STORE_UNAVAILABLE_ON_READ, {}, { cause: new Error('the attachment is an object of the store, but no object store is configured (PORTICO_S3_BUCKET)') });
  }
  try {
    return await (await objectStoreFor(config.objectStore)).get(key);
  } catch (error) {
    if (error instanceof ObjectStoreUnavailable) throw new AppError('unavailable', STORE_UNAVAILABLE_ON_READ, {}, { cause: error });
    throw error;
  }
}
