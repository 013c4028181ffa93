// Bundles one Node app (agent or control) into dist/main.js. Workspace packages (@ordo/*) are
// TypeScript sources, so they are bundled in; every other dependency stays in node_modules.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const appDir = process.argv[2];
// --standalone bundles every dependency too, so the output runs from a bare copy of dist/
// (the agent install script relies on this).
const standalone = process.argv.includes('--standalone');
if (!appDir) {
  console.error('usage: node scripts/build-node-app.mjs <app-dir>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
const external = standalone
  ? []
  : Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter(
      (name) => !name.startsWith('@ordo/'),
    );

await build({
  entryPoints: [join(appDir, 'src/main.ts')],
  outfile: join(appDir, 'dist/main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [...external, ...external.map((name) => `${name}/*`)],
  banner: {
    js: "import { createRequire as __ordoCreateRequire } from 'node:module'; const require = __ordoCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
