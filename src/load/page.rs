//! Standalone pages (`content/pages/**/*.md`: About, Methodology): their front matter read
//! into a validated [`Page`], the same two steps as a briefing's.
//!
//! A page is not a briefing: it has no date, terms or outcome, and it is in no feed, list or
//! launch record. Its URL is `/<slug>/` (`routes` decides, and rejects slugs the site's own
//! pages use); `menu` puts it in the site navigation. This module never renders its body.

use serde::Deserialize;

use super::front_matter::{self, Block, Names, Scalar, missing, non_empty, split};
use super::{Body, Extra, Source};
use crate::diagnostic::Diagnostic;

/// The keys of a page's front matter.
pub const PAGE_KEYS: &[&str] = &[
    "title",
    "description",
    "menu",
    "slug",
    "extra",
    "redirect_from",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<Scalar>,
    description: Option<Scalar>,
    menu: Option<i64>,
    slug: Option<Scalar>,
    extra: Option<serde_json::Value>,
    redirect_from: Option<Names>,
}

/// A validated standalone page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The file, relative to the site root.
    pub source: std::path::PathBuf,
    /// Its URL segment: `slug:`, else the file stem (the folder's name for `index.md`).
    pub slug: String,
    /// Its heading and `<title>`.
    pub title: String,
    /// For search engines and link previews; else the site's description.
    pub description: Option<String>,
    /// Its place in the site navigation (lower first), when it has one.
    pub menu: Option<i64>,
    /// Free fields for templates.
    pub extra: Extra,
    /// Old site paths that redirect here.
    pub redirect_from: Vec<String>,
    /// The Markdown text.
    pub body: Body,
}

/// Reads one page file into a validated [`Page`], or every problem found in it.
pub fn parse_page(source: &Source) -> Result<Page, Vec<Diagnostic>> {
    let split = split(source).map_err(|d| vec![d])?;
    let block = Block {
        source,
        yaml: split.yaml,
    };
    let (raw, mut errors): (RawPage, _) = block.parse(PAGE_KEYS)?;
    let title = non_empty(raw.title);
    if title.is_none() {
        errors.push(missing(&block, "title", "page"));
    }
    let slug = front_matter::slug(raw.slug, &block, &mut errors);
    let extra = front_matter::extra(raw.extra, &block, &mut errors);
    let redirect_from = front_matter::redirects(raw.redirect_from, &block, &mut errors);
    let (Some(title), Some(slug), true) = (title, slug, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Page {
        source: source.path.clone(),
        slug,
        title,
        description: non_empty(raw.description),
        menu: raw.menu,
        extra,
        redirect_from,
        body: split.body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: PathBuf::from(path),
            text: text.into(),
        }
    }

    #[test]
    fn reads_a_page_with_menu_extra_and_redirects() {
        let text = "---\ntitle: About this desk\nmenu: 10\nextra:\n  editor: A. Analyst\nredirect_from: [/about-us/]\n---\nWho we are.\n";
        let page = parse_page(&source("content/pages/about.md", text)).unwrap();
        assert_eq!(page.slug, "about");
        assert_eq!(page.menu, Some(10));
        assert_eq!(page.extra.0["editor"], "A. Analyst");
        assert_eq!(page.redirect_from, vec!["/about-us/"]);
    }

    #[test]
    fn problems_are_located() {
        let text = "---\nmenu: first\nextra: [a]\nredirect_from: [old/]\nlayout: wide\n---\n";
        let found = parse_page(&source("content/pages/x.md", text)).unwrap_err();
        let codes: Vec<_> = found
            .iter()
            .map(|d| (d.problem.code(), d.location.line))
            .collect();
        assert!(codes.contains(&("unknown-key", 5)), "{codes:?}");
        assert!(codes.contains(&("wrong-type", 2)), "{codes:?}");
    }
}
