// Makes the image of a new embedded database (src/new-database-image.ts) at OUT.tar.gz, with its
// manifest beside it (OUT.json). scripts/build-server.js runs it after bundling the server.
//
//   node dist/server/make-new-database-image.js OUT.tar.gz
import { imageAt, makeNewDatabaseImage } from './new-database-image.js';

const out = process.argv[2];
if (!out || !out.endsWith('.tar.gz')) {
  console.error('usage: make-new-database-image OUT.tar.gz');
  process.exit(2);
}
await makeNewDatabaseImage(imageAt(out));
