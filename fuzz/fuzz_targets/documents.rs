//! Front matter, Markdown and link resolution on arbitrary text: up to three files (two
//! briefings in different folders and a rocket page, split at NUL bytes) are parsed as the
//! build parses them, their routes planned, and every body rendered with its links
//! resolved against those routes. Errors are fine; a panic, a hang or a runaway allocation
//! is a bug.

#![no_main]

use std::path::{Path, PathBuf};

use apogee::build::{self, Documents};
use apogee::index::markdown::{self, LinkContext};
use apogee::load::{self, Source};
use apogee::vocabulary::TaxonomyKind;
use libfuzzer_sys::fuzz_target;

const BRIEFINGS: [&str; 2] = ["content/briefings/2023/a.md", "content/briefings/b.md"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let mut documents = Documents::default();
    for path in BRIEFINGS {
        let source = Source {
            path: PathBuf::from(path),
            text: parts.next().unwrap_or_default().to_owned(),
        };
        if let Ok(briefing) = load::parse_briefing(&source) {
            documents.briefings.push((briefing, None));
        }
    }
    let rocket = Source {
        path: PathBuf::from("content/rockets/x.md"),
        text: parts.next().unwrap_or_default().to_owned(),
    };
    if let Ok(page) = load::parse_term_page(TaxonomyKind::Rockets, &rocket) {
        documents.term_pages.push((page, None));
    }
    let Ok(mut routes) = build::plan_routes(&documents) else {
        return;
    };
    routes.set_taxonomies(&[TaxonomyKind::Countries]);
    let bodies = documents
        .briefings
        .iter()
        .map(|(b, _)| (&b.body, &b.source))
        .chain(documents.term_pages.iter().map(|(p, _)| (&p.body, &p.source)));
    for (body, source) in bodies {
        let links = LinkContext {
            source: Path::new(source),
            routes: &routes,
            prefix: "/archive/",
        };
        let _ = markdown::render(body, &links);
    }
});
