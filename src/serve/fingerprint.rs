//! Fingerprints of what each page is rendered from, so that a rebuild renders again only
//! the pages whose inputs changed and keeps the bytes of the others.
//!
//! A fingerprint hashes the site data a page's views read (see `render`'s view structs): a
//! briefing page its entry, its neighbours' titles and dates, and the identity of every term
//! (which decides where term links point); a list page the cards it shows. What every page
//! shares — configuration and templates — is not hashed: a change there discards all
//! fingerprints (the rebuild loop's rule). Hashing the cards of all briefings is linear but
//! cheap next to rendering them; the per-entry hashes are computed once per build.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::index::taxonomy::{Taxonomy, Term};
use crate::index::{Entry, Site};
use crate::render::{self, Job};
use crate::vocabulary::TaxonomyKind;

/// The fingerprint of every page of a site, by output path.
pub type Fingerprints = HashMap<String, u64>;

/// What one briefing contributes to the pages that show it: its card, its own page beyond
/// the card, and its link as a neighbour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryPrints {
    card: u64,
    page: u64,
    link: u64,
}

/// The prints of one entry; a rebuild that changed only some entries recomputes only theirs.
pub fn entry_prints(entry: &Entry) -> EntryPrints {
    EntryPrints {
        card: card(entry),
        page: page(entry),
        link: link(entry),
    }
}

/// The prints of every entry, in parallel, taken from `known` (by source path) for the
/// entries that are not `fresh`.
pub fn all_entry_prints(
    site: &Site,
    known: &HashMap<PathBuf, EntryPrints>,
    fresh: &HashSet<PathBuf>,
) -> Vec<EntryPrints> {
    let prints = |entry: &Entry| {
        let source = &entry.briefing.source;
        let known = (!fresh.contains(source))
            .then(|| known.get(source))
            .flatten();
        known.copied().unwrap_or_else(|| entry_prints(entry))
    };
    site.briefings.par_iter().map(prints).collect()
}

/// Hashes shared by many pages, computed once per build.
struct Shared<'a> {
    entries: &'a [EntryPrints],
    /// Slug, name and country of every term: where term links point and what they say.
    terms: u64,
}

/// Each page's job, output path and fingerprint, and the print of the site's terms (for
/// [`briefing_print`]); `entries` are the prints of the site's entries, in order.
pub fn fingerprint(site: &Site, entries: &[EntryPrints]) -> (Vec<(Job, String, u64)>, u64) {
    let shared = Shared {
        entries,
        terms: terms(&site.taxonomies),
    };
    let home_pages = render::home_page_count(site);
    let pages = render::jobs(site)
        .into_par_iter()
        .map(|job| {
            let print = job_print(site, &shared, job, home_pages);
            (job, job.path(site), print)
        })
        .collect();
    (pages, shared.terms)
}

/// The fingerprint of the page of briefing `index` alone, for a rebuild that changed only
/// that briefing's own page; `terms` is the print [`fingerprint`] gave for the same terms.
pub fn briefing_print(site: &Site, entries: &[EntryPrints], terms: u64, index: usize) -> u64 {
    let shared = Shared { entries, terms };
    job_print(
        site,
        &shared,
        Job::Briefing(index),
        render::home_page_count(site),
    )
}

fn hash(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn job_print(site: &Site, shared: &Shared, job: Job, home_pages: usize) -> u64 {
    let mut hasher = DefaultHasher::new();
    shared.terms.hash(&mut hasher);
    match job {
        Job::Home(number) => {
            let per_page = site.config.paginate.max(1);
            let start = (number - 1) * per_page;
            let end = (start + per_page).min(site.briefings.len());
            home_pages.hash(&mut hasher);
            shared.entries[start..end]
                .iter()
                .for_each(|e| e.card.hash(&mut hasher));
        }
        Job::Briefing(index) => {
            let neighbour =
                |i: Option<usize>| i.and_then(|i| shared.entries.get(i)).map(|e| e.link);
            (shared.entries[index].card, shared.entries[index].page).hash(&mut hasher);
            (
                neighbour(index.checked_add(1)),
                neighbour(index.checked_sub(1)),
            )
                .hash(&mut hasher);
            // Related briefings and the other briefings about its satellites are linked
            // with their outcome.
            for other in site.related(index, render::RELATED) {
                linked_print(site, shared, other, &mut hasher);
            }
            for name in &site.briefings[index].briefing.satellites {
                let slug = crate::vocabulary::slugify(name);
                let mentions = site.satellites.get(&slug).map(Vec::as_slice).unwrap_or(&[]);
                mentions.len().hash(&mut hasher);
                for &other in mentions
                    .iter()
                    .filter(|&&i| i != index)
                    .take(render::SATELLITE_MENTIONS)
                {
                    linked_print(site, shared, other, &mut hasher);
                }
            }
        }
        Job::TermList(kind, order) => {
            order.hash(&mut hasher);
            if let Some(taxonomy) = site.taxonomy(kind) {
                taxonomy.terms.iter().for_each(|term| {
                    (&term.slug, &term.name, &term.country, term.briefings.len()).hash(&mut hasher);
                    site.records.get(kind, &term.slug).hash(&mut hasher);
                });
            }
        }
        Job::RecordsCsv(kind) => {
            if let Some(taxonomy) = site.taxonomy(kind) {
                taxonomy.terms.iter().for_each(|term| {
                    term_print(term, &mut hasher);
                    site.records.get(kind, &term.slug).hash(&mut hasher);
                });
            }
        }
        Job::RecordJson(kind, index) => {
            if let Some(term) = site.taxonomy(kind).and_then(|t| t.terms.get(index)) {
                term_print(term, &mut hasher);
                site.records.get(kind, &term.slug).hash(&mut hasher);
                for &i in &term.briefings {
                    linked_print(site, shared, i, &mut hasher);
                }
            }
        }
        Job::Term(kind, index) => {
            if let Some(term) = site.taxonomy(kind).and_then(|t| t.terms.get(index)) {
                term_print(term, &mut hasher);
                // Cards, and the flight table's satellites column.
                term.briefings.iter().for_each(|&i| {
                    shared.entries[i].card.hash(&mut hasher);
                    site.briefings[i].briefing.satellites.hash(&mut hasher);
                });
                if let Some(record) = site.records.get(kind, &term.slug) {
                    record.hash(&mut hasher);
                    // The flight table shows each flight's title, satellites and outcome.
                    for launch in record.flown.iter().chain(&record.next_flight) {
                        linked_print(site, shared, launch.briefing, &mut hasher);
                        site.briefings[launch.briefing]
                            .briefing
                            .satellites
                            .hash(&mut hasher);
                    }
                }
                if kind == TaxonomyKind::Countries {
                    operated_rockets(site, &term.slug).for_each(|rocket| {
                        (&rocket.slug, &rocket.name, rocket.briefings.len()).hash(&mut hasher);
                        site.records
                            .get(TaxonomyKind::Rockets, &rocket.slug)
                            .hash(&mut hasher);
                    });
                }
            }
        }
        Job::Archive => {
            for (year, indices) in crate::index::years(site) {
                (year, indices.len()).hash(&mut hasher);
            }
        }
        Job::ArchiveYear(year) => {
            // The year's cards, and the years around it (its links to them).
            for (other, indices) in crate::index::years(site) {
                (other, indices.len()).hash(&mut hasher);
                if other == year {
                    indices
                        .iter()
                        .for_each(|&i| shared.entries[i].card.hash(&mut hasher));
                }
            }
        }
        Job::NotFound | Job::Search => {}
        // Few and small: the whole page, read as it is rendered.
        Job::Page(index) => format!("{:?}", site.pages[index]).hash(&mut hasher),
    }
    hasher.finish()
}

/// What a link to another briefing shows: title, URL, date and outcome.
fn linked_print(site: &Site, shared: &Shared, index: usize, hasher: &mut DefaultHasher) {
    (
        shared.entries[index].link,
        site.briefings[index].briefing.outcome,
    )
        .hash(hasher);
}

fn term_print(term: &Term, hasher: &mut DefaultHasher) {
    (
        &term.slug,
        &term.name,
        &term.aliases,
        &term.description,
        &term.country,
        term.briefings.len(),
    )
        .hash(hasher);
}

fn operated_rockets<'a>(site: &'a Site, country: &'a str) -> impl Iterator<Item = &'a Term> {
    site.taxonomy(TaxonomyKind::Rockets)
        .into_iter()
        .flat_map(|rockets| rockets.terms.iter())
        .filter(move |rocket| rocket.country.as_deref() == Some(country))
}

fn card(entry: &Entry) -> u64 {
    let briefing = &entry.briefing;
    hash((
        (&briefing.title, &entry.path, &briefing.date),
        (
            briefing.outcome,
            entry.upcoming,
            briefing.draft,
            entry.summary(),
        ),
        (
            &briefing.rockets,
            &briefing.countries,
            &briefing.launched_by,
        ),
    ))
}

fn page(entry: &Entry) -> u64 {
    let briefing = &entry.briefing;
    let sources: Vec<(&str, Option<&str>)> = briefing
        .sources
        .iter()
        .map(|c| (c.title.as_str(), c.url.as_deref()))
        .collect();
    hash((
        &entry.article.html,
        &briefing.satellites,
        &briefing.tags,
        sources,
    ))
}

fn link(entry: &Entry) -> u64 {
    hash((&entry.briefing.title, &entry.path, &entry.briefing.date))
}

fn terms(taxonomies: &[Taxonomy]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for taxonomy in taxonomies {
        taxonomy.kind.name().hash(&mut hasher);
        taxonomy
            .terms
            .iter()
            .for_each(|term| (&term.slug, &term.name, &term.country).hash(&mut hasher));
    }
    hasher.finish()
}
