import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ObjectStoreSettings } from '../../src/config.js';

/**
 * A real S3 server on loopback for the object-store tests: s3rver (the S3 protocol over HTTP, its
 * objects in a temporary directory), with one bucket, and an S3 client of its own to look into it —
 * what is in the bucket is read through the S3 API, never from s3rver's files.
 */
export class TestS3Server {
  private constructor(
    private readonly server: S3rver,
    private readonly directory: string,
    readonly port: number,
    readonly bucket: string,
    private readonly client: S3Client,
  ) {}

  static async start(bucket = 'portico-attachments'): Promise<TestS3Server> {
    const directory = mkdtempSync(path.join(tmpdir(), 'portico-s3-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
    const { port } = await server.run();
    const client = new S3Client({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    return new TestS3Server(server, directory, port, bucket, client);
  }

  /** Portico's settings for this server (s3rver's fixed credentials, path-style URLs). */
  settings(overrides: Partial<ObjectStoreSettings> = {}): ObjectStoreSettings {
    return { endpoint: `http://127.0.0.1:${this.port}`, bucket: this.bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true, prefix: 'portico/', ...overrides };
  }

  /** The keys in the bucket, through ListObjectsV2. */
  async keys(): Promise<string[]> {
    const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket }));
    return (out.Contents ?? []).map((o) => o.Key!).sort();
  }

  async read(key: string): Promise<Buffer> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await out.Body!.transformToByteArray());
  }

  async put(key: string, body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }

  async stop(): Promise<void> {
    this.client.destroy();
    await this.server.close();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
