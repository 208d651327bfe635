//! Front matter, Markdown and link resolution on arbitrary text: up to three files (two
//! briefings in different folders and a rocket page, split at NUL bytes) are parsed as the
//! build parses them, their routes planned, every body rendered with its links resolved,
//! and the link pass (fragments, site paths) run over them. Errors are fine; a panic, a
//! hang or a runaway allocation is a bug.

#![no_main]

use std::path::PathBuf;

use apogee::index::links::{self, SitePaths};
use apogee::index::markdown::{self, LinkContext};
use apogee::index::media::Media;
use apogee::index::routes;
use apogee::load::{self, Source};
use apogee::vocabulary::TaxonomyKind;
use libfuzzer_sys::fuzz_target;

const BRIEFINGS: [&str; 2] = ["content/briefings/2023/a.md", "content/briefings/b.md"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let mut briefings = Vec::new();
    for path in BRIEFINGS {
        let source = Source {
            path: PathBuf::from(path),
            text: parts.next().unwrap_or_default().to_owned(),
        };
        if let Ok(briefing) = load::parse_briefing(&source) {
            briefings.push(briefing);
        }
    }
    let rocket = Source {
        path: PathBuf::from("content/rockets/x.md"),
        text: parts.next().unwrap_or_default().to_owned(),
    };
    let term_pages: Vec<_> = load::parse_term_page(TaxonomyKind::Rockets, &rocket)
        .into_iter()
        .collect();
    let (mut routes, _) = routes::plan(&briefings, &term_pages, &[], &[]);
    routes.set_taxonomies(&[TaxonomyKind::Countries]);
    let mut site_paths: Vec<String> = briefings
        .iter()
        .map(|b| format!("{}index.html", routes::briefing_path(&b.slug)))
        .collect();
    site_paths.extend(
        term_pages
            .iter()
            .map(|p| format!("{}index.html", routes::term_path(p.kind, &p.slug))),
    );
    // No files: a link or image to a file beside a page is judged missing, as in a site
    // without bundles.
    let media = Media::default();
    let bodies = briefings
        .iter()
        .map(|b| (&b.body, &b.source))
        .chain(term_pages.iter().map(|p| (&p.body, &p.source)));
    let articles: Vec<_> = bodies
        .map(|(body, source)| {
            let context = LinkContext {
                source,
                routes: &routes,
                prefix: "/archive/",
                media: Some(&media),
            };
            (source.as_path(), markdown::render(body, &context))
        })
        .collect();
    let site: SitePaths = site_paths.into_iter().collect();
    let _ = links::check(articles.iter().map(|(path, article)| (*path, article)), &site);
});
