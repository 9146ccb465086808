import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/** Where Debian's dovecot-imapd puts the server (`.ci/run` installs it when missing). */
const DOVECOT_PATHS = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'];

export interface ImapUser {
  user: string;
  password: string;
}

/**
 * A real IMAP server for tests: Dovecot from Debian, started by the test on a loopback port with its
 * own configuration in a temporary directory (plaintext IMAP, a passwd-file of test users, Maildir
 * in the same directory), in the foreground (`-F`) so stopping the test stops it. As root, Dovecot
 * will not run its login process or mail as root: then they run as Debian's `dovenull` and `dovecot`.
 */
export class TestImapServer {
  #process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(users: ImapUser[]): Promise<TestImapServer> {
    const binary = DOVECOT_PATHS.find((p) => existsSync(p));
    if (!binary) throw new Error('Dovecot is not installed: run `apt-get install -y dovecot-imapd` (the tests start it themselves).');
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'portico-imap-'));
    const server = new TestImapServer(port, dir);
    const root = process.getuid?.() === 0;
    const me = userInfo();
    const mailUser = root ? lookUpUser('dovecot') : { uid: me.uid, gid: me.gid, name: me.username };
    for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
    if (root) {
      // the login process (dovenull) must reach the sockets, the mail processes (dovecot) the Maildirs
      chmodSync(dir, 0o755);
      chownSync(join(dir, 'mail'), mailUser.uid, mailUser.gid);
    }
    writeFileSync(join(dir, 'users'), users.map((u) => `${u.user}:{PLAIN}${u.password}`).join('\n') + '\n');
    writeFileSync(
      join(dir, 'dovecot.conf'),
      `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${root ? 'dovenull' : me.username}
default_internal_user = ${mailUser.name}
default_internal_group = ${root ? 'dovecot' : groupName(me.gid)}
first_valid_uid = 0
mail_location = maildir:${dir}/mail/%u
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUser.uid} gid=${mailUser.gid} home=${dir}/mail/%u
}
`,
    );
    const child = spawn(binary, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.#process = child;
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!(await greets(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await server.stop();
        throw new Error(`Dovecot did not start: ${output} ${readLog(dir)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return server;
  }

  /** `imap://USER:PASSWORD@127.0.0.1:PORT/INBOX`, user and password percent-encoded. */
  urlFor(u: ImapUser): string {
    return `imap://${encodeURIComponent(u.user)}:${encodeURIComponent(u.password)}@127.0.0.1:${this.port}/INBOX`;
  }

  /** Puts a message in a user's folder with IMAP APPEND, as a mail server delivering it would. */
  async append(u: ImapUser, raw: string | Buffer, folder = 'INBOX'): Promise<void> {
    const client = new ImapFlow({ host: '127.0.0.1', port: this.port, secure: false, auth: { user: u.user, pass: u.password }, logger: false });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.append(folder, raw);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  log(): string {
    return readLog(this.dir);
  }

  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A mail as a mail program would send it: headers (CRLF), a blank line, the text. */
export function rawMail(headers: Record<string, string>, text: string): string {
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  if (!headers['Date']) head.push(`Date: ${new Date().toUTCString()}`);
  if (!headers['Content-Type']) head.push('Content-Type: text/plain; charset=utf-8');
  return `${head.join('\r\n')}\r\n\r\n${text.replace(/\r?\n/g, '\r\n')}\r\n`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('data', (d: Buffer) => done(d.toString().startsWith('* OK')));
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
  });
}

function lookUpUser(name: string): { uid: number; gid: number; name: string } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} user: is dovecot-imapd installed?`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), name };
}

function groupName(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0] ?? String(gid);
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'dovecot.log'), 'utf8');
  } catch {
    return '';
  }
}
