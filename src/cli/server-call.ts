// How a `portico` command reaches the server that holds the embedded data directory, and its errors.
import { CLI_SECRET_HEADER } from '../http/routes/auth/cli.js';
import { liveServer, type ServerFile } from './server-registry.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Calls an internal CLI route of the server that holds the data directory. */
export type ServerCall = (path: string, init: { method: string; contentType: string; body: string | Blob; timeoutMs?: number }) => Promise<Response>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function serverCall(dataDir: string, first: ServerFile): Promise<ServerCall> {
  // A server that is still starting has no URL yet.
  let server: ServerFile | undefined = first;
  const deadline = Date.now() + 30_000;
  while (server && !server.url) {
    if (Date.now() > deadline) throw new CliError(`The Portico server (pid ${server.pid}) using ${dataDir} did not finish starting.`);
    await sleep(200);
    server = liveServer(dataDir);
  }
  if (!server?.url) throw new CliError(`The Portico server using ${dataDir} stopped. Run the command again.`);
  const { url, pid, cliSecret } = server;
  return async (path, init) => {
    try {
      return await fetch(`${url}${path}`, {
        method: init.method,
        headers: { 'content-type': init.contentType, [CLI_SECRET_HEADER]: cliSecret },
        body: init.body,
        signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new CliError(
        `A Portico server (pid ${pid}) holds ${dataDir} but did not answer at ${url} (${(error as Error).message}). ` +
          'Stop it, or try again once it answers.',
      );
    }
  };
}

/** The server's refusal as the command's error. */
export async function serverError(res: Response): Promise<CliError> {
  const body = (await res.json().catch(() => ({}))) as { errorMessages?: string[] };
  return new CliError(body.errorMessages?.[0] ?? `The Portico server answered ${res.status}.`);
}

