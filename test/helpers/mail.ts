// A real SMTP server for tests (smtp-server on 127.0.0.1, random port): it receives what Tessera's
// outbox worker sends over nodemailer, parses it with mailparser, and can refuse on demand.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

/** The first of `received` matching `pred`, polling until it arrives or `ms` pass (mail and SMS receivers). */
export async function firstReceived<T>(received: T[], pred: (m: T) => boolean, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const m = received.find(pred);
    if (m) return m;
    if (Date.now() > until) throw new Error(`no matching ${what} within ${ms} ms (received ${received.length})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface ReceivedMail { from: string; to: string; subject: string; text: string; html: string; messageId?: string }

export interface TestSmtp {
  /** For SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** How many deliveries were refused so far. */
  refusals: number;
  /** Refuse the next `n` deliveries with a temporary error (451). */
  refuseNext(n: number): void;
  /** Resolves with the first received mail matching `pred`, waiting up to `ms`. */
  waitFor(pred: (m: ReceivedMail) => boolean, ms?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  let refuse = 0;
  const received: ReceivedMail[] = [];
  const state = { refusals: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, cb) {
      if (refuse > 0) {
        refuse--;
        state.refusals++;
        return cb(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((m) => {
        received.push({
          from: m.from?.text ?? '',
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          subject: m.subject ?? '', text: m.text ?? '', html: m.html || '', messageId: m.messageId,
        });
        cb();
      }, cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get refusals() { return state.refusals; },
    refuseNext(n) { refuse = n; },
    waitFor: (pred, ms = 5000) => firstReceived(received, pred, ms, 'mail'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The 8-digit code of a forgotten-password mail (alone on its line). */
export function resetCode(m: ReceivedMail): string {
  const code = m.text.match(/^(\d{8})$/m)?.[1];
  if (!code) throw new Error('no 8-digit code in the mail');
  return code;
}
