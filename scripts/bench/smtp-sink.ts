/**
 * The benchmark's SMTP sink: a real SMTP server (smtp-server) in its own worker thread, so that taking
 * thousands of messages never stalls the event loop that times the portal requests and polls the
 * database. It reads only the headers it needs (Message-ID) and reports each arrival with its time.
 *
 * `startSmtpSink()` runs in the benchmark's main thread; the rest of this file runs in the worker.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Wall-clock milliseconds with sub-millisecond precision, comparable between threads. */
export const now = () => performance.timeOrigin + performance.now();

type SinkMessage = { port: number } | { arrivals: [messageId: string, at: number, bytes: number][] } | { sample: string } | { closed: true };

export interface SmtpSink {
  port: number;
  /** First arrival time of each distinct Message-ID since the last reset. */
  arrivals: Map<string, number>;
  /** Messages received since the last reset, repeats included. */
  received(): number;
  /** Mean size in bytes of the messages received since the last reset. */
  meanBytes(): number;
  /** The raw source of the first Candor notice email since the last reset (the baseline sends copies of it). */
  sample(): string | null;
  /** Forgets what arrived so far: counts, arrivals and the sample start again. */
  reset(): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  // The worker inherits tsx's loader from process.execArgv.
  const worker = new Worker(new URL(import.meta.url));
  const arrivals = new Map<string, number>();
  let received = 0;
  let bytes = 0;
  let sample: string | null = null;
  let onClosed: (() => void) | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (msg: SinkMessage) => {
      if ('port' in msg) resolve(msg.port);
      else if ('arrivals' in msg) {
        for (const [id, at, size] of msg.arrivals) {
          received++;
          bytes += size;
          if (!arrivals.has(id)) arrivals.set(id, at);
        }
      } else if ('sample' in msg) sample ??= msg.sample;
      else onClosed?.();
    });
  });
  return {
    port,
    arrivals,
    received: () => received,
    meanBytes: () => (received ? bytes / received : 0),
    sample: () => sample,
    reset() {
      arrivals.clear();
      received = 0;
      bytes = 0;
      sample = null;
      worker.postMessage('resample');
    },
    async close() {
      await new Promise<void>((resolve) => {
        onClosed = resolve;
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}

/** The Message-ID header of a raw message, or '' (unfolded headers only: that is all we send). */
export function messageIdOf(raw: string): string {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const headers = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const m = /^message-id:\s*(.+)$/im.exec(headers);
  return m ? m[1]!.trim() : '';
}

function runSink() {
  const port = parentPort!;
  let pending: [string, number, number][] = [];
  let sampled = false;
  const server = new SMTPServer({
    authOptional: true,
    // Pooled SMTP connections stay open: don't wait 30 s for them on close.
    closeTimeout: 200,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const at = now();
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = messageIdOf(raw);
        pending.push([id, at, raw.length]);
        if (!sampled && id.startsWith('<candor-delivery-')) {
          sampled = true;
          port.postMessage({ sample: raw } satisfies SinkMessage);
        }
        callback();
      });
    },
  });
  // A pool being closed at the end of a scenario may reset its connections: expected here.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
  });
  // Batched: one message per arrival would cost the main thread more than the arrival itself.
  const flush = setInterval(() => {
    if (!pending.length) return;
    port.postMessage({ arrivals: pending } satisfies SinkMessage);
    pending = [];
  }, 10);
  port.on('message', (msg) => {
    if (msg === 'resample') sampled = false;
    if (msg !== 'close') return;
    clearInterval(flush);
    server.close(() => port.postMessage({ closed: true } satisfies SinkMessage));
  });
  server.listen(0, '127.0.0.1', () => port.postMessage({ port: (server.server.address() as AddressInfo).port } satisfies SinkMessage));
}

if (!isMainThread) runSink();
