/**
 * A real S3-protocol server for the upload tests: s3rver (from the npm registry) on a random port,
 * with one bucket. s3rver checks signatures but does not enforce ACLs, so the server here refuses
 * unsigned reads the way a private bucket does, and records the ACL each upload asked for.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from '@20minutes/s3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** `x-amz-acl` of every PUT, by object key. */
  acls: Map<string, string | undefined>;
  /** Object keys of every PUT and DELETE, in order. */
  writes: { method: 'PUT' | 'DELETE'; key: string }[];
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3(bucket = 'candor-files'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }], vhostBuckets: false });
  const acls = new Map<string, string | undefined>();
  const writes: TestS3['writes'] = [];
  // Runs before s3rver's own middleware (Koa composes the array when the server starts).
  server.middleware.unshift(async (ctx, next) => {
    const signed = 'authorization' in ctx.headers || 'X-Amz-Algorithm' in ctx.query || 'Signature' in ctx.query;
    if (!signed) {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
      return;
    }
    const key = decodeURIComponent(ctx.path.replace(`/${bucket}/`, ''));
    if (ctx.method === 'PUT') acls.set(key, ctx.get('x-amz-acl') || undefined);
    if (ctx.method === 'PUT' || ctx.method === 'DELETE') writes.push({ method: ctx.method, key });
    await next();
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    acls,
    writes,
    env: {
      UPLOAD_PROVIDER: 's3',
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
