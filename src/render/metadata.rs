//! What a page tells machines about itself, beyond its visible content: the feeds it
//! advertises, the JSON-LD `NewsArticle` of a briefing, the facets that search filters on,
//! and the header links to the archive and search pages.
//!
//! `render` puts these into every page's context; the `<head>` of `base.html` turns them into
//! canonical, OpenGraph, Twitter and feed links. This module builds values; it renders nothing.

use serde::Serialize;

use super::context::PerBriefing;

use crate::index::taxonomy::Term;
use crate::index::{Entry, Site, routes};
use crate::vocabulary::TaxonomyKind;

/// A `<link rel="alternate" type="application/atom+xml">` of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedLink {
    /// Shown by feed readers when a page offers several feeds.
    pub title: String,
    /// Absolute URL of the feed.
    pub url: String,
}

/// One value a briefing has for a search facet (`rocket` = `H3`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchFilter {
    /// `rocket`, `country`, `outcome` or `year`, in the site's language (`lanceur`, `pays`,
    /// `résultat`, `année`): Pagefind's UI shows it as the filter's name.
    pub facet: String,
    /// The value, as written (the search index escapes it for Pagefind's UI, which inserts
    /// filter values as markup: see `publish::search`).
    pub value: String,
}

/// What the `<head>` of a briefing page says beyond that of other pages.
#[derive(Serialize)]
pub(crate) struct ArticleMeta {
    /// RFC 3339 date of the launch (`article:published_time`).
    pub published: String,
    /// The JSON-LD `NewsArticle`, safe to place inside `<script>` as is; where only prints
    /// are taken, the print of the `NewsArticle` it is written from.
    pub json_ld: PerBriefing<String>,
    /// The briefing's values for each search facet.
    pub filters: Vec<SearchFilter>,
    /// What a search result shows under its title: the date, the rockets, the country.
    pub meta: Vec<SearchMeta>,
}

/// One line of a search result (`data-pagefind-meta`): a label in the site's language and
/// its value, which Pagefind's UI shows as `Label: value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchMeta {
    /// The label (`Date`, `Rocket`, `Launched by`).
    pub key: String,
    /// The value (`21 November 2023, 13:42 UTC`, `Chollima-1`).
    pub value: String,
}

/// The header links after the taxonomies: (key of its title among the theme's strings, site
/// path, whether every page under the path is under it, rather than that path alone).
pub fn nav_links(site: &Site) -> Vec<(&'static str, &'static str, bool)> {
    let mut links = vec![("archive", routes::ARCHIVE_PATH, true)];
    if site.config.search {
        links.push(("search", routes::SEARCH_PATH, false));
    }
    links
}

/// The site's feed, and the term's own feed first on a term's page.
pub fn feed_links(site: &Site, term: Option<(TaxonomyKind, &Term)>) -> Vec<FeedLink> {
    let base = &site.config.base_url;
    let mut links = Vec::with_capacity(2);
    if let Some((kind, term)) = term {
        links.push(FeedLink {
            title: format!(
                "{}: {}",
                site.config.strings.get(&format!("{}_one", kind.name())),
                term.name
            ),
            url: base.permalink(&routes::term_feed_path(kind, &term.slug)),
        });
    }
    links.push(FeedLink {
        title: site.config.title.clone(),
        url: base.permalink(routes::SITE_FEED),
    });
    links
}

/// The head metadata of a briefing's page, with its JSON-LD as the renderer made it (the
/// script text of [`news_article`], or its print).
pub(crate) fn article(site: &Site, entry: &Entry, json_ld: PerBriefing<String>) -> ArticleMeta {
    ArticleMeta {
        published: entry.briefing.date.rfc3339(),
        json_ld,
        filters: search_filters(site, entry),
        meta: search_meta(site, entry),
    }
}

/// The date, rockets and country of a briefing, for its search result.
fn search_meta(site: &Site, entry: &Entry) -> Vec<SearchMeta> {
    let strings = &site.config.strings;
    let date = &entry.briefing.date;
    let when = match date.utc() {
        Some(at) => strings.day_and_time_utc(at.date(), at.time()),
        None => strings.day(date.day()),
    };
    let mut meta = vec![SearchMeta {
        key: strings.get("date").to_owned(),
        value: when,
    }];
    let names = |kind: TaxonomyKind| -> Vec<String> {
        terms(site, entry)
            .into_iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, term)| term.name.clone())
            .collect()
    };
    let rockets = names(TaxonomyKind::Rockets);
    if !rockets.is_empty() {
        meta.push(SearchMeta {
            key: strings.counted("rockets", rockets.len() as i64, &[]),
            value: rockets.join(", "),
        });
    }
    // The country that flew it says more in a result than every country that reacted.
    let launcher = entry.briefing.launched_by.as_ref().and_then(|name| {
        let countries = site.taxonomy(TaxonomyKind::Countries)?;
        Some(
            countries
                .resolve(name)
                .map_or(name.clone(), |t| t.name.clone()),
        )
    });
    match launcher {
        Some(country) => meta.push(SearchMeta {
            key: strings.get("launched_by").to_owned(),
            value: country,
        }),
        None => {
            let countries = names(TaxonomyKind::Countries);
            if !countries.is_empty() {
                meta.push(SearchMeta {
                    key: strings.counted("countries", countries.len() as i64, &[]),
                    value: countries.join(", "),
                });
            }
        }
    }
    meta
}

/// The JSON-LD `NewsArticle` of a briefing (schema.org), as a typed value: it serialises
/// straight to text, with no intermediate JSON tree (every briefing page has one). Its fields
/// are in alphabetical order, the order JSON-LD readers and earlier builds have seen.
pub fn news_article<'a>(site: &'a Site, entry: &'a Entry) -> NewsArticle<'a> {
    let config = &site.config;
    let base = &config.base_url;
    let briefing = &entry.briefing;
    let url = base.permalink(&entry.path);
    let date = briefing.date.rfc3339();
    let about = terms(site, entry)
        .into_iter()
        .map(|(kind, term)| Thing {
            kind: "Thing",
            name: &term.name,
            url: base.permalink(&routes::term_path(kind, &term.slug)),
        })
        .collect();
    let publisher = Organization {
        kind: "Organization",
        name: &config.author,
        url: base.permalink(""),
    };
    NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        about,
        author: publisher.clone(),
        date_modified: date.clone(),
        date_published: date,
        description: entry.summary(),
        headline: &briefing.title,
        in_language: &config.language,
        main_entity_of_page: url.clone(),
        publisher,
        url,
    }
}

/// A schema.org `NewsArticle`: the fields apogee fills.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<Thing<'a>>,
    author: Organization<'a>,
    date_modified: String,
    date_published: String,
    description: &'a str,
    headline: &'a str,
    in_language: &'a str,
    main_entity_of_page: String,
    publisher: Organization<'a>,
    url: String,
}

/// A schema.org `Thing` a briefing is about: one of its terms.
#[derive(Debug, Clone, Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// The schema.org `Organization` behind the site: its author and publisher.
#[derive(Debug, Clone, Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// JSON that cannot end its `<script>` element early nor open a comment: `<`, `>` and `&`
/// become `\u` escapes, which every JSON parser reads back as the same characters.
pub fn script_safe<T: Serialize + ?Sized>(value: &T) -> String {
    // Serialising a plain value to memory cannot fail; an error would leave an empty object.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The rockets, then the countries, a briefing is filed under: each term once (feed
/// categories, JSON-LD `about`, search filters).
pub fn terms<'a>(site: &'a Site, entry: &Entry) -> Vec<(TaxonomyKind, &'a Term)> {
    let mut found: Vec<(TaxonomyKind, &Term)> = Vec::new();
    for kind in [TaxonomyKind::Rockets, TaxonomyKind::Countries] {
        let Some(taxonomy) = site.taxonomy(kind) else {
            continue;
        };
        for name in entry.briefing.term_names(kind) {
            if let Some(term) = taxonomy.resolve(name)
                && !found.iter().any(|(k, t)| *k == kind && t.slug == term.slug)
            {
                found.push((kind, term));
            }
        }
    }
    found
}

/// The values of the search page's four facets for one briefing.
pub fn search_filters(site: &Site, entry: &Entry) -> Vec<SearchFilter> {
    let strings = &site.config.strings;
    let facet = |key: &str| strings.get(key).to_lowercase();
    let mut filters: Vec<SearchFilter> = terms(site, entry)
        .into_iter()
        .map(|(kind, term)| SearchFilter {
            facet: if kind == TaxonomyKind::Rockets {
                facet("rockets_one")
            } else {
                facet("countries_one")
            },
            value: term.name.clone(),
        })
        .collect();
    if let Some(outcome) = entry.briefing.outcome {
        filters.push(SearchFilter {
            facet: facet("outcome"),
            value: strings
                .get(&format!("outcome_{}", outcome.key()))
                .to_owned(),
        });
    }
    filters.push(SearchFilter {
        facet: facet("year"),
        value: entry.briefing.date.year().to_string(),
    });
    filters
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let value = json!({ "headline": "</script><!-- & -->" });
        let safe = script_safe(&value);
        assert!(
            !safe.contains('<') && !safe.contains('>') && !safe.contains('&'),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }
}
