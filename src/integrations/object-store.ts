import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStoreSettings } from '../config.js';

// Portico's side of an S3-compatible object store (AWS SDK v3), where attachments go when one is
// configured (docs/product.md#attachments, docs/architecture.md#attachments).

/** The store could not be reached or refused the call; `cause` holds the SDK's error for the log. */
export class ObjectStoreUnavailable extends Error {}

/** The stream given to `put` ended in an error of its own (a body over the size cap, say): passed on as it was. */
class SourceFailed extends Error {
  constructor(readonly original: unknown) {
    super('the source stream failed');
  }
}

export interface ObjectStore {
  /** A fresh key for a new object of a site (never reused, so an object is written once). */
  newKey(siteId: string): string;
  /**
   * Writes an object from bytes or a stream: a stream goes up in parts of PART_BYTES, so at most
   * about one part is held in memory. Nothing is left behind when it fails (a multipart upload is
   * aborted); an error of the source stream itself is rethrown as it was.
   */
  put(key: string, body: Uint8Array | AsyncIterable<Uint8Array>, contentType: string): Promise<void>;
  /** An object's bytes as a stream, once the store has answered (an error before that: ObjectStoreUnavailable). */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

/** The size of one part of a multipart upload (S3's smallest). */
const PART_BYTES = 5 * 1024 * 1024;

const stores = new WeakMap<ObjectStoreSettings, Promise<ObjectStore>>();

/**
 * The store of these settings: one client per settings object, shared by every call. The AWS SDK is
 * loaded on the first call only (it is external to the server bundle, scripts/build-server.js), so
 * a Portico without an object store never loads it.
 */
export function objectStoreFor(settings: ObjectStoreSettings): Promise<ObjectStore> {
  let store = stores.get(settings);
  if (!store) {
    store = createObjectStore(settings);
    stores.set(settings, store);
    store.catch(() => stores.delete(settings));
  }
  return store;
}

async function createObjectStore(settings: ObjectStoreSettings): Promise<ObjectStore> {
  const [{ DeleteObjectCommand, GetObjectCommand, S3Client }, { Upload }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.accessKeyId && settings.secretAccessKey ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } : undefined,
    // one retry, and a store that does not answer is given up on soon: the person uploading waits
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    // Checksums only where S3 requires them: the SDK's default (CRC32 trailers on every upload, in
    // aws-chunked encoding) is not understood by many S3-compatible stores.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const bucket = settings.bucket;
  const unavailable = (what: string, error: unknown) => new ObjectStoreUnavailable(`the object store ${what} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });

  return {
    newKey: (siteId) => `${settings.prefix}attachments/${siteId}/${randomUUID()}`,

    async put(key, body, contentType) {
      let sourceError: SourceFailed | undefined;
      const source =
        body instanceof Uint8Array
          ? body
          : Readable.from(
              (async function* () {
                try {
                  for await (const chunk of body) yield chunk;
                } catch (error) {
                  sourceError = new SourceFailed(error);
                  throw sourceError;
                }
              })(),
            );
      const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: source, ContentType: contentType }, partSize: PART_BYTES, queueSize: 1, leavePartsOnError: false });
      try {
        await upload.done();
      } catch (error) {
        if (sourceError) throw sourceError.original;
        throw unavailable('upload', error);
      }
    },

    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!out.Body) throw new Error('no body');
        return out.Body as Readable;
      } catch (error) {
        throw unavailable('download', error);
      }
    },

    async delete(key) {
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        throw unavailable('delete', error);
      }
    },
  };
}
