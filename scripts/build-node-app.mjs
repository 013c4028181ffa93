// Bundles one Node app (agent or control) into dist/main.js. Workspace packages (@ordo/*) are
// TypeScript sources, so they are bundled in; every other dependency stays in node_modules.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
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
  // dockerode's SSH transport (ssh2) tries optional native add-ons inside try/catch; they
  // cannot be bundled and are not needed for the unix socket the agent uses.
  external: [...external, ...external.map((name) => `${name}/*`), 'cpu-features', '*.node'],
  // CommonJS dependencies bundled into an ES module still expect require and __dirname.
  banner: {
    js: [
      "import { createRequire as __ordoCreateRequire } from 'node:module';",
      "import { dirname as __ordoDirname } from 'node:path';",
      "import { fileURLToPath as __ordoFileURLToPath } from 'node:url';",
      'const require = __ordoCreateRequire(import.meta.url);',
      'const __ordoFilename = __ordoFileURLToPath(import.meta.url);',
      'const __ordoDirnameValue = __ordoDirname(__ordoFilename);',
    ].join(' '),
  },
  define: { __dirname: '__ordoDirnameValue', __filename: '__ordoFilename' },
  logLevel: 'warning',
});

// The agent's Odoo modules ("Connect as") ship beside the bundle: dist/odoo-addons, found by
// the agent from its own location, and installed with it by install-agent.sh (a copy of dist/).
const odooAddons = join(appDir, 'odoo-addons');
if (existsSync(odooAddons)) {
  const target = join(appDir, 'dist/odoo-addons');
  rmSync(target, { recursive: true, force: true });
  cpSync(odooAddons, target, {
    recursive: true,
    dereference: true,
    filter: (path) => !path.includes('__pycache__'),
  });
}
