//! Markdown bodies to HTML: CommonMark with tables, footnotes, strikethrough, task lists,
//! smart punctuation and heading attributes; stable heading ids; links between source files
//! and root-relative links rewritten to page URLs; files beside a bundle's page resolved, and
//! images made `<img>` or `<figure>` with their sizes (through [`crate::index::media`]); the
//! summary of a body as plain text.
//!
//! This module renders one body at a time from text already in memory; it never reads the
//! disk and never sees templates. A link that needs the whole site to be judged (a
//! `#fragment`, whose ids are known once every body is rendered; a root-relative path, known
//! once every page is planned) is kept in [`Article::links`] with its location, for the one
//! link pass of [`crate::index::links`]; so are links already known to be broken, so that
//! every link problem of every file is reported together.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::index::media::{self, Media, Place};
use crate::index::routes::{LinkError, Resolved, Routes};
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
    /// The other ids a fragment may name: footnote definitions and `id="…"` in its HTML.
    pub other_ids: Vec<String>,
    /// Its links that the link pass judges, in order.
    pub links: Vec<Link>,
    /// Its images, in order: paths from the output root for the site's own files, else as
    /// written (for `og:image`).
    pub images: Vec<String>,
    /// What is worth a warning (an image without alt text).
    pub warnings: Vec<Diagnostic>,
    /// Its headings of levels 2 and 3, in order, for a table of contents.
    pub outline: Vec<Heading>,
    /// The print of `html`, taken the first time the preview asks for it. The preview keeps
    /// an unchanged body between rebuilds, and with it this, so a body is hashed once per edit.
    pub html_print: Memo,
}

/// A value computed from other fields of the same struct, once, when first asked for. It
/// adds nothing to what the struct is: any two memos are equal.
#[derive(Debug, Clone, Default)]
pub struct Memo(OnceLock<u64>);

impl Memo {
    /// An empty memo (for statics).
    pub const fn new() -> Self {
        Memo(OnceLock::new())
    }

    /// The value, computed by `compute` the first time.
    pub fn get_or_init(&self, compute: impl FnOnce() -> u64) -> u64 {
        *self.0.get_or_init(compute)
    }
}

impl PartialEq for Memo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Memo {}

/// A heading of a body, as a table of contents lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 2 or 3 (a body's `#` headings compete with the page title and are left out).
    pub level: u8,
    /// Its id, for `#fragment` links.
    pub id: String,
    /// Its text, as plain text.
    pub text: String,
}

/// A link of a body, where it is written and what must hold for it to lead somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Where the link starts in its file.
    pub location: Location,
    /// What must hold.
    pub check: LinkCheck,
}

/// What the link pass checks of one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkCheck {
    /// Known to point nowhere when the body was rendered.
    Broken(Problem),
    /// `fragment` must be an id of the document `page` (a source file; the body's own file
    /// for a link such as `#reaction`).
    Fragment {
        /// The link as written.
        target: String,
        /// The source file of the target document.
        page: PathBuf,
        /// The fragment, without `#`.
        fragment: String,
    },
    /// A root-relative link: `path` (without the leading `/`, query or fragment) must be a
    /// page or file of the site.
    SitePath {
        /// The link as written.
        target: String,
        /// The site path it names (`rockets/h3/`).
        path: String,
        /// The path without the path of `base_url`, when the writer wrote that too
        /// (`/archive/rockets/h3/` with `base_url: /archive/`): the likely meaning.
        unprefixed: Option<String>,
    },
}

/// What a body needs to know about the site to render its links.
pub struct LinkContext<'a> {
    /// The body's file, relative to the site root.
    pub source: &'a Path,
    /// Every page of the site.
    pub routes: &'a Routes,
    /// The path every link inside the site starts with (`/` or `/archive/`).
    pub prefix: &'a str,
    /// The files of bundles and `static/` that links and images may point at; `None` leaves
    /// a file beside the page as written, unchecked.
    pub media: Option<&'a Media>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`. Links to source files and root-relative links become page URLs; every
/// link that points nowhere, or that only the whole site can judge, is kept in
/// [`Article::links`] for the link pass.
pub fn render(body: &Body, context: &LinkContext) -> Article {
    let mut links = Vec::new();
    let mut other_ids = Vec::new();
    let mut images = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    for (event, range) in Parser::new_ext(body.markdown(), options()).into_offset_iter() {
        let at = || {
            let mut location = Location::at_offset(context.source, body.markdown(), range.start);
            location.line += body.first_line - 1;
            location
        };
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: rewrite_link(dest_url, context, &at, &mut links),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let written = dest_url.to_string();
                let dest_url = rewrite_link(dest_url, context, &at, &mut links);
                images.push(media::Found {
                    offset: range.start,
                    local: context.local(&written, &dest_url),
                    written,
                });
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                other_ids.push(label.to_string());
                Event::Start(Tag::FootnoteDefinition(label))
            }
            Event::Html(html) => {
                other_ids.extend(html_ids(&html));
                Event::Html(html)
            }
            Event::InlineHtml(html) => {
                other_ids.extend(html_ids(&html));
                Event::InlineHtml(html)
            }
            other => other,
        };
        events.push(event);
    }
    let mut warnings = Vec::new();
    let mut image_urls = Vec::new();
    if !images.is_empty() {
        let done = media::images(events, &images);
        events = done.events;
        image_urls = done.urls;
        warnings.extend(done.warnings.into_iter().map(|(offset, problem)| {
            let mut location = Location::at_offset(context.source, body.markdown(), offset);
            location.line += body.first_line - 1;
            Diagnostic::warning(location, problem)
        }));
    }
    let heading_ids = assign_heading_ids(&mut events);
    let outline = outline(&events);
    let events = link_headings_to_themselves(events);
    let first_paragraph = first_paragraph(&events);
    let mut html = String::with_capacity(body.markdown().len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    Article {
        html,
        first_paragraph,
        heading_ids,
        outline,
        other_ids,
        links,
        images: image_urls,
        warnings,
        html_print: Memo::new(),
    }
}

impl LinkContext<'_> {
    fn place(&self) -> Option<Place<'_>> {
        Some(Place {
            media: self.media?,
            source: self.source,
            site_path: self.routes.site_path(self.source),
        })
    }

    /// What is known of the local file an image written as `written` (and rewritten to
    /// `url`) shows: its path from the output root and its dimensions.
    fn local(&self, written: &str, url: &str) -> Option<media::Local> {
        let media = self.media?;
        if written.starts_with('/') && !written.starts_with("//") {
            let path = url.strip_prefix(self.prefix)?;
            return Some(media.static_file(path));
        }
        let place = self.place()?;
        media::resolve(&place, written).ok().flatten()
    }
}

/// The headings of levels 2 and 3, once every heading has its id.
fn outline(events: &[Event]) -> Vec<Heading> {
    let mut headings = Vec::new();
    for (index, event) in events.iter().enumerate() {
        let Event::Start(Tag::Heading {
            level,
            id: Some(id),
            ..
        }) = event
        else {
            continue;
        };
        let level = *level as u8;
        if !(2..=3).contains(&level) {
            continue;
        }
        let text = plain_text_until(&events[index + 1..], |e| {
            matches!(e, Event::End(TagEnd::Heading(_)))
        });
        headings.push(Heading {
            level,
            id: id.to_string(),
            text,
        });
    }
    headings
}

/// Makes each heading's text a link to the heading itself, so that readers can copy a link
/// to a section (as Zola's `insert_anchor_links = "heading"` does). The link's name is the
/// heading's own text, so it needs no words of any language; a heading that already holds
/// a link is left as it is, since links cannot nest.
fn link_headings_to_themselves(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len() + 8);
    let mut open: Option<usize> = None;
    for event in events {
        match &event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                let href = format!("<a class=\"heading-link\" href=\"#{}\">", escape_attr(id));
                out.push(event);
                open = Some(out.len());
                out.push(Event::InlineHtml(href.into()));
            }
            Event::Start(Tag::Link { .. }) | Event::FootnoteReference(_) if open.is_some() => {
                if let Some(at) = open.take() {
                    out.remove(at);
                }
                out.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if open.take().is_some() {
                    out.push(Event::InlineHtml("</a>".into()));
                }
                out.push(event);
            }
            _ => out.push(event),
        }
    }
    out
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The URL a link of the body becomes, noting what the link pass must check of it.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    context: &LinkContext,
    at: &dyn Fn() -> Location,
    links: &mut Vec<Link>,
) -> CowStr<'a> {
    let target = dest.to_string();
    let mut note = |check| {
        links.push(Link {
            location: at(),
            check,
        })
    };
    match context.routes.resolve(context.source, &dest) {
        Ok(Resolved::Elsewhere) => match context.place().map(|place| media::resolve(&place, &dest))
        {
            Some(Ok(Some(local))) => format!("{}{}", context.prefix, local.site_path).into(),
            Some(Err(problem)) => {
                note(LinkCheck::Broken(problem));
                dest
            }
            _ => dest,
        },
        Ok(Resolved::OwnFragment(fragment)) => {
            note(LinkCheck::Fragment {
                target,
                page: context.source.to_path_buf(),
                fragment,
            });
            dest
        }
        Ok(Resolved::Page {
            source,
            site_path,
            fragment,
        }) => {
            let url = match &fragment {
                Some(fragment) => format!("{}{site_path}#{fragment}", context.prefix),
                None => format!("{}{site_path}", context.prefix),
            };
            if let Some(fragment) = fragment {
                note(LinkCheck::Fragment {
                    target,
                    page: source,
                    fragment,
                });
            }
            url.into()
        }
        Ok(Resolved::SitePath { path, rest }) => {
            let url = format!("{}{path}{rest}", context.prefix);
            let unprefixed = context
                .prefix
                .strip_prefix('/')
                .filter(|base| !base.is_empty())
                .and_then(|base| path.strip_prefix(base))
                .map(str::to_owned);
            note(LinkCheck::SitePath {
                target,
                path,
                unprefixed,
            });
            url.into()
        }
        Err(error) => {
            let problem = match error {
                LinkError::Missing(resolved) => Problem::BrokenLink { target, resolved },
                LinkError::Draft(resolved) => Problem::LinkToDraft { target, resolved },
                LinkError::NotEnabled(kind) => Problem::TaxonomyNotEnabled {
                    target,
                    taxonomy: kind.name(),
                },
                LinkError::WithoutExtension(suggestion) => {
                    Problem::LinkWithoutMd { target, suggestion }
                }
                // The target's own errors are reported; the link would only repeat them.
                LinkError::Unparsed(_) => return dest,
            };
            note(LinkCheck::Broken(problem));
            dest
        }
    }
}

/// The values of the `id` attributes in a piece of raw HTML (`<a id="launch"></a>`).
fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("id=") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 3..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let value = &rest[1..];
        if let Some(end) = value.find(quote) {
            ids.push(value[..end].to_owned());
            rest = &value[end..];
        }
    }
    ids
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

    fn render_text(markdown: &str) -> Article {
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
        render(&Body::new(markdown, 6), &links)
    }

    #[test]
    fn links_to_sources_become_urls() {
        let article = render_text("See [b](b.md#why) and [web](https://example.org).");
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
        let links = render_text("First line.\n\nThen [gone](c.md) here.").links;
        assert_eq!(links.len(), 1);
        assert!(matches!(
            links[0].check,
            LinkCheck::Broken(Problem::BrokenLink { .. })
        ));
        assert_eq!((links[0].location.line, links[0].location.column), (8, 6));
        assert_eq!(
            links[0].location.source_line.as_deref(),
            Some("Then [gone](c.md) here.")
        );
    }

    #[test]
    fn headings_get_unique_stable_ids() {
        let article = render_text("## Reaction\n\n## Reaction\n\n## Custom {#mine}\n\n## Mine\n");
        assert_eq!(
            article.heading_ids,
            vec!["reaction", "reaction-1", "mine", "mine-1"]
        );
        assert!(article.html.contains(r#"<h2 id="reaction-1">"#));
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let article = render_text("## Title\n\nThe *second* `stage`\nfailed.\n\nMore.");
        assert_eq!(article.first_paragraph, "The second stage failed.");
    }

    #[test]
    fn extensions_are_on() {
        let html = render_text(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"q\" [^1]\n\n[^1]: note\n\n- [x] done\n",
        )
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

    #[test]
    fn fragments_and_root_relative_links_are_kept_for_the_link_pass() {
        let article = render_text(
            "[a](#contxt) [b](b.md#why) [c](/rockets/h3/#x) ![d](/img/pad.jpg) [e](//cdn.example/x)",
        );
        let checks: Vec<&LinkCheck> = article.links.iter().map(|l| &l.check).collect();
        assert!(
            matches!(checks[0], LinkCheck::Fragment { page, fragment, .. }
            if page == Path::new("content/briefings/a.md") && fragment == "contxt")
        );
        assert!(
            matches!(checks[1], LinkCheck::Fragment { page, fragment, .. }
            if page == Path::new("content/briefings/b.md") && fragment == "why")
        );
        assert!(matches!(checks[2], LinkCheck::SitePath { path, .. } if path == "rockets/h3/"));
        assert!(matches!(checks[3], LinkCheck::SitePath { path, .. } if path == "img/pad.jpg"));
        assert_eq!(
            checks.len(),
            4,
            "a protocol-relative link is another site's"
        );
        assert!(
            article.html.contains(r#"href="/archive/rockets/h3/#x""#),
            "{}",
            article.html
        );
        assert!(
            article.html.contains(r#"src="/archive/img/pad.jpg""#),
            "{}",
            article.html
        );
    }

    #[test]
    fn a_stem_without_md_is_broken_with_a_suggestion() {
        let links = render_text("[b](b) [b](b#why)").links;
        for link in &links {
            assert!(
                matches!(&link.check, LinkCheck::Broken(Problem::LinkWithoutMd { suggestion, .. })
                    if suggestion.starts_with("b.md")),
                "{link:?}"
            );
        }
        assert_eq!(links.len(), 2);
    }

    #[test]
    fn footnotes_and_html_ids_are_targets() {
        let article =
            render_text("Text[^src].\n\n<a id=\"pad\"></a> <span id='x'>\n\n[^src]: note");
        assert_eq!(article.other_ids, vec!["pad", "x", "src"]);
    }
}
