/**
 * Proxies (issue 10, point 8): every client (GitHub OIDC, Entra, ARM, the data plane, GitHub REST) honours
 * HTTPS_PROXY and NO_PROXY the same way. The emulator names its services by a host no resolver knows, so a run
 * that succeeds went through the logging CONNECT proxy started here, which maps that name to 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROXIED_HOSTNAME, type Emulator } from '../../emulator/index.js';
import { scenarioInput } from '../../emulator/scenario-variations.js';
import { PR, useHostileEmulators } from './support.js';

const hostile = useHostileEmulators();

interface Proxy {
  readonly url: string;
  /** Every CONNECT target, `host:port`, in arrival order. */
  readonly connects: string[];
  close(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    connects.push(target);
    const [host, port] = target.split(':');
    if (host !== PROXIED_HOSTNAME) return void client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).on('error', () => client.destroy());
      client.pipe(upstream).on('error', () => upstream.destroy());
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy()).on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let proxy: Proxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const port = (url: string): string => new URL(url).port;
const portsSeen = (p: Proxy): Set<string> => new Set(p.connects.map((target) => target.split(':')[1] ?? ''));

describe('every client honours the proxy variables the same way', () => {
  const inputs = (e: Emulator) => ({ model: 'gpt-4o-mini', endpoint: `${e.urls.data}/contoso-foundry/` });

  it('HTTPS_PROXY carries GitHub OIDC, Entra, ARM, the data plane and GitHub REST', async () => {
    proxy = await startProxy();
    const proxyUrl = proxy.url;
    const { run, emulator } = await hostile.run(scenarioInput('granted-builtin'), [], {
      emulator: { viaProxy: true },
      env: () => ({ HTTPS_PROXY: proxyUrl }),
      inputs,
      pullRequest: true,
    });
    expect(run.outputs.granted, run.stdout).toBe('true');
    expect(emulator.comments.get(PR)).toHaveLength(1);
    const seen = portsSeen(proxy);
    for (const service of ['github', 'entra', 'arm', 'data'] as const) expect(seen.has(port(emulator.urls[service])), service).toBe(true);
    expect(proxy.connects.every((target) => target.startsWith(`${PROXIED_HOSTNAME}:`))).toBe(true);
  });

  it('NO_PROXY by host and port sends that one service direct, whichever client calls it', async () => {
    proxy = await startProxy();
    const proxyUrl = proxy.url;
    const { run, emulator } = await hostile.run(scenarioInput('granted-builtin'), [], {
      emulator: { viaProxy: true },
      env: (e) => ({ HTTPS_PROXY: proxyUrl, NO_PROXY: `${PROXIED_HOSTNAME}:${port(e.urls.arm)}` }),
      inputs,
    });
    const seen = portsSeen(proxy);
    expect(seen.has(port(emulator.urls.arm)), 'ARM bypassed the proxy').toBe(false);
    expect(seen.has(port(emulator.urls.entra)), 'Entra still used it').toBe(true);
    expect(seen.has(port(emulator.urls.github)), 'GitHub OIDC still used it').toBe(true);
    // ARM, reached directly by a name no resolver knows, could not be read.
    expect(run.outputs.granted).toBe('false');
  });

  it('NO_PROXY by host name sends every client direct', async () => {
    proxy = await startProxy();
    const proxyUrl = proxy.url;
    const { run } = await hostile.run(scenarioInput('granted-builtin'), [], {
      emulator: { viaProxy: true },
      env: () => ({ HTTPS_PROXY: proxyUrl, NO_PROXY: PROXIED_HOSTNAME }),
    });
    expect(proxy.connects).toEqual([]);
    expect(run.outputs.granted).toBe('false');
  });
});
