// `npm run bench`: every benchmark in turn (each prints ratios, never pass/fail).
import { existsSync } from 'node:fs';

for (const name of ['start', 'http', 'picker', 'filters', 'query-budget', 'embedded-fairness', 'mixed', 'durability', 'job-queue', 'import']) {
  if (existsSync(new URL(`./${name}.ts`, import.meta.url))) {
    console.log(`\n##### bench/${name}.ts`);
    await import(`./${name}.js`);
  }
}
