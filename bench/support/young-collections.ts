import type { Readable } from 'node:stream';

/** Node's flag that makes the server print a line for every garbage collection (read by watchYoungCollections). */
export const YOUNG_COLLECTIONS_FLAG = '--trace-gc-nvp';

/** BENCH_GC=1: the benchmark's server runs with YOUNG_COLLECTIONS_FLAG (bench/support/built-server.ts). */
export function youngCollectionsWanted(): boolean {
  return process.env.BENCH_GC === '1';
}

/**
 * What the server's young-generation collections (V8's scavenges) cost over a stretch of a run, read
 * from the lines `--trace-gc-nvp` makes it print to its standard output (the request log's pipe, which
 * the benchmark reads and drops): how many, their mean and longest pause, and what each kept (copied
 * within the young generation) and moved to the old one on average. Every request in flight waits out
 * a pause; what a collection keeps is what it copies, and so what its pause is made of.
 */
export function watchYoungCollections(stdout: Readable): { restart(): void; summary(): string } {
  let rest = '';
  let seen: Array<{ pause: number; survived: number; promoted: number }> = [];
  stdout.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line.includes(' gc=s ')) continue;
      const field = Object.fromEntries([...line.matchAll(/ (\w+)=([\d.]+)/g)].map(([, name, value]) => [name, Number(value)]));
      seen.push({ pause: field.pause, survived: field.new_space_survived, promoted: field.promoted });
    }
  });
  return {
    restart: () => void (seen = []),
    summary: () => {
      if (seen.length === 0) return 'young collections: none';
      const mean = (f: (s: (typeof seen)[number]) => number) => seen.reduce((sum, s) => sum + f(s), 0) / seen.length;
      return (
        `young collections: ${seen.length}, pause mean ${mean((s) => s.pause).toFixed(2)} ms, longest ${Math.max(...seen.map((s) => s.pause)).toFixed(1)} ms; ` +
        `each kept ${(mean((s) => s.survived) / 1024).toFixed(0)} KB and moved ${(mean((s) => s.promoted) / 1024).toFixed(0)} KB to the old generation`
      );
    },
  };
}
