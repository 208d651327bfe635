#!/usr/bin/env bash
# Lays out a gen_corpus archive as a Hugo site with equivalent pages (home paginated by 20,
# a page per briefing, rockets and countries lists, a page per term listing its briefings),
# so that both generators can be timed on the same content:
#
#   cargo run --release --example gen_corpus -- --n 10000 /tmp/corpus-10k
#   bench/compare-hugo.sh /tmp/corpus-10k /tmp/hugo-10k
#   hyperfine 'target/release/apogee build --root /tmp/corpus-10k --no-search' 'hugo --quiet -s /tmp/hugo-10k'
#
# Term pages of rockets are left out of Hugo's copy: Hugo's own term pages are made from the
# taxonomy, and its front matter for them differs.
set -euo pipefail
corpus=${1:?usage: compare-hugo.sh CORPUS_DIR HUGO_SITE_DIR}
site=${2:?usage: compare-hugo.sh CORPUS_DIR HUGO_SITE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$site"
mkdir -p "$site/content" "$site/static"
cp -r "$here/hugo/." "$site/"
cp -r "$corpus/content/briefings" "$site/content/briefings"
# apogee resolves links to .md sources; Hugo would leave them as they are, so drop them.
find "$site/content/briefings" -name '*.md' -exec sed -i 's/\](\([^)]*\)\.md)/](#)/g' {} +
echo "Hugo site in $site"
