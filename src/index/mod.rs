//! Indexing: from parsed documents to the [`Site`] that rendering reads. Every output path
//! is decided in [`routes`], Markdown bodies become [`markdown::Article`]s with their links
//! resolved, terms are gathered into [`taxonomy`]s, launch [`record`]s are counted, and
//! [`lint`] finds the warnings of `apogee check`.
//!
//! The site holds plain data and indices (briefings in reading order, taxonomies pointing at
//! them by index), never templates or files; nothing here reads the disk or renders a page.

pub mod links;
pub mod lint;
pub mod markdown;
pub mod media;
pub mod reads;
pub mod record;
pub mod routes;
pub mod taxonomy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::bundle::{LocalFile, is_bundle};
use crate::load::config::Config;
use crate::load::{Briefing, Page, TermPage};
use crate::vocabulary::Outcome;
use crate::vocabulary::TaxonomyKind;
use markdown::Article;
use record::Records;
use taxonomy::Taxonomy;

/// A briefing with its rendered body and its place in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What the writer wrote.
    pub briefing: Arc<Briefing>,
    /// The rendered body, shared with the preview's cache (a rebuild copies no body).
    pub article: Arc<Article>,
    /// Its site path (`briefings/<slug>/`).
    pub path: String,
    /// Planned rather than flown: scheduled, or dated after the build's day.
    pub upcoming: bool,
}

impl Entry {
    /// The sentence for lists and feeds: the front matter's `summary`, else the first paragraph.
    pub fn summary(&self) -> &str {
        self.briefing
            .summary
            .as_deref()
            .unwrap_or(&self.article.first_paragraph)
    }
}

/// A standalone page with its rendered body and its place in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntry {
    /// What the writer wrote.
    pub page: Page,
    /// The rendered body.
    pub article: Arc<Article>,
    /// Its site path (`<slug>/`).
    pub path: String,
}

/// An old address of a briefing or page (`redirect_from`), where a redirect page stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old path as written (`/old/url/`).
    pub old: String,
    /// The output file of the redirect page (`old/url/index.html`).
    pub file: String,
    /// The file that asked for it.
    pub source: PathBuf,
    /// The title of the page it leads to.
    pub title: String,
    /// The site path it leads to.
    pub target: String,
}

/// A file published as it is: one of a bundle's, beside its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Its path in the output (`briefings/x/pad.png`).
    pub path: String,
    /// The file it is a copy of, relative to the site root.
    pub source: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Everything rendering needs, indexed.
#[derive(Debug, Clone)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// Briefings newest first (ties by title, then slug); read through [`Site::entry`] and
    /// [`Site::entries`], which note each read for the preview (see [`reads`]).
    briefings: Vec<Entry>,
    /// Each year that has briefings, newest first, with the indices of its briefings.
    pub years: Vec<(i16, Vec<usize>)>,
    /// One per configured taxonomy, in configuration order.
    pub taxonomies: Vec<Taxonomy>,
    /// The launch record of every rocket and country.
    pub records: Records,
    /// Standalone pages, by source path.
    pub pages: Vec<PageEntry>,
    /// The redirect pages asked for by `redirect_from`, briefings first, in site order.
    pub redirects: Vec<Redirect>,
    /// The files of bundles, published beside their pages (see [`bundle_files`]).
    pub files: Vec<SiteFile>,
    /// Satellite slug → indices of the briefings that name it, in site order, whether or
    /// not the satellites taxonomy has pages: briefings about one satellite link each other.
    pub satellites: BTreeMap<String, Vec<usize>>,
}

impl Site {
    /// Briefing `index` (see [`reads`]).
    ///
    /// # Panics
    /// If there is no such briefing: indices come from the site itself.
    pub fn entry(&self, index: usize) -> &Entry {
        reads::note(index);
        &self.briefings[index]
    }

    /// Briefing `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&Entry> {
        let entry = self.briefings.get(index)?;
        reads::note(index);
        Some(entry)
    }

    /// Every briefing, newest first (noted as a read of them all).
    pub fn entries(&self) -> &[Entry] {
        reads::note_all();
        &self.briefings
    }

    /// How many briefings the site has. Not a read: the count is part of the site's frame.
    pub fn briefing_count(&self) -> usize {
        self.briefings.len()
    }

    /// Puts `entry` in place of briefing `index` (the preview's patch of a text edit).
    pub fn replace_entry(&mut self, index: usize, entry: Entry) {
        self.briefings[index] = entry;
    }

    /// What changed from `earlier` to this site: for each briefing, whether it differs from
    /// the one at its index in `earlier`; `None` when anything else differs (the frame:
    /// configuration, taxonomies, records, pages, files, how many briefings), which any page
    /// may show.
    pub fn changed_briefings(&self, earlier: &Site) -> Option<Vec<bool>> {
        let same_frame = self.briefings.len() == earlier.briefings.len()
            && self.years == earlier.years
            && self.taxonomies == earlier.taxonomies
            && self.records == earlier.records
            && self.satellites == earlier.satellites
            && self.pages == earlier.pages
            && self.redirects == earlier.redirects
            && self.files == earlier.files
            && self.config == earlier.config;
        same_frame.then(|| {
            self.briefings
                .iter()
                .zip(&earlier.briefings)
                .map(|(now, then)| now != then)
                .collect()
        })
    }

    /// The taxonomy of `kind`, if configured.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }

    /// Up to `limit` other briefings related to briefing `index`: those sharing one of its
    /// rockets, then one of the countries that launched it, then any of its countries; each
    /// group newest first.
    pub fn related(&self, index: usize, limit: usize) -> Vec<usize> {
        let entry = self.entry(index);
        let rockets = self.taxonomy(TaxonomyKind::Rockets);
        let countries = self.taxonomy(TaxonomyKind::Countries);
        let launchers: Vec<&Vec<usize>> = countries
            .map(|c| {
                record::launchers(entry, rockets, c)
                    .iter()
                    .filter_map(|slug| c.get(slug))
                    .map(|t| &t.briefings)
                    .collect()
            })
            .unwrap_or_default();
        let tiers = [
            briefings_of_terms(entry, rockets),
            launchers,
            briefings_of_terms(entry, countries),
        ];
        let mut related: Vec<usize> = Vec::with_capacity(limit);
        for lists in tiers {
            // Each term lists its briefings newest first, so the first `limit` others of each
            // term are enough to find the newest `limit` of them all.
            let mut candidates: Vec<usize> = lists
                .into_iter()
                .flat_map(|list| list.iter().copied().filter(|&i| i != index).take(limit))
                .filter(|i| !related.contains(i))
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            related.extend(candidates.into_iter().take(limit - related.len()));
            if related.len() == limit {
                break;
            }
        }
        related
    }
}

/// Each year that has briefings, newest first, with the indices of its briefings in the
/// site's order.
fn years(entries: &[Entry]) -> Vec<(i16, Vec<usize>)> {
    group(
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.briefing.date.year(), i)),
    )
}

/// Groups consecutive items by key, keeping their order (the input is sorted by key).
pub(crate) fn group<K: PartialEq + Copy>(
    items: impl Iterator<Item = (K, usize)>,
) -> Vec<(K, Vec<usize>)> {
    let mut groups: Vec<(K, Vec<usize>)> = Vec::new();
    for (key, index) in items {
        match groups.last_mut() {
            Some((last, indices)) if *last == key => indices.push(index),
            _ => groups.push((key, vec![index])),
        }
    }
    groups
}

/// The briefing lists of the terms of `taxonomy` that `entry` names.
fn briefings_of_terms<'t>(entry: &Entry, taxonomy: Option<&'t Taxonomy>) -> Vec<&'t Vec<usize>> {
    let Some(taxonomy) = taxonomy else {
        return Vec::new();
    };
    let names = entry.briefing.term_names(taxonomy.kind);
    names
        .into_iter()
        .filter_map(|name| taxonomy.resolve(name))
        .map(|term| &term.briefings)
        .collect()
}

/// Orders briefings, builds every configured taxonomy and links rockets to their countries.
/// `today` decides which briefings are upcoming.
pub fn site(
    config: Config,
    briefings: Vec<(Arc<Briefing>, Arc<Article>)>,
    term_pages: &[(TermPage, Arc<Article>)],
    pages: Vec<(Page, Arc<Article>)>,
    today: Date,
) -> (Site, Vec<Diagnostic>) {
    let mut entries: Vec<Entry> = briefings
        .into_iter()
        .map(|(briefing, article)| {
            let upcoming =
                briefing.outcome == Some(Outcome::Scheduled) || briefing.date.is_after(today);
            let path = routes::briefing_path(&briefing.slug);
            Entry {
                briefing,
                article,
                path,
                upcoming,
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        let (a, b) = (&a.briefing, &b.briefing);
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.slug.cmp(&b.slug))
    });

    let refs: Vec<&Briefing> = entries.iter().map(|e| &*e.briefing).collect();
    let of_kind = |kind| -> Vec<(&TermPage, &Article)> {
        term_pages
            .iter()
            .filter(|(page, _)| page.kind == kind)
            .map(|(page, article)| (page, &**article))
            .collect()
    };
    let operators: Vec<&str> = term_pages
        .iter()
        .filter(|(page, _)| page.kind == TaxonomyKind::Rockets)
        .filter_map(|(page, _)| page.country.as_deref())
        .collect();

    let mut diagnostics = Vec::new();
    let mut taxonomies = Vec::new();
    // Each taxonomy is built on its own, on any core.
    let built: Vec<(Taxonomy, Vec<Diagnostic>)> = config
        .taxonomies
        .par_iter()
        .map(|&kind| {
            let extra: &[&str] = if kind == TaxonomyKind::Countries {
                &operators
            } else {
                &[]
            };
            taxonomy::build(kind, &refs, &of_kind(kind), extra)
        })
        .collect();
    for (taxonomy, problems) in built {
        diagnostics.extend(problems);
        taxonomies.push(taxonomy);
    }
    link_rockets_to_countries(&mut taxonomies, term_pages);
    let records = record::compute(&entries, &taxonomies);
    let satellites = satellite_mentions(&entries);
    let pages = standalone_pages(pages, &config, &mut diagnostics);
    let redirects = redirects(&entries, &pages);
    let years = years(&entries);
    (
        Site {
            config,
            briefings: entries,
            years,
            taxonomies,
            records,
            pages,
            redirects,
            files: Vec::new(),
            satellites,
        },
        diagnostics,
    )
}

fn redirects(entries: &[Entry], pages: &[PageEntry]) -> Vec<Redirect> {
    let of_briefings = entries.iter().flat_map(|entry| {
        let briefing = &entry.briefing;
        briefing
            .redirect_from
            .iter()
            .map(|old| (old, &briefing.source, &briefing.title, &entry.path))
    });
    let of_pages = pages.iter().flat_map(|entry| {
        let page = &entry.page;
        page.redirect_from
            .iter()
            .map(|old| (old, &page.source, &page.title, &entry.path))
    });
    of_briefings
        .chain(of_pages)
        .map(|(old, source, title, target)| Redirect {
            old: old.clone(),
            file: routes::redirect_file(old),
            source: source.clone(),
            title: title.clone(),
            target: target.clone(),
        })
        .collect()
}

/// The files of the bundles of the site's briefings and pages, each published beside its
/// page (`content/briefings/h3/pad.png` → `briefings/<slug>/pad.png`). The files of drafts
/// left out are not published.
pub fn bundle_files(site: &Site, files: Vec<LocalFile>) -> Vec<SiteFile> {
    let folders: BTreeMap<&Path, &str> = site
        .briefings
        .iter()
        .map(|entry| (&entry.briefing.source, entry.path.as_str()))
        .chain(
            site.pages
                .iter()
                .map(|entry| (&entry.page.source, entry.path.as_str())),
        )
        .filter(|(source, _)| is_bundle(source))
        .filter_map(|(source, path)| Some((source.parent()?, path)))
        .collect();
    files
        .into_iter()
        .filter_map(|file| {
            let (folder, site_path) = file
                .path
                .ancestors()
                .skip(1)
                .find_map(|folder| Some((folder, *folders.get(folder)?)))?;
            let inside: Vec<String> = file
                .path
                .strip_prefix(folder)
                .ok()?
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(SiteFile {
                path: format!("{site_path}{}", inside.join("/")),
                source: file.path,
                bytes: file.bytes,
            })
        })
        .collect()
}

/// The standalone pages with their site paths; a page whose slug the site's own pages use
/// (`archive`, `rockets`...) is an error.
fn standalone_pages(
    pages: Vec<(Page, Arc<Article>)>,
    config: &Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PageEntry> {
    let mut entries = Vec::with_capacity(pages.len());
    for (page, article) in pages {
        let taken = routes::RESERVED_SEGMENTS
            .iter()
            .map(|segment| (*segment, "pages"))
            .chain(
                config
                    .taxonomies
                    .iter()
                    .map(|kind| (kind.name(), "taxonomy")),
            )
            .find(|(segment, _)| *segment == page.slug);
        if let Some((segment, what)) = taken {
            let problem = Problem::ReservedSlug {
                slug: page.slug.clone(),
                what: format!("{what} at /{segment}/"),
            };
            diagnostics.push(Diagnostic::error(Location::file(&page.source), problem));
            continue;
        }
        let path = routes::page_path(&page.slug);
        entries.push(PageEntry {
            page,
            article,
            path,
        });
    }
    entries
}

fn satellite_mentions(entries: &[Entry]) -> BTreeMap<String, Vec<usize>> {
    let mut mentions: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        for name in &entry.briefing.satellites {
            let list = mentions
                .entry(crate::vocabulary::slugify(name))
                .or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }
    mentions
}

fn link_rockets_to_countries(taxonomies: &mut [Taxonomy], term_pages: &[(TermPage, Arc<Article>)]) {
    // Resolve every operator first, so the country taxonomy is only read, never copied.
    let Some(countries) = taxonomies
        .iter()
        .find(|t| t.kind == TaxonomyKind::Countries)
    else {
        return;
    };
    let operators: Vec<(&str, String)> = term_pages
        .iter()
        .filter(|(page, _)| page.kind == TaxonomyKind::Rockets)
        .filter_map(|(page, _)| {
            let country = countries.resolve(page.country.as_deref()?)?;
            Some((page.slug.as_str(), country.slug.clone()))
        })
        .collect();
    let Some(rockets) = taxonomies
        .iter_mut()
        .find(|t| t.kind == TaxonomyKind::Rockets)
    else {
        return;
    };
    for (rocket, country) in operators {
        // Terms are sorted by slug.
        if let Ok(index) = rockets
            .terms
            .binary_search_by(|t| t.slug.as_str().cmp(rocket))
        {
            rockets.terms[index].country = Some(country);
        }
    }
}
