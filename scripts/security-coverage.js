// Every security and reliability requirement in docs/security.md must be proven by a passing test
// whose title (or the title of an enclosing describe) starts with the requirement's id, e.g.
// `it('T3: a forged Host header does not change the reset link', …)` or `'R12, M1: …'`.
//
//   node scripts/security-coverage.js --write        rewrite the "proven by" column of docs/security.md
//                                                    from the test sources
//   node scripts/security-coverage.js --check F...   (npm test) fail when an id has no PASSING test in
//                                                    the vitest JSON reports F..., or when the table
//                                                    in docs/security.md is out of date
//   node scripts/security-coverage.js                list ids without a test in the sources
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docPath = path.join(root, 'docs/security.md');
const BEGIN = '<!-- requirements:begin (the last column is written by scripts/security-coverage.js --write) -->';
const END = '<!-- requirements:end -->';
const ID = String.raw`[RPSMTDE]\d{1,2}`;
const TITLE_IDS = new RegExp(String.raw`^\s*(${ID}(?:\s*(?:,|&|and|\/)\s*${ID})*)\s*[:—–]`);

/** The ids a test title claims, from its leading "R12, M1:" part. */
export function idsOfTitle(title) {
  const m = TITLE_IDS.exec(title);
  return m ? m[1].match(new RegExp(ID, 'g')) : [];
}

function readDoc() {
  const text = readFileSync(docPath, 'utf8');
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`docs/security.md has no requirements table between ${BEGIN} and ${END}`);
  const rows = text
    .slice(begin + BEGIN.length, end)
    .split('\n')
    .filter((l) => new RegExp(String.raw`^\|\s*${ID}\s*\|`).test(l))
    .map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return { id: cells[0], requirement: cells[1], provenBy: cells[2] ?? '' };
    });
  return { text, begin, end, rows };
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...testFiles(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

/** id → test files (relative) whose sources hold a test or describe titled with that id. */
function idsInSources() {
  const byId = new Map();
  const literal = /\b(?:describe|it|test)\b[\w.]*(?:\([^()]*\))?\(\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1/g;
  for (const file of testFiles(path.join(root, 'test'))) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(literal)) {
      if (/\.(skip|todo)\b/.test(m[0].split('(')[0])) continue;
      for (const id of idsOfTitle(m[2])) {
        const rel = path.relative(root, file);
        if (!byId.has(id)) byId.set(id, new Set());
        byId.get(id).add(rel);
      }
    }
  }
  return byId;
}

function provenByCell(files) {
  return files && files.size ? [...files].sort().map((f) => `\`${f.replace(/^test\//, '')}\``).join(', ') : '**none**';
}

function renderTable(rows, byId) {
  const lines = ['| id | requirement | proven by (test files; titles start with the id) |', '|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.id} | ${r.requirement} | ${provenByCell(byId.get(r.id))} |`);
  return lines.join('\n');
}

function passedIds(reportFiles) {
  const passed = new Map();
  for (const file of reportFiles) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    for (const suite of report.testResults ?? []) {
      for (const t of suite.assertionResults ?? []) {
        if (t.status !== 'passed') continue;
        for (const title of [...(t.ancestorTitles ?? []), t.title]) {
          for (const id of idsOfTitle(title)) passed.set(id, (passed.get(id) ?? 0) + 1);
        }
      }
    }
  }
  return passed;
}

const args = process.argv.slice(2);
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const doc = readDoc();
  const byId = idsInSources();
  const table = renderTable(doc.rows, byId);
  if (args[0] === '--write') {
    writeFileSync(docPath, `${doc.text.slice(0, doc.begin + BEGIN.length)}\n${table}\n${doc.text.slice(doc.end)}`);
    console.log(`docs/security.md: ${doc.rows.length} requirements written`);
  } else {
    const problems = [];
    const current = doc.text.slice(doc.begin + BEGIN.length, doc.end).trim();
    if (current !== table.trim()) problems.push('docs/security.md: the requirements table is out of date (run `node scripts/security-coverage.js --write`)');
    const reports = args[0] === '--check' ? args.slice(1) : [];
    for (const f of reports) if (!existsSync(f)) problems.push(`no test report at ${f}`);
    const passed = reports.length && reports.every(existsSync) ? passedIds(reports) : undefined;
    for (const r of doc.rows) {
      if (!byId.has(r.id)) problems.push(`${r.id}: no test is titled with this id`);
      else if (passed && !passed.has(r.id)) problems.push(`${r.id}: no PASSING test is titled with this id`);
    }
    if (problems.length) {
      console.error(problems.join('\n'));
      process.exit(1);
    }
    console.log(`${doc.rows.length} security requirements, each proven by ${passed ? 'a passing' : 'a'} test titled with its id`);
  }
}
