//! Markdown bodies to HTML: CommonMark with tables, footnotes, strikethrough, task lists,
//! smart punctuation and heading attributes; stable heading ids; links between source files
//! rewritten to page URLs; the summary of a body as plain text.
//!
//! This module renders one body at a time from text already in memory; it never reads the
//! disk and never sees templates.

use std::collections::BTreeSet;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::index::media::{self, Media, Place};
use crate::index::routes::{LinkError, Routes};
use crate::load::Body;

/// A body rendered to HTML, with what lists and feeds need of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// The HTML of the body.
    pub html: String,
    /// The first paragraph as plain text (empty if the body has none).
    pub first_paragraph: String,
    /// The ids of its headings, in order, for fragment checks.
    pub heading_ids: Vec<String>,
    /// Its images, in order: paths from the output root for local files, else as written.
    pub images: Vec<String>,
    /// What is worth a warning (an image without alt text).
    pub warnings: Vec<Diagnostic>,
}

/// What a body needs to know about the site to render its links.
pub struct LinkContext<'a> {
    /// The body's file, relative to the site root.
    pub source: &'a Path,
    /// Every page of the site.
    pub routes: &'a Routes,
    /// The path every link inside the site starts with (`/` or `/archive/`).
    pub prefix: &'a str,
    /// The local files links and images may point at; `None` leaves them as written.
    pub media: Option<&'a Media>,
}

impl LinkContext<'_> {
    fn place(&self) -> Option<Place<'_>> {
        Some(Place {
            media: self.media?,
            source: self.source,
            site_path: self.routes.site_path(self.source),
            prefix: self.prefix,
        })
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`; every link to a source file that points nowhere is a located error.
pub fn render(body: &Body, links: &LinkContext) -> Result<Article, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut image_offsets = Vec::new();
    for (event, range) in Parser::new_ext(&body.markdown, options()).into_offset_iter() {
        if let Event::Start(Tag::Image { .. }) = event {
            image_offsets.push(range.start);
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite_link(dest_url, range.start, body, links, &mut diagnostics);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push(event);
    }
    let mut warnings = Vec::new();
    let mut images = Vec::new();
    if let Some(place) = links.place().filter(|_| !image_offsets.is_empty()) {
        let done = media::images(events, &image_offsets, &place);
        events = done.events;
        images = done.urls;
        let at = |offset| at_offset(links.source, body, offset);
        diagnostics.extend(
            done.errors
                .into_iter()
                .map(|(o, p)| Diagnostic::error(at(o), p)),
        );
        warnings.extend(
            done.warnings
                .into_iter()
                .map(|(o, p)| Diagnostic::warning(at(o), p)),
        );
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let heading_ids = assign_heading_ids(&mut events);
    let first_paragraph = first_paragraph(&events);
    let mut html = String::with_capacity(body.markdown.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Ok(Article {
        html,
        first_paragraph,
        heading_ids,
        images,
        warnings,
    })
}

/// The location of byte `offset` of a body, in its file.
fn at_offset(source: &Path, body: &Body, offset: usize) -> Location {
    let mut location = Location::at_offset(source, &body.markdown, offset);
    location.line += body.first_line - 1;
    location
}

fn rewrite_link<'a>(
    dest: CowStr<'a>,
    offset: usize,
    body: &Body,
    links: &LinkContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    match links.routes.resolve(links.source, &dest) {
        Ok(None) => match links
            .place()
            .map(|place| media::resolve(&place, &dest, false))
        {
            Some(Ok(Some(local))) => format!("{}{}", links.prefix, local.site_path).into(),
            Some(Err(problem)) => {
                diagnostics.push(Diagnostic::error(
                    at_offset(links.source, body, offset),
                    problem,
                ));
                dest
            }
            _ => dest,
        },
        Ok(Some(site_path)) => format!("{}{site_path}", links.prefix).into(),
        Err(error) => {
            let mut location = Location::at_offset(links.source, &body.markdown, offset);
            location.line += body.first_line - 1;
            let target = dest.to_string();
            let problem = match error {
                LinkError::Missing(resolved) => Problem::BrokenLink { target, resolved },
                LinkError::Draft(resolved) => Problem::LinkToDraft { target, resolved },
            };
            diagnostics.push(Diagnostic::error(location, problem));
            dest
        }
    }
}

/// Gives every heading an id: its own `{#id}` if written, else the slug of its text, made
/// unique within the body with `-1`, `-2`... so that the same text always gets the same id.
fn assign_heading_ids(events: &mut [Event]) -> Vec<String> {
    let mut taken: BTreeSet<String> = events
        .iter()
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut ids = Vec::new();
    for index in 0..events.len() {
        let Event::Start(Tag::Heading { id, .. }) = &events[index] else {
            continue;
        };
        if let Some(id) = id {
            ids.push(id.to_string());
            continue;
        }
        let text = plain_text_until(&events[index + 1..], |e| {
            matches!(e, Event::End(TagEnd::Heading(_)))
        });
        let base = match crate::vocabulary::slugify(&text) {
            slug if slug.is_empty() => "section".to_owned(),
            slug => slug,
        };
        let mut unique = base.clone();
        let mut n = 1;
        while taken.contains(&unique) {
            unique = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(unique.clone());
        ids.push(unique.clone());
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[index] {
            *id = Some(unique.into());
        }
    }
    ids
}

fn first_paragraph(events: &[Event]) -> String {
    let Some(start) = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)))
    else {
        return String::new();
    };
    plain_text_until(&events[start + 1..], |e| {
        matches!(e, Event::End(TagEnd::Paragraph))
    })
}

/// The text of `events` up to the first that `is_end`, as a reader would read it aloud.
fn plain_text_until(events: &[Event], is_end: impl Fn(&Event) -> bool) -> String {
    let mut text = String::new();
    for event in events.iter().take_while(|e| !is_end(e)) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Body, Briefing};

    fn render_text(markdown: &str) -> Result<Article, Vec<Diagnostic>> {
        let briefings = [
            Briefing::sample("content/briefings/a.md", "a"),
            Briefing::sample("content/briefings/b.md", "b"),
        ];
        let (routes, _) = crate::index::routes::plan(&briefings, &[], &[], &[]);
        let links = LinkContext {
            source: Path::new("content/briefings/a.md"),
            routes: &routes,
            prefix: "/archive/",
            media: None,
        };
        render(
            &Body {
                markdown: markdown.into(),
                first_line: 6,
            },
            &links,
        )
    }

    #[test]
    fn links_to_sources_become_urls() {
        let article = render_text("See [b](b.md#why) and [web](https://example.org).").unwrap();
        assert!(
            article
                .html
                .contains(r#"<a href="/archive/briefings/b/#why">b</a>"#),
            "{}",
            article.html
        );
        assert!(article.html.contains(r#"href="https://example.org""#));
    }

    #[test]
    fn broken_links_are_located_in_the_file() {
        let errors = render_text("First line.\n\nThen [gone](c.md) here.").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].location.line, errors[0].location.column), (8, 6));
        assert_eq!(
            errors[0].location.source_line.as_deref(),
            Some("Then [gone](c.md) here.")
        );
    }

    #[test]
    fn headings_get_unique_stable_ids() {
        let article =
            render_text("## Reaction\n\n## Reaction\n\n## Custom {#mine}\n\n## Mine\n").unwrap();
        assert_eq!(
            article.heading_ids,
            vec!["reaction", "reaction-1", "mine", "mine-1"]
        );
        assert!(article.html.contains(r#"<h2 id="reaction-1">"#));
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let article = render_text("## Title\n\nThe *second* `stage`\nfailed.\n\nMore.").unwrap();
        assert_eq!(article.first_paragraph, "The second stage failed.");
    }

    #[test]
    fn extensions_are_on() {
        let html = render_text(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\" [^1]\n\n[^1]: note\n\n- [x] done\n",
        )
        .unwrap()
        .html;
        for needle in [
            "<table>",
            "<del>x</del>",
            "\u{201c}q\u{201d}",
            "footnote-definition",
            "checkbox",
        ] {
            assert!(html.contains(needle), "{needle} in {html}");
        }
    }
}
