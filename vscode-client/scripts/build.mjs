// Bundle the extension (out/extension.js) or the unit tests (out/test/*.test.js) with esbuild.
//   node scripts/build.mjs            the extension, with a source map
//   node scripts/build.mjs --minify   the extension, minified, no source map (vsce package)
//   node scripts/build.mjs --tests    every test/*.test.ts, one bundle each
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2));
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  absWorkingDir: root,
};

if (args.has('--tests')) {
  const tests = readdirSync(join(root, 'test'))
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join('test', name));
  rmSync(join(root, 'out', 'test'), { recursive: true, force: true });
  // The tests cover the pure modules; `vscode` stays external so importing it fails loudly.
  await build({ ...common, entryPoints: tests, outdir: 'out/test', external: ['vscode'], sourcemap: 'inline' });
  console.log(`built ${tests.length} test files into out/test`);
} else {
  const minify = args.has('--minify');
  rmSync(join(root, 'out', 'extension.js.map'), { force: true });
  await build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'out/extension.js',
    external: ['vscode'],
    minify,
    sourcemap: !minify,
  });
  console.log(`built out/extension.js${minify ? ' (minified)' : ''}`);
}
