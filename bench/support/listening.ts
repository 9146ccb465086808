import { createInterface, type Interface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * The URL a built Portico server prints when it listens ("Portico is running at http://…"), read
 * from its stdout; undefined when the output ends first (it exited). The lines keep being read after
 * it (the request log): the caller may listen to `lines` for them; unheard, they are dropped.
 */
export function listeningUrl(stdout: Readable): Promise<{ url: string | undefined; lines: Interface }> {
  const lines = createInterface({ input: stdout });
  return new Promise((resolve) => {
    const onLine = (line: string) => {
      const m = /running at (http:\/\/\S+)/.exec(line);
      if (!m) return;
      lines.off('line', onLine);
      resolve({ url: m[1], lines });
    };
    lines.on('line', onLine);
    lines.once('close', () => resolve({ url: undefined, lines }));
  });
}
