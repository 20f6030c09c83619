// Copies the declared front-end packages from node_modules into static/vendor/
// (git-ignored), so Django's staticfiles serves them and nothing third-party is committed.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

const copies = [
  ["node_modules/dkfds/dist/css", "static/vendor/dkfds/css"],
  ["node_modules/dkfds/dist/fonts", "static/vendor/dkfds/fonts"],
  ["node_modules/dkfds/dist/img", "static/vendor/dkfds/img"],
  ["node_modules/dkfds/dist/js", "static/vendor/dkfds/js"],
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx/htmx.min.js"],
  // The agreement editor (static/js/editor.js) enhances a <textarea> with Squire; MIT licence kept beside it.
  ["node_modules/squire-rte/dist/squire.js", "static/vendor/squire/squire.js"],
  // squire.js ends with `//# sourceMappingURL=squire.js.map`: production's manifest storage
  // (collectstatic with DEBUG=0) refuses a reference to a file that is not there.
  ["node_modules/squire-rte/dist/squire.js.map", "static/vendor/squire/squire.js.map"],
  ["node_modules/squire-rte/LICENSE", "static/vendor/squire/LICENSE"],
];

rmSync("static/vendor", { recursive: true, force: true });
for (const [src, dest] of copies) {
  // A single file (a .js, a LICENSE) goes into its folder; a folder is copied as a whole.
  mkdirSync(statSync(src).isFile() ? dirname(dest) : dest, { recursive: true });
  cpSync(src, dest, { recursive: true });
}

// Every source map a copied .js/.css names must have been copied too, or collectstatic fails in
// production only (the development storage does not read the references): fail here instead.
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
const missing = files("static/vendor")
  .filter((file) => /\.(js|css)$/.test(file))
  .flatMap((file) => {
    const ref = readFileSync(file, "utf8").match(/[#@] sourceMappingURL=([^\s*]+)/);
    return ref && !ref[1].startsWith("data:") && !existsSync(join(dirname(file), ref[1])) ? [`${file} -> ${ref[1]}`] : [];
  });
if (missing.length) {
  console.error(`Kildekort mangler i static/vendor/ (tilføj dem i scripts/vendor.mjs):\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
console.log("static/vendor/ opdateret");
