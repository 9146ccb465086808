#!/usr/bin/env node
// `npx portico …`: runs the `portico` command (src/cli/main.ts) as built JavaScript,
// dist/server/cli.js, in this process. Like `npm start`, it bundles the server first when the sources
// are newer than the build (scripts/build-server.js; the first command after a checkout takes a few
// seconds longer), and prints nothing of its own: the token command's stdout is the token alone.
import { pathToFileURL } from 'node:url';
import { CLI_ENTRY, ensureServerBuilt } from '../scripts/build-server.js';

await ensureServerBuilt();
const { main } = await import(pathToFileURL(CLI_ENTRY).href);
const code = await main(process.argv.slice(2));
// let stdout drain before leaving (the token may be piped into another program)
process.stdout.write('', () => process.exit(code));
