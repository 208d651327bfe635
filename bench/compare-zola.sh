#!/usr/bin/env bash
# Lays out a gen_corpus archive as a Zola site with the same pages as the Hugo copy of
# compare-hugo.sh (home paginated by 20, a page per briefing with its terms and neighbours,
# rockets and countries lists, a page per term listing its briefings; feeds off):
#
#   bench/compare-zola.sh /dev/shm/corpus-10k /dev/shm/zola-10k
#   zola --root /dev/shm/zola-10k build --output-dir /dev/shm/zola-out
#
# Zola wants its taxonomies and extra keys in TOML front matter, so each briefing's front
# matter is rewritten (python3, standard library only); rocket term pages are left out, as
# for Hugo. Written against Zola 0.19's documented layout; no Zola binary was at hand when
# this was written, so the first run on a machine with one is its test.
set -euo pipefail
corpus=${1:?usage: compare-zola.sh CORPUS_DIR ZOLA_SITE_DIR}
site=${2:?usage: compare-zola.sh CORPUS_DIR ZOLA_SITE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$site"
mkdir -p "$site/content" "$site/static"
cp -r "$here/zola/." "$site/"
python3 - "$corpus/content/briefings" "$site/content" <<'PY'
import json, os, re, sys

source, target = sys.argv[1], sys.argv[2]

def toml(value):
    # JSON strings and lists of strings are valid TOML.
    return json.dumps(value, ensure_ascii=False)

def items(text):
    text = text.strip()
    if text.startswith("["):
        return [part.strip().strip('"') for part in text[1:-1].split(",") if part.strip()]
    return [text.strip('"')]

with open(os.path.join(target, "_index.md"), "w") as f:
    f.write('+++\ntitle = "Latest briefings"\nsort_by = "date"\npaginate_by = 20\n+++\n')
for folder, _, files in os.walk(source):
    relative = os.path.relpath(folder, source)
    out = os.path.normpath(os.path.join(target, "briefings", relative))
    os.makedirs(out, exist_ok=True)
    # Transparent sections hand their pages up to the home page's pagination.
    with open(os.path.join(out, "_index.md"), "w") as f:
        f.write('+++\ntransparent = true\nsort_by = "date"\n+++\n')
    for name in files:
        if not name.endswith(".md"):
            continue
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        _, front, body = text.split("---\n", 2)
        top, taxonomies, extra, sources = [], {}, {}, []
        for line in front.splitlines():
            if line.startswith("  - title:"):
                sources.append(line.split(":", 1)[1].strip().strip('"'))
                continue
            if ":" not in line or line.startswith(" "):
                continue
            key, value = (part.strip() for part in line.split(":", 1))
            if key in ("title", "date"):
                top.append(f"{key} = {toml(value.strip(chr(34))) if key == 'title' else value}")
            elif key in ("rockets", "countries"):
                taxonomies[key] = items(value)
            elif key in ("outcome", "summary"):
                extra[key] = value.strip('"')
            elif key in ("satellites", "tags"):
                extra[key] = items(value)
        if sources:
            extra["sources"] = sources
        # apogee resolves links to .md sources; Zola would try to as well: drop them.
        body = re.sub(r"\]\(([^)]*)\.md\)", "](#)", body)
        lines = ["+++", *top, "[taxonomies]"]
        lines += [f"{k} = {toml(v)}" for k, v in taxonomies.items()]
        lines += ["[extra]"] + [f"{k} = {toml(v)}" for k, v in extra.items()]
        lines += ["+++", ""]
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + body)
PY
echo "Zola site in $site"
