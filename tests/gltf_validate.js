// Validate glTF/GLB files with the Khronos glTF validator (npm gltf-validator) and print
// one JSON report summary per file: {"file", "errors", "warnings", "messages": [...]}.
// Usage: node gltf_validate.js MODULE_DIR FILE...
const fs = require("fs");
const path = require("path");
const validator = require(path.resolve(process.argv[2]));

async function one(file) {
  const data = new Uint8Array(fs.readFileSync(file));
  const report = await validator.validateBytes(data, {
    uri: path.basename(file),
    maxIssues: 100,
    externalResourceFunction: (uri) =>
      new Promise((resolve, reject) => {
        fs.readFile(path.join(path.dirname(file), decodeURIComponent(uri)), (err, d) =>
          err ? reject(err.toString()) : resolve(new Uint8Array(d)));
      }),
  });
  const issues = report.issues;
  return {
    file,
    errors: issues.numErrors,
    warnings: issues.numWarnings,
    messages: issues.messages.map((m) => `${m.severity} ${m.code} ${m.pointer || ""}: ${m.message}`),
  };
}

(async () => {
  const out = [];
  for (const f of process.argv.slice(3)) out.push(await one(f));
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(2); });
