/**
 * Real receivers for delivery tests: an SMTP server (smtp-server + mailparser) and HTTP webhook
 * endpoints that can answer 200, fail with 500s for a while, or hang past the client's timeout.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export async function startSmtpReceiver() {
  const mails: ReceivedMail[] = [];
  // A slow mail server (`slowDown`): each message is acknowledged this long after it arrived.
  let answerAfterMs = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Strapi's pooled SMTP connections stay open: don't wait 30 s for them on close.
    closeTimeout: 200,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
          mails.push({ to: to.map((a) => a.address).join(','), subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '', messageId: mail.messageId ?? '' });
          if (answerAfterMs > 0) setTimeout(callback, answerAfterMs);
          else callback();
        })
        .catch(callback);
    },
  });
  // A client that dies mid-message (the crash test kills one) resets its connection: expected here.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    /** Distinct Message-IDs: what a mail system that drops duplicates would show. */
    distinct: () => new Set(mails.map((m) => m.messageId)).size,
    clear: () => mails.splice(0),
    /** Answers every later message `ms` after it arrived (0: at once again). */
    slowDown: (ms: number) => {
      answerAfterMs = ms;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface WebhookCall {
  path: string;
  body: any;
  idempotencyKey: string | undefined;
  answeredWith: number | 'hang';
}

/** `/ok/*` answers 200; `/flaky/*` answers 500 to the next calls after `failNext(n)`; `/hang/*` never answers; `/gone/*` answers 404. */
export async function startWebhookReceiver() {
  const calls: WebhookCall[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const call: WebhookCall = { path, body: raw ? JSON.parse(raw) : null, idempotencyKey: req.headers['idempotency-key'] as string | undefined, answeredWith: 200 };
      calls.push(call);
      if (path.startsWith('/hang')) {
        call.answeredWith = 'hang';
        return; // never answer: the client's timeout must fire
      }
      if (path.startsWith('/gone')) {
        call.answeredWith = 404;
        res.writeHead(404).end('no_such_webhook');
        return;
      }
      if (path.startsWith('/flaky') && failures > 0) {
        failures--;
        call.answeredWith = 500;
        res.writeHead(500).end('internal_error');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    /** The next `n` calls to /flaky/* fail with 500. */
    failNext: (n: number) => (failures = n),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
