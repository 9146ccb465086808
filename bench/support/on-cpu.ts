import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Where a process's CPU goes while a benchmark runs, sampled ON the CPU by Linux `perf` (package
// linux-perf): BENCH_PERF=1 on bench/route-probe.ts or bench/revoke-probe.ts. V8's own profiler
// (BENCH_CPU_PROF) samples the main thread by the wall clock, so time the thread spent descheduled
// inside a system call is charged to that call (docs/benchmarks.md, "2026-12-06 (evening)": its
// `writev` at 32% of the server's busy time was mostly PostgreSQL's backend taking the core), and it
// does not see V8's own threads (the garbage collector's, the optimising compiler's) at all. perf counts
// only what ran, in every thread and in the kernel; with Node's `--perf-basic-prof` (which
// serverNodeArgs adds when BENCH_PERF is set) it names compiled JavaScript functions too.

export const onCpuWanted = (): boolean => Boolean(process.env.BENCH_PERF);

/** Runs `run` while perf samples process `pid` (all its threads), then prints where its CPU went. */
export async function onCpuWhile<T>(pid: number, label: string, run: () => Promise<T>): Promise<T> {
  if (spawnSync('perf', ['--version']).status !== 0) throw new Error('BENCH_PERF needs Linux perf: apt-get install -y linux-perf');
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-perf-'));
  const data = path.join(dir, 'perf.data');
  const perf = spawn('perf', ['record', '-F', '1999', '-g', '-p', String(pid), '-o', data], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  perf.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise((resolve) => setTimeout(resolve, 300)); // perf attaches to every thread first
  try {
    return await run();
  } finally {
    const ended = new Promise<number | null>((resolve) => perf.once('exit', resolve));
    perf.kill('SIGINT');
    if ((await ended) !== 0 && !stderr.includes('Captured')) console.log(`perf record failed: ${stderr.trim()}`);
    else console.log(summarize(data, label));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Sample {
  share: number;
  dso: string;
  symbol: string;
}

/** Flat samples by library and symbol, in percent of the process's samples. */
function flat(data: string): Sample[] {
  const out = spawnSync('perf', ['report', '-i', data, '--no-children', '--sort', 'dso,sym', '-g', 'none', '--stdio'], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
  const rows: Sample[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s+([\d.]+)%\s+(.+?)\s+\[([.k])\]\s+(.*)$/.exec(line);
    if (m) rows.push({ share: Number(m[1]), dso: m[2], symbol: m[4] });
  }
  return rows;
}

/** Compiled JavaScript functions by the samples under them (callees included), in percent. */
function inclusiveJs(data: string, top: number): string[] {
  const out = spawnSync('perf', ['report', '-i', data, '--children', '--sort', 'sym', '-g', 'none', '--stdio'], { encoding: 'utf8', maxBuffer: 256 << 20 }).stdout;
  const rows: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s+([\d.]+)%\s+[\d.]+%\s+\[\.\]\s+JS:[*^~]?(.*)$/.exec(line);
    if (!m || /processTicksAndRejections|^\s*$/.test(m[2])) continue;
    rows.push(`${m[1].padStart(6)}%  ${m[2].replace(/file:\/\/\/\S*\/dist\/server\//, 'dist/server/').replace(/\S*\/node_modules\//, '').slice(0, 110)}`);
    if (rows.length === top) break;
  }
  return rows;
}

const GC = /Scavenge|MarkCompact|ConcurrentMarking|IncrementalMarking|MinorGC|MinorMark|Sweeper|GCTracer|Heap::|MemoryAllocator|MemoryChunk|RecordWrite/;
const COMPILER = /v8::internal::(compiler|maglev|baseline|wasm|interpreter)::|v8::internal::(Compiler|Parser|PreParser|Scanner|BytecodeGenerator|OptimizingCompileDispatcher)|Builtins_CompileLazy/;

/** The process's CPU by kind of work, and the compiled functions that hold most of it, from a `perf record -g` file. */
function summarize(data: string, label: string): string {
  const rows = flat(data);
  const total = rows.reduce((s, r) => s + r.share, 0) || 1;
  const kinds = new Map<string, number>();
  const add = (kind: string, share: number) => kinds.set(kind, (kinds.get(kind) ?? 0) + share);
  for (const r of rows) {
    if (r.dso === '[kernel.kallsyms]') add('kernel (system calls, loopback TCP, scheduling)', r.share);
    else if (GC.test(r.symbol)) add('garbage collection', r.share);
    else if (COMPILER.test(r.symbol)) add("V8's compilers", r.share);
    else if (r.dso.startsWith('[JIT]') || r.symbol.startsWith('Builtins_')) add('JavaScript (compiled functions and V8 builtins)', r.share);
    else if (r.dso === 'node') add('Node and V8 runtime (libuv, HTTP parser, API calls)', r.share);
    else add('libc and other libraries', r.share);
  }
  const lines = [`on-CPU samples of the server, ${label} (perf, ${rows.length} symbols):`];
  for (const [kind, share] of [...kinds].sort((a, b) => b[1] - a[1])) lines.push(`  ${((100 * share) / total).toFixed(1).padStart(5)}%  ${kind}`);
  const compilers = rows.filter((r) => r.dso !== '[kernel.kallsyms]' && !GC.test(r.symbol) && COMPILER.test(r.symbol)).slice(0, 8);
  if (compilers.length > 0) lines.push(`  V8's compilers, by symbol: ${compilers.map((r) => `${r.symbol.replace(/^v8::internal::/, '').replace(/\(.*$/, '')} ${((100 * r.share) / total).toFixed(1)}%`).join(', ')}`);
  lines.push('  compiled functions by the samples under them (their callees included):');
  for (const row of inclusiveJs(data, 15)) lines.push(`  ${row}`);
  return lines.join('\n');
}
