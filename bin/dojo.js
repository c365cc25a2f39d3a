#!/usr/bin/env node
// The dojo command. The TypeScript sources are compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('dojo: dist/ is missing. Run "npm install" (or "npm run build") in the project first.\n');
  process.exit(1);
}
// A closed pipe (dojo ... | head) ends the command quietly instead of with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
