// Runs a TypeScript benchmark: bundles it with esbuild (workspace sources and dependencies
// included, like `build-node-app.mjs --standalone`) into node_modules/.cache/ordo-bench/ (where
// lint and formatting never look, and autocannon resolves), then runs it with Node.
//   node scripts/bench/run.mjs scripts/bench/fleet.ts [args…]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { basename, resolve } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bench/run.mjs <bench.ts> [args…]');
  process.exit(2);
}
const outfile = resolve('node_modules/.cache/ordo-bench', basename(entry).replace(/\.ts$/, '.mjs'));
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Native or optional add-ons, and autocannon (workers load its files by path).
  external: ['cpu-features', '*.node', 'pg-native', 'autocannon', '@node-rs/argon2'],
  // CommonJS dependencies bundled into an ES module still expect require and __dirname.
  banner: {
    js: [
      "import { createRequire as __benchCreateRequire } from 'node:module';",
      "import { dirname as __benchDirname } from 'node:path';",
      "import { fileURLToPath as __benchFileURLToPath } from 'node:url';",
      'const require = __benchCreateRequire(import.meta.url);',
      'const __benchFilename = __benchFileURLToPath(import.meta.url);',
      'const __benchDirnameValue = __benchDirname(__benchFilename);',
    ].join(' '),
  },
  define: { __dirname: '__benchDirnameValue', __filename: '__benchFilename' },
  // The bench imports what the apps depend on; pnpm keeps those in the apps' node_modules.
  nodePaths: ['apps/control/node_modules', 'apps/agent/node_modules'],
  logLevel: 'warning',
});
const child = spawn(process.execPath, [outfile, ...args], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
