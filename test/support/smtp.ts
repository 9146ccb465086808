import { createServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { expect, vi } from 'vitest';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  /** the text body (of a multipart mail: its text/plain part), transfer encoding undone */
  text: string;
  /** the text/html part of a multipart mail, transfer encoding undone */
  html?: string;
  /** the top-level header's value by lower-case name (folded lines unfolded) */
  header(name: string): string;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that records what it accepts. It can
 * be down (nothing listens on its port: connections are refused), and it can hold: it reads a
 * message and does not answer the end of DATA until `release()`, like a slow or stuck server.
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** messages whose DATA the server has read, answered or not */
  dataReceived = 0;
  #server: SMTPServer | undefined;
  #holding = false;
  #held: Array<() => void> = [];

  private constructor(readonly port: number) {}

  /** The first mail to `address` (any case) whose text holds `containing`, waited for up to 30 s. */
  mailTo(address: string, containing: string): Promise<ReceivedMail> {
    return vi.waitFor(
      () => {
        const mail = this.received.find((m) => m.to.some((to) => to.toLowerCase() === address.toLowerCase()) && m.text.includes(containing));
        expect(mail, `a mail to ${address} with "${containing}"`).toBeDefined();
        return mail!;
      },
      { timeout: 30_000, interval: 100 },
    );
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** A server on a free loopback port, not listening yet (down). */
  static async reserve(): Promise<TestSmtpServer> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return new TestSmtpServer(port);
  }

  static async start(): Promise<TestSmtpServer> {
    const server = await TestSmtpServer.reserve();
    await server.up();
    return server;
  }

  async up(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.dataReceived++;
          const accept = () => {
            this.received.push(parseMail(Buffer.concat(chunks).toString('utf8'), session.envelope));
            callback();
          };
          if (this.#holding) this.#held.push(accept);
          else accept();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.on('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  /**
   * Stops listening. Connections a client keeps open (nodemailer's pool) are served until they end
   * (up to 30 s), unless `dropConnections`: then they are told 421 and closed at once, so the next
   * message finds the server down.
   */
  async down(options: { dropConnections?: boolean } = {}): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.release();
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if (options.dropConnections) {
      for (const connection of server.connections) {
        connection.send(421, 'Server shutting down');
        connection.close();
      }
    }
    await closed;
  }

  /** From now on, messages are read but not answered until release(). */
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const accept of this.#held.splice(0)) accept();
  }
}

function parseMail(raw: string, envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> }): ReceivedMail {
  const top = parsePart(raw);
  let text = top.body;
  let html: string | undefined;
  const boundary = /boundary="?([^";]+)"?/i.exec(top.header('Content-Type'))?.[1];
  if (/^multipart\//i.test(top.header('Content-Type')) && boundary) {
    for (const chunk of raw.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = parsePart(chunk.replace(/^\r\n/, ''));
      const type = part.header('Content-Type').toLowerCase();
      if (type.startsWith('text/plain')) text = part.body;
      else if (type.startsWith('text/html')) html = part.body;
    }
  }
  return {
    from: envelope.mailFrom ? envelope.mailFrom.address : '',
    to: envelope.rcptTo.map((r) => r.address),
    subject: decodeWords(top.header('Subject')),
    messageId: top.header('Message-ID'),
    text,
    html,
    header: (name: string) => top.header(name),
  };
}

/** One MIME entity: its header and its body with the transfer encoding undone. */
function parsePart(raw: string): { header(name: string): string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4).replace(/\r\n$/, '');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1].trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const decoded = encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : encoding === 'base64' ? Buffer.from(body, 'base64').toString('utf8') : body;
  return { header, body: decoded };
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), as a subject with non-ASCII text arrives. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
