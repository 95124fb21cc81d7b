// @20minutes/s3rver ships no types; this is the part the tests use.
declare module '@20minutes/s3rver' {
  import type { Server } from 'node:http';
  import type Koa from 'koa';
  export default class S3rver extends Koa {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory: string; configureBuckets?: { name: string }[]; vhostBuckets?: boolean });
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    httpServer: Server;
  }
}
