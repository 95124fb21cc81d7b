/**
 * The hostile-input suites' HTTP client: the path goes out byte for byte (fetch would resolve `..`
 * and re-encode it), each request on a connection of its own (after a 431 the server closes it), and
 * every answer is counted by status for the summary line the closing notes quote.
 */
import http from 'node:http';

export interface Answer {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

export function createRawClient(baseUrl: () => string) {
  const histogram = new Map<number, number>();
  let sent = 0;
  const count = (status: number) => {
    sent++;
    histogram.set(status, (histogram.get(status) ?? 0) + 1);
  };

  function send(method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
    const { hostname, port } = new URL(baseUrl());
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = http.request({ hostname, port, path, method, headers, agent: false }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          count(res.statusCode!);
          resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
        });
        res.on('error', reject);
      });
      // The server may close a connection it will not read (a URL past its header limit): a refusal too.
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (answered) return; // the server answered (a 413) before it read the whole body
        if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') return reject(err);
        count(0);
        resolve({ status: 0, text: `connection closed (${err.code})`, headers: {} });
      });
      req.end(opts.body);
    });
  }

  /** "N requests, statuses 200:x 400:y …, 5xx z". */
  function summary(): string {
    const statuses = [...histogram.entries()].sort(([x], [y]) => x - y).map(([s, n]) => `${s}:${n}`).join(' ');
    const fives = [...histogram.entries()].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    return `${sent} requests, statuses ${statuses}, 5xx ${fives}`;
  }

  return { send, summary };
}
