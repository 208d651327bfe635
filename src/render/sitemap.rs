//! `sitemap.xml` (sitemaps.org 0.9) and `robots.txt`.
//!
//! The sitemap lists every HTML page that rendering produced (so it cannot drift from the
//! output), except `404.html`, with absolute URLs and a `lastmod` taken from the briefings a
//! page shows — never the build time. Past [`MAX_URLS`] URLs, `sitemap.xml` becomes a sitemap
//! index over `sitemap1.xml`, `sitemap2.xml`... as the protocol requires. This module renders
//! no HTML: it reads the pages it is given.

use std::collections::HashMap;
use std::fmt::Write;

use crate::index::routes;
use crate::index::{Entry, Site};
use crate::render::OutputFile;
use crate::render::xml::{self, escape};

/// The protocol's limit of URLs in one sitemap file.
pub const MAX_URLS: usize = 50_000;

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One `<url>`: an absolute location and the day its content last changed, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapUrl {
    /// Absolute URL.
    pub loc: String,
    /// `YYYY-MM-DD`.
    pub lastmod: Option<String>,
}

/// The files every site has from this module (parts of a large sitemap aside).
pub const PATHS: &[&str] = &[SITEMAP, ROBOTS];
const SITEMAP: &str = "sitemap.xml";
const ROBOTS: &str = "robots.txt";

/// `sitemap.xml` (and its parts when there are many pages) and `robots.txt`, for the HTML
/// pages among the output paths `pages`.
pub fn sitemap<'a>(site: &Site, pages: impl IntoIterator<Item = &'a str>) -> Vec<OutputFile> {
    let urls = urls(site, pages);
    let mut files = files(&urls, MAX_URLS, |path| site.config.base_url.permalink(path));
    files.push(robots(site));
    files
}

/// The sitemap entry of every HTML page but 404, sorted by URL.
fn urls<'a>(site: &Site, pages: impl IntoIterator<Item = &'a str>) -> Vec<SitemapUrl> {
    let lastmods = lastmods(site);
    let newest = newest_day(site.entries().iter());
    let redirects: std::collections::HashSet<&str> =
        site.redirects.iter().map(|r| r.file.as_str()).collect();
    let mut urls: Vec<SitemapUrl> = pages
        .into_iter()
        .filter(|path| !redirects.contains(*path))
        .filter_map(|path| path.strip_suffix("index.html"))
        .filter(|site_path| site_path.is_empty() || site_path.ends_with('/'))
        .map(|site_path| SitemapUrl {
            loc: site.config.base_url.permalink(site_path),
            // Later pages of a list change with its first.
            lastmod: lastmods
                .get(routes::first_page_of(site_path))
                .cloned()
                .unwrap_or_else(|| newest.clone()),
        })
        .collect();
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    urls
}

/// The day of the newest briefing that has happened; upcoming ones have not changed anything yet.
fn newest_day<'a>(mut entries: impl Iterator<Item = &'a Entry>) -> Option<String> {
    entries
        .find(|e| !e.upcoming)
        .map(|e| e.briefing.date.iso_day())
}

/// `lastmod` of the pages that show a subset of briefings: each briefing, each term, each year.
/// Pages not listed here (home, lists, search) change with the newest briefing.
fn lastmods(site: &Site) -> HashMap<String, Option<String>> {
    let mut days: HashMap<String, Option<String>> = HashMap::new();
    // A standalone page does not change with the briefings: it has no known day.
    for entry in &site.pages {
        days.insert(entry.path.clone(), None);
    }
    for entry in site.entries() {
        let day = (!entry.upcoming).then(|| entry.briefing.date.iso_day());
        days.insert(entry.path.clone(), day.clone());
        // Newest first: the first briefing seen in a year that has happened dates the year.
        let year = days
            .entry(routes::year_path(entry.briefing.date.year()))
            .or_insert(None);
        if year.is_none() {
            *year = day;
        }
    }
    for taxonomy in &site.taxonomies {
        for term in &taxonomy.terms {
            let day = newest_day(term.briefings.iter().map(|&i| site.entry(i)));
            days.insert(routes::term_path(taxonomy.kind, &term.slug), day);
        }
    }
    days
}

/// `sitemap.xml` alone, or an index `sitemap.xml` over parts of `per_file` URLs each.
fn files(
    urls: &[SitemapUrl],
    per_file: usize,
    permalink: impl Fn(&str) -> String,
) -> Vec<OutputFile> {
    if urls.len() <= per_file {
        return vec![OutputFile {
            path: SITEMAP.to_owned(),
            bytes: urlset(urls).into_bytes(),
        }];
    }
    let parts: Vec<OutputFile> = urls
        .chunks(per_file)
        .enumerate()
        .map(|(i, chunk)| OutputFile {
            path: format!("sitemap{}.xml", i + 1),
            bytes: urlset(chunk).into_bytes(),
        })
        .collect();
    let mut index = format!("{}<sitemapindex xmlns=\"{NAMESPACE}\">\n", xml::DECLARATION);
    for part in &parts {
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            escape(&permalink(&part.path))
        );
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![OutputFile {
        path: SITEMAP.to_owned(),
        bytes: index.into_bytes(),
    }];
    files.extend(parts);
    files
}

fn urlset(urls: &[SitemapUrl]) -> String {
    let mut out = String::with_capacity(urls.len() * 100);
    let _ = writeln!(out, "{}<urlset xmlns=\"{NAMESPACE}\">", xml::DECLARATION);
    for url in urls {
        out.push_str("  <url><loc>");
        xml::escape_into(&mut out, &url.loc);
        out.push_str("</loc>");
        if let Some(day) = &url.lastmod {
            out.push_str("<lastmod>");
            out.push_str(day);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Lets every crawler in and points it at the sitemap.
fn robots(site: &Site) -> OutputFile {
    let sitemap = site.config.base_url.permalink(SITEMAP);
    OutputFile {
        path: ROBOTS.to_owned(),
        bytes: format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<SitemapUrl> {
        (0..n)
            .map(|i| SitemapUrl {
                loc: format!("https://example.org/p/{i}/"),
                lastmod: None,
            })
            .collect()
    }

    fn text(page: &OutputFile) -> &str {
        std::str::from_utf8(&page.bytes).unwrap()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let files = files(&urls(3), 3, |p| format!("https://example.org/{p}"));
        assert_eq!(files.len(), 1);
        assert_eq!(text(&files[0]).matches("<url>").count(), 3);
    }

    #[test]
    fn a_large_site_gets_a_sitemap_index() {
        let files = files(&urls(7), 3, |p| format!("https://example.org/{p}"));
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap.xml",
                "sitemap1.xml",
                "sitemap2.xml",
                "sitemap3.xml"
            ]
        );
        let index = text(&files[0]);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(
            index.contains("<loc>https://example.org/sitemap3.xml</loc>"),
            "{index}"
        );
        let counts: Vec<usize> = files[1..]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .collect();
        assert_eq!(counts, [3, 3, 1]);
    }
}
