// Typeset TeX for the MkDocs build (relu_docsite/math.py).
//
//   node math_render.js PACKAGE_DIR OPTIONS_JSON
//
// PACKAGE_DIR is a typesetter with KaTeX's API, renderToString(tex, options) (the site uses
// Temml: MathML only); OPTIONS_JSON its options (mkdocs.yml, relu-wiki's math.options), to
// which displayMode is added per formula.
//
// Protocol: one JSON request per line on stdin, {"id": n, "items": [[tex, displayMode], ...]};
// one JSON answer per line on stdout, {"id": n, "results": [{"html": ...} | {"error": ...}, ...]}.
// An error is reported per formula, so the build names the page and the formula.
"use strict";
const path = require("path");
const readline = require("readline");

const [packageDir, optionsJson = "{}"] = process.argv.slice(2);
// Resolved by name through the package's "exports" (Temml's "main" is a browser bundle).
const packagePath = path.resolve(packageDir);
const { name } = require(path.join(packagePath, "package.json"));
const modulesDir = path.dirname(name.startsWith("@") ? path.dirname(packagePath) : packagePath);
const lib = require(require.resolve(name, { paths: [path.dirname(modulesDir)] }));
const options = JSON.parse(optionsJson);

// Temml's strict mode reports some problems with console.log instead of throwing
// (e.g. "\over is invalid in math mode"): each becomes an error of the formula being
// rendered, and stdout stays for the protocol alone.
let warnings = [];
console.log = console.warn = console.info = (...args) => warnings.push(args.join(" "));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const request = JSON.parse(line);
  const results = request.items.map(([tex, displayMode]) => {
    warnings = [];
    try {
      const html = lib.renderToString(tex, { ...options, displayMode });
      return warnings.length ? { error: warnings.join("; ") } : { html };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify({ id: request.id, results }) + "\n");
});
