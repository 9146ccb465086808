#!/usr/bin/env node
// `npx portico …`: runs the TypeScript CLI (src/cli/main.ts) through tsx, in this process.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// let stdout drain before leaving (the token may be piped into another program)
process.stdout.write('', () => process.exit(code));
