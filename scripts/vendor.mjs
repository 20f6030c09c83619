// Copies the declared front-end packages from node_modules into static/vendor/
// (git-ignored), so Django's staticfiles serves them and nothing third-party is committed.
import { cpSync, mkdirSync, rmSync } from "node:fs";

const copies = [
  ["node_modules/dkfds/dist/css", "static/vendor/dkfds/css"],
  ["node_modules/dkfds/dist/fonts", "static/vendor/dkfds/fonts"],
  ["node_modules/dkfds/dist/img", "static/vendor/dkfds/img"],
  ["node_modules/dkfds/dist/js", "static/vendor/dkfds/js"],
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx/htmx.min.js"],
];

rmSync("static/vendor", { recursive: true, force: true });
for (const [src, dest] of copies) {
  mkdirSync(dest.endsWith(".js") ? dest.split("/").slice(0, -1).join("/") : dest, { recursive: true });
  cpSync(src, dest, { recursive: true });
}
console.log("static/vendor/ opdateret");
