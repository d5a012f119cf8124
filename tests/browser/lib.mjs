// Shared by the browser tests: starts the local service (the README's run command's server) and
// headless Chromium (Debian's, driven by playwright-core).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpus = process.env.THUMBPRINT_CORPUS || join(root, 'tests', 'corpus');

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// `thumbprint serve` on a free port; with `{ devAuth: true }` also its development issuer (on
// another free port, returned as `issuer`).
export async function startServer({ devAuth = false } = {}) {
  const port = await freePort();
  const bin = join(root, 'target', 'release', 'thumbprint');
  const args = ['serve', '--port', String(port)];
  let issuer;
  if (devAuth) {
    const devPort = await freePort();
    args.push('--dev-auth', '--dev-auth-port', String(devPort));
    issuer = `http://127.0.0.1:${devPort}`;
  }
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}version`)).ok) return { base, issuer, stop: () => proc.kill() }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`server did not start: ${stderr}`);
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
