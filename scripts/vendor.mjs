// Copies the declared front-end packages from node_modules into static/vendor/
// (git-ignored), so Django's staticfiles serves them and nothing third-party is committed.
import { cpSync, mkdirSync, rmSync, statSync } from "node:fs";

const copies = [
  ["node_modules/dkfds/dist/css", "static/vendor/dkfds/css"],
  ["node_modules/dkfds/dist/fonts", "static/vendor/dkfds/fonts"],
  ["node_modules/dkfds/dist/img", "static/vendor/dkfds/img"],
  ["node_modules/dkfds/dist/js", "static/vendor/dkfds/js"],
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx/htmx.min.js"],
  // The agreement editor (static/js/editor.js) enhances a <textarea> with Squire; MIT licence kept beside it.
  ["node_modules/squire-rte/dist/squire.js", "static/vendor/squire/squire.js"],
  ["node_modules/squire-rte/LICENSE", "static/vendor/squire/LICENSE"],
];

rmSync("static/vendor", { recursive: true, force: true });
for (const [src, dest] of copies) {
  // A single file (a .js, a LICENSE) goes into its folder; a folder is copied as a whole.
  mkdirSync(statSync(src).isFile() ? dest.split("/").slice(0, -1).join("/") : dest, { recursive: true });
  cpSync(src, dest, { recursive: true });
}
console.log("static/vendor/ opdateret");
