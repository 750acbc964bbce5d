// Snapshot tests of the grammar over the repository's examples: each
// example is copied into tests/snap/ and its tokens compared with the
// committed snapshot (`node scripts/snap-examples.js --update` rewrites them).
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const here = path.join(__dirname, "..");
const examples = path.join(here, "..", "..", "examples");
const snap = path.join(here, "tests", "snap");
fs.mkdirSync(snap, { recursive: true });
const copies = fs
  .readdirSync(examples)
  .filter((name) => name.endsWith(".deal"))
  .map((name) => {
    const copy = path.join(snap, name);
    fs.copyFileSync(path.join(examples, name), copy);
    return copy;
  });
const args = ["-g", path.join(here, "syntaxes", "deal.tmLanguage.json")];
if (process.argv.includes("--update")) args.push("--updateSnapshot");
const bin = path.join(here, "node_modules", ".bin", "vscode-tmgrammar-snap");
execFileSync(bin, [...args, ...copies], { stdio: "inherit" });
