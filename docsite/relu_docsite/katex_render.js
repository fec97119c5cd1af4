// Render TeX with KaTeX for the MkDocs build (relu_docsite/katex.py).
// Protocol: one JSON request per line on stdin, {"id": n, "items": [[tex, displayMode], ...]};
// one JSON answer per line on stdout, {"id": n, "results": [{"html": ...} | {"error": ...}, ...]}.
"use strict";
const path = require("path");
const readline = require("readline");
const katex = require(path.resolve(process.argv[2] || "node_modules/katex"));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  const request = JSON.parse(line);
  const results = request.items.map(([tex, displayMode]) => {
    const warnings = [];
    try {
      const html = katex.renderToString(tex, {
        displayMode,
        throwOnError: true,
        output: "htmlAndMathml",
        // Unicode text such as Hangul inside \text{} is allowed; anything else KaTeX
        // would only warn about becomes an error the build reports.
        strict: (code) => {
          if (code === "unicodeTextInMathMode") return "ignore";
          warnings.push(code);
          return "ignore";
        },
      });
      return warnings.length ? { error: "KaTeX strict: " + warnings.join(", ") } : { html };
    } catch (err) {
      return { error: String(err.message || err) };
    }
  });
  process.stdout.write(JSON.stringify({ id: request.id, results }) + "\n");
});
