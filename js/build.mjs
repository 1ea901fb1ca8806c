// Builds the chart bundle: plotly.js with only the trace types in traces.json, minified,
// plus its brotli and gzip encodings (served as they are, never compressed per request)
// and a manifest (plotly.js version, traces, SHA-256) that timeline/export/plotlyjs.py reads.
//
//   node build.mjs OUT_DIR
//
// The entry point registers each trace module of the plotly.js package on its core, as
// plotly.js's own partial bundles do; esbuild bundles it into one script that defines the
// global `Plotly`.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'timeline', 'export', 'plotly_bundle'));
const { traces } = JSON.parse(readFileSync(join(here, 'traces.json'), 'utf8'));
const version = createRequire(import.meta.url)('plotly.js/package.json').version;

const entry = [
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${traces.filter((t) => t !== 'scatter').map((t) => `require('plotly.js/lib/${t}')`).join(', ')}]);`,
  'module.exports = Plotly;',
].join('\n');

const result = await esbuild.build({
  stdin: { contents: entry, resolveDir: here, sourcefile: 'entry.js' },
  bundle: true, format: 'iife', globalName: 'Plotly', minify: true, target: 'es2016', write: false,
  legalComments: 'eof', logLevel: 'warning',
  // Run once per page however often it is loaded (the dashboard's own copy and dcc.Graph's may
  // both arrive): a second copy only defines nothing.
  banner: { js: `/*! plotly.js v${version} (MIT licence, https://plot.ly), partial bundle for timeline: ${traces.join(', ')} */\nif (!window.Plotly) {` },
  footer: { js: '}' },
  // plotly.js imports maplibre's stylesheet only for map traces, which the bundle leaves out
  loader: { '.css': 'empty' },
  alias: { regl: '@plotly/regl' },
  define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
});
const code = Buffer.from(result.outputFiles[0].contents);
const sha256 = createHash('sha256').update(code).digest('hex');

mkdirSync(out, { recursive: true });
const write = (name, data) => { writeFileSync(join(out, name + '.tmp'), data); renameSync(join(out, name + '.tmp'), join(out, name)); };
write('plotly.min.js', code);
write('plotly.min.js.br', brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
write('plotly.min.js.gz', gzipSync(code, { level: 9 }));
// the manifest last: a reader that finds it finds the files it describes
write('manifest.json', JSON.stringify({ plotlyjs: version, traces, sha256, bytes: code.length }, null, 2) + '\n');
console.log(`chart bundle: plotly.js ${version} with ${traces.join(', ')}: ${(code.length / 1e6).toFixed(2)} MB -> ${out}`);
