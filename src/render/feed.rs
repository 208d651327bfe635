//! Atom feeds (RFC 4287): the site's latest briefings at `/feed.xml`, and one feed per term
//! at `/<taxonomy>/<slug>/feed.xml`, each capped at `feed_limit` entries.
//!
//! Every URL in a feed is absolute (`BaseUrl::permalink`), ids are the entries' URLs (stable
//! across builds), and every date comes from the briefings, never from the clock, so that
//! the same content gives the same bytes. The XML is written here with [`crate::render::xml`]
//! escaping: the format is small and fixed, and writing it keeps the build free of a second
//! date library (`atom_syndication` needs chrono); tests parse the output with it.

use std::fmt::Write;

use rayon::prelude::*;

use crate::index::reads::{self, Reads};
use crate::index::routes;
use crate::index::taxonomy::Term;
use crate::index::{Entry, Site};
use crate::render::OutputFile;
use crate::render::metadata;
use crate::render::xml::{self, escape};
use crate::vocabulary::TaxonomyKind;

/// The `updated` of a feed without entries: a fixed date keeps builds reproducible.
const EPOCH: &str = "1970-01-01T00:00:00Z";

/// What one feed is about.
struct FeedSpec<'a> {
    /// The site path of the feed itself.
    path: String,
    /// The site path of the HTML page it mirrors.
    page: String,
    title: String,
    subtitle: String,
    /// Indices into the site's briefings, newest first.
    briefings: Vec<usize>,
    site: &'a Site,
}

/// The site's feed and one feed per term of every taxonomy.
pub fn feeds(site: &Site) -> Vec<OutputFile> {
    specs(site).par_iter().map(render).collect()
}

/// The output paths of [`feeds`], without rendering them.
pub fn paths(site: &Site) -> impl Iterator<Item = String> + '_ {
    specs(site).into_iter().map(|spec| spec.path)
}

/// The feeds among [`feeds`] but those at the paths `unchanged` holds true for (the preview
/// keeps them as they were), each with the briefings it was made from; and the paths of the
/// feeds left out.
pub fn feeds_except(
    site: &Site,
    unchanged: impl Fn(&str) -> bool + Sync,
) -> (Vec<(OutputFile, Reads)>, Vec<String>) {
    let (left_out, wanted): (Vec<FeedSpec>, Vec<FeedSpec>) = specs(site)
        .into_iter()
        .partition(|spec| unchanged(&spec.path));
    // A feed is made on one thread, as noting its reads requires.
    let made = wanted
        .par_iter()
        .map(|spec| reads::noting(|| render(spec)))
        .collect();
    (made, left_out.into_iter().map(|spec| spec.path).collect())
}

fn specs(site: &Site) -> Vec<FeedSpec<'_>> {
    let limit = site.config.feed_limit.max(1);
    let mut specs = vec![FeedSpec {
        path: routes::SITE_FEED.to_owned(),
        page: String::new(),
        title: site.config.title.clone(),
        subtitle: site.config.description.clone(),
        briefings: (0..site.briefing_count().min(limit)).collect(),
        site,
    }];
    for taxonomy in &site.taxonomies {
        specs.extend(
            taxonomy
                .terms
                .iter()
                .map(|term| term_feed(site, taxonomy.kind, term, limit)),
        );
    }
    specs
}

fn term_feed<'a>(site: &'a Site, kind: TaxonomyKind, term: &Term, limit: usize) -> FeedSpec<'a> {
    FeedSpec {
        path: routes::term_feed_path(kind, &term.slug),
        page: routes::term_path(kind, &term.slug),
        title: format!("{} · {}", term.name, site.config.title),
        subtitle: site.config.strings.fill(
            "feed_subtitle",
            &[
                (
                    "kind",
                    &site
                        .config
                        .strings
                        .get(&format!("{}_one", kind.name()))
                        .to_lowercase(),
                ),
                ("name", &term.name),
            ],
        ),
        briefings: term.briefings.iter().copied().take(limit).collect(),
        site,
    }
}

fn render(spec: &FeedSpec) -> OutputFile {
    let site = spec.site;
    let config = &site.config;
    let url = |path: &str| escape(&config.base_url.permalink(path));
    let entries: Vec<&Entry> = spec.briefings.iter().map(|&i| site.entry(i)).collect();
    let updated = newest(&entries).unwrap_or_else(|| EPOCH.to_owned());

    let mut out = String::from(xml::DECLARATION);
    let _ = writeln!(
        out,
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{}">"#,
        escape(&config.language)
    );
    let _ = writeln!(out, "  <id>{}</id>", url(&spec.path));
    let _ = writeln!(out, "  <title>{}</title>", escape(&spec.title));
    if !spec.subtitle.is_empty() {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", escape(&spec.subtitle));
    }
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        r#"  <link rel="self" type="application/atom+xml" href="{}"/>"#,
        url(&spec.path)
    );
    let _ = writeln!(
        out,
        r#"  <link rel="alternate" type="text/html" href="{}"/>"#,
        url(&spec.page)
    );
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape(&config.author)
    );
    let _ = writeln!(out, "  <generator>apogee</generator>");
    for entry in entries {
        write_entry(&mut out, site, entry);
    }
    out.push_str("</feed>\n");
    OutputFile {
        path: spec.path.clone(),
        bytes: out.into_bytes(),
    }
}

fn write_entry(out: &mut String, site: &Site, entry: &Entry) {
    let base = &site.config.base_url;
    let briefing = &entry.briefing;
    let link = escape(&base.permalink(&entry.path));
    let date = briefing.date.rfc3339();
    out.push_str("  <entry>\n");
    let _ = writeln!(out, "    <id>{link}</id>");
    let _ = writeln!(out, "    <title>{}</title>", escape(&briefing.title));
    let _ = writeln!(out, "    <published>{date}</published>");
    let _ = writeln!(out, "    <updated>{date}</updated>");
    let _ = writeln!(
        out,
        r#"    <link rel="alternate" type="text/html" href="{link}"/>"#
    );
    for (kind, term) in metadata::terms(site, entry) {
        let _ = writeln!(
            out,
            r#"    <category term="{}" scheme="{}" label="{}"/>"#,
            escape(&term.slug),
            escape(&base.permalink(&routes::taxonomy_path(kind))),
            escape(&term.name)
        );
    }
    if entry.upcoming {
        // The term is the key feed readers filter on; the label is for people.
        let label = escape(site.config.strings.get("upcoming"));
        out.push_str(&format!(
            r#"    <category term="upcoming" label="{label}"/>"#
        ));
        out.push('\n');
    }
    let summary = entry.summary();
    if !summary.is_empty() {
        let _ = writeln!(out, "    <summary>{}</summary>", escape(summary));
    }
    // xml:base resolves the site-relative links of the HTML (`/briefings/x/`) for readers.
    let _ = writeln!(
        out,
        r#"    <content type="html" xml:base="{}">{}</content>"#,
        escape(&base.permalink("")),
        escape(&absolute_images(&entry.article.html, base))
    );
    out.push_str("  </entry>\n");
}

/// `html` with the site's own image addresses made absolute: many feed readers ignore
/// `xml:base`, and an entry's images should show wherever it is read.
fn absolute_images(html: &str, base: &crate::load::config::BaseUrl) -> String {
    let local = format!(r#"<img src="{}"#, base.path);
    if !html.contains(&local) {
        return html.to_owned();
    }
    html.replace(&local, &format!(r#"<img src="{}"#, base.permalink("")))
}

/// The latest date of `entries` as an instant: entries are in local-date order, and dates
/// with different offsets may order otherwise in UTC.
fn newest(entries: &[&Entry]) -> Option<String> {
    entries
        .iter()
        .map(|e| e.briefing.date.rfc3339())
        .max_by_key(|date| date.parse::<jiff::Timestamp>().ok())
}
