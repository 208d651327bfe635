// A real-browser check of the search page against hostile names (issue 10): no script a writer
// put in a name runs, and names show as written. Not part of `cargo test` (CI has no browser).
//
//   apogee build --root SITE    # SITE/content/briefings/hostile.md as below
//   node tests/browser/search_injection.mjs SITE/public
//
// hostile.md (the names of `search_data_carries_names_as_escaped_text` in tests/it/publish.rs):
//   ---
//   title: 'Launch <b>bold</b> "><img src=x onerror=alert(2)>'
//   date: 2023-01-01
//   rockets: ['R2 "><img src=x onerror=alert(1)>', 'Minotaur <IV>']
//   countries: ['<script>alert(3)</script>']
//   outcome: success
//   ---
//   Body with a literal &lt;img src=x onerror=alert(4)&gt; and `<script>alert(5)</script>` launch.
//
// Needs puppeteer-core (NODE_PATH=~/.cache/site-verify/node_modules) and /usr/bin/chromium.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, extname } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer-core");
const root = process.argv[2];
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".svg": "image/svg+xml" };

const server = createServer(async (request, response) => {
  let path = join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
  try {
    if ((await stat(path)).isDirectory()) path = join(path, "index.html");
    const body = await readFile(path);
    response.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404);
    response.end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
try {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    window.__ran = [];
    window.alert = (what) => window.__ran.push(String(what));
  });
  page.on("dialog", (dialog) => { failures.push(`a dialog opened: ${dialog.message()}`); dialog.dismiss(); });
  page.on("pageerror", (error) => failures.push(`page error: ${error.message}`));
  for (const query of ["launch", "literal"]) {
    await page.goto(`http://127.0.0.1:${port}/search/?q=${query}`, { waitUntil: "networkidle0" });
    await page.waitForSelector(".pagefind-ui__result", { timeout: 10000 });
    // Open every filter group, so that its values are in the page.
    await page.$$eval(".pagefind-ui__filter-block", (blocks) => blocks.forEach((b) => (b.open = true)));
    await new Promise((r) => setTimeout(r, 500));
    const seen = await page.evaluate(() => ({
      ran: window.__ran,
      injected: document.querySelectorAll("#search img, #search script, #search b").length,
      labels: [...document.querySelectorAll(".pagefind-ui__filter-label")].map((l) => l.textContent.trim()),
      titles: [...document.querySelectorAll(".pagefind-ui__result-title")].map((t) => t.textContent.trim()),
      excerpts: [...document.querySelectorAll(".pagefind-ui__result-excerpt")].map((e) => e.textContent.trim()),
    }));
    console.log(`q=${query}:`, JSON.stringify(seen, null, 1));
    if (seen.ran.length) failures.push(`script ran: ${seen.ran.join(", ")}`);
    if (seen.injected) failures.push(`${seen.injected} injected elements in the search UI`);
    for (const name of ["Minotaur <IV> (1)", 'R2 "><img src=x onerror=alert(1)> (1)', "<script>alert(3)</script> (1)"]) {
      if (!seen.labels.includes(name)) failures.push(`filter label missing or altered: ${name}`);
    }
    if (!seen.titles.some((t) => t.includes('Launch <b>bold</b> "><img src=x onerror=alert(2)>'))) {
      failures.push("the title does not show as written");
    }
    if (!seen.excerpts.some((e) => e.includes("literal <img src=x onerror=alert(4)>"))) {
      failures.push("the excerpt does not show the text as written");
    }
  }
} finally {
  await browser.close();
  server.close();
}
if (failures.length) {
  console.log("FAIL\n" + failures.join("\n"));
  process.exit(1);
}
console.log("PASS: no script ran, names show as written");
