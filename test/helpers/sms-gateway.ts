// A local SMS gateway for tests: a node http server on 127.0.0.1 that records every POST (headers
// and body) and can refuse on demand, standing in for a vendor's HTTP API (OPS-3).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstReceived } from './mail.ts';

export interface ReceivedSms { path: string; headers: http.IncomingHttpHeaders; body: string; json?: Record<string, unknown> }

export interface TestSmsGateway {
  url: string;
  received: ReceivedSms[];
  /** Answer the next `n` requests with HTTP 503. */
  refuseNext(n: number): void;
  /** Resolves with the first received message matching `pred`, waiting up to `ms`. */
  waitFor(pred: (m: ReceivedSms) => boolean, ms?: number): Promise<ReceivedSms>;
  close(): Promise<void>;
}

export async function startSmsGateway(): Promise<TestSmsGateway> {
  const received: ReceivedSms[] = [];
  let refuse = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (refuse > 0) { refuse--; res.writeHead(503).end('busy'); return; }
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> | undefined;
      try { json = JSON.parse(body); } catch { /* not JSON */ }
      received.push({ path: req.url ?? '', headers: req.headers, body, json });
      // Gateways echo what they got; Tessera must not keep or log it.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/send`,
    received,
    refuseNext(n) { refuse = n; },
    waitFor: (pred, ms = 5000) => firstReceived(received, pred, ms, 'SMS'),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The 6-digit code of a one-time-code text message. */
export function smsCode(text: string): string {
  const code = text.match(/(?<!\d)(\d{6})(?!\d)/)?.[1];
  if (!code) throw new Error('no 6-digit code in the text message');
  return code;
}
