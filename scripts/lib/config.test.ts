import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { portsOf, readLocalConfig, secondRepEmail } from './config';
import { isPortFree } from './ports';

describe('readLocalConfig', () => {
  it('uses the tools’ own ports by default', () => {
    expect(portsOf(readLocalConfig({}))).toEqual({ strapi: 1337, portal: 4321, meili: 7700, mailWeb: 1080, mailSmtp: 1025 });
  });
  it('explains a bad value in one line', () => {
    expect(() => readLocalConfig({ PORTAL_PORT: 'http' })).toThrow('PORTAL_PORT must be a port number');
    expect(() => readLocalConfig({ STRAPI_PORT: '70000' })).toThrow('STRAPI_PORT must be between 1 and 65535');
    expect(() => readLocalConfig({ CANDOR_REP_EMAIL: 'rep' })).toThrow('CANDOR_REP_EMAIL must be an email address');
  });
  it('derives the second rep from the first', () => {
    expect(secondRepEmail('rep@candor.local')).toBe('rep.two@candor.local');
  });
});

describe('isPortFree', () => {
  it('sees a port in use', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    expect(await isPortFree(port)).toBe(false);
    await new Promise((r) => server.close(r));
    expect(await isPortFree(port)).toBe(true);
  });
});
