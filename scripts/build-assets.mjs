// Builds safer's front-end assets into crates/safer_web/assets/dist (ignored by git) from the
// pinned npm packages: our SCSS compiled against govuk-frontend, its script and images, and our
// own init script. Nothing third-party is committed; this runs before `cargo build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "crates", "safer_web", "assets", "dist");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const css = sass.compile(join(root, "styles", "app.scss"), {
  style: "compressed",
  sourceMap: false,
  importers: [new sass.NodePackageImporter(root)],
  silenceDeprecations: ["import"],
});
if (css.css.includes("GDS Transport")) {
  throw new Error("compiled CSS refers to GDS Transport, which safer may not use");
}
writeFileSync(join(out, "app.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(root, "crates", "safer_web", "assets", "src", "init.js"), join(out, "init.js"));

console.log(`built assets into ${out} (app.css ${css.css.length} bytes)`);
