//! The warnings of `apogee check` (and of every build): content that builds but is probably
//! not what the writer meant.
//!
//! The warnings are about content that builds but is probably not what the writer meant: a
//! new term that is one typo away from a known one, a term page no briefing uses, a rocket
//! page without its country, a briefing without sources or with a source that is not a web
//! address, a past launch without an outcome, two briefings with the same title and date.
//! [`warnings`] runs inside the build pipeline (so `build` reports them too) and locates each
//! one in its file from the source text, because parsed documents keep no positions. This
//! module does not print: the command line does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ffi::OsStr;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use std::sync::Arc;

use jiff::civil::Date;

use crate::diagnostic::{self, Diagnostic, Location, NearIndex, Problem};
use crate::index::Site;
use crate::index::markdown::Article;
use crate::index::taxonomy::{Taxonomy, Term};
use crate::load::{self, Briefing, Source, Sources, TermPage};
use crate::vocabulary::{TaxonomyKind, slugify};

/// What the warnings are computed from: a prepared site and what it was made of.
pub struct Inputs<'a> {
    /// The indexed site.
    pub site: &'a Site,
    /// Every term page, with its rendered description.
    pub term_pages: &'a [(TermPage, std::sync::Arc<Article>)],
    /// Drafts left out of this build: they still count as using a term.
    pub left_out: &'a [Arc<Briefing>],
    /// The text of every file, to locate warnings in.
    pub sources: &'a Sources,
    /// The day of the check: earlier launches should have an outcome.
    pub today: Date,
    /// Some content files did not parse: what they name is unknown, so no term page can be
    /// called unused.
    pub incomplete: bool,
}

/// Every warning about a prepared site, sorted by file and position.
pub fn warnings(inputs: &Inputs) -> Vec<Diagnostic> {
    let texts = Texts::of(inputs.sources);
    // The near-duplicate search is the costly check: each taxonomy's runs on any core.
    let (mut found, others) = rayon::join(
        || {
            inputs
                .site
                .taxonomies
                .par_iter()
                .flat_map_iter(|taxonomy| {
                    let mut found = Vec::new();
                    near_duplicate_terms(inputs.site, taxonomy, &texts, &mut found);
                    found
                })
                .collect::<Vec<Diagnostic>>()
        },
        || other_warnings(inputs, &texts),
    );
    found.extend(others);
    diagnostic::sort(&mut found);
    found
}

/// Every warning but near-duplicate names.
fn other_warnings(inputs: &Inputs, texts: &Texts) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    unused_term_pages(inputs, texts, &mut found);
    rockets_without_country(inputs.term_pages, texts, &mut found);
    for entry in &inputs.site.briefings {
        sources_of(&entry.briefing, texts, &mut found);
        outcome_of(&entry.briefing, inputs.today, texts, &mut found);
    }
    same_title_and_date(inputs.site, texts, &mut found);
    stray_markdown(inputs, &mut found);
    // Found while rendering bodies (images without alt text), where positions are known.
    let articles = inputs
        .site
        .briefings
        .iter()
        .map(|entry| &entry.article)
        .chain(inputs.site.pages.iter().map(|entry| &entry.article))
        .chain(inputs.term_pages.iter().map(|(_, article)| article));
    found.extend(articles.flat_map(|article| article.warnings.iter().cloned()));
    found
}

/// The source files by path, to locate warnings in; indexed at the first warning (most
/// rebuilds have few or none), by the bytes of the paths the sources were read from, which
/// are the paths documents carry.
struct Texts<'a> {
    sources: &'a Sources,
    by_path: OnceLock<HashMap<&'a OsStr, &'a Source>>,
}

impl<'a> Texts<'a> {
    fn of(sources: &'a Sources) -> Self {
        Texts {
            sources,
            by_path: OnceLock::new(),
        }
    }

    fn get(&self, path: &Path) -> Option<&'a Source> {
        let by_path = self.by_path.get_or_init(|| {
            let briefings = self.sources.briefings.iter();
            let pages = self.sources.term_pages.iter().map(|(_, source)| source);
            briefings
                .chain(pages)
                .map(|source| (source.path.as_os_str(), source))
                .collect()
        });
        by_path.get(path.as_os_str()).copied()
    }

    /// At `needle` in the value of `key` of the front matter of `path`.
    fn at(&self, path: &Path, key: &str, needle: Option<&str>) -> Location {
        match self.get(path) {
            Some(source) => load::front_matter::locate(source, key, needle),
            None => Location::file(path),
        }
    }

    /// At the start of line `line` of `path`.
    fn at_line(&self, path: &Path, line: usize) -> Location {
        match self.get(path) {
            Some(source) => Location::in_text(path, &source.text, line, 1),
            None => Location::file(path),
        }
    }
}

/// A name without a term page that is one typo away from a name with a page, or from a
/// page-less name more briefings use (`Malligyong-l` once, `Malligyong-1` three times).
fn near_duplicate_terms(
    site: &Site,
    taxonomy: &Taxonomy,
    texts: &Texts,
    found: &mut Vec<Diagnostic>,
) {
    let kind = taxonomy.kind;
    // Every spelling a name may be a typo of: those of terms with a page (always), then
    // page-less names, most used first (only those more used than the name). Indexed once,
    // so that each name meets only spellings within two edits of it, not every spelling:
    // a taxonomy of many names costs about as much per name as one of few.
    let mut by_use: Vec<&Term> = taxonomy
        .terms
        .iter()
        .filter(|term| term.page.is_none())
        .collect();
    by_use.sort_by_key(|term| std::cmp::Reverse(term.briefings.len()));
    let described = taxonomy
        .terms
        .iter()
        .filter(|term| term.page.is_some())
        .flat_map(|term| std::iter::once(&term.name).chain(&term.aliases))
        .map(|spelling| (slugify(spelling), spelling.as_str(), None));
    // A page-less term's slug is the slug of its names.
    let commoner = by_use.iter().map(|term| {
        let uses = Some(term.briefings.len());
        (term.slug.clone(), term.name.as_str(), uses)
    });
    let (spellings, uses): (Vec<(String, &str)>, Vec<Option<usize>>) = described
        .chain(commoner)
        .map(|(slug, spelling, uses)| ((slug, spelling), uses))
        .unzip();
    let index = NearIndex::new(spellings);
    let mut verdicts: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for entry in &site.briefings {
        for name in entry.briefing.term_names(kind) {
            let Some(term) = taxonomy.resolve(name) else {
                continue;
            };
            if term.page.is_some() {
                continue;
            }
            let near = *verdicts.entry(term.slug.as_str()).or_insert_with(|| {
                let eligible = index
                    .candidates(&term.slug)
                    .into_iter()
                    .filter(|&position| uses[position].is_none_or(|n| n > term.briefings.len()))
                    .map(|position| index.get(position));
                let spelling = diagnostic::near_duplicate_by_slug(&term.slug, eligible)?;
                // An alias stands for its term: suggest the name readers see.
                Some(
                    taxonomy
                        .resolve(spelling)
                        .map_or(spelling, |known| known.name.as_str()),
                )
            });
            let Some(known) = near else {
                continue;
            };
            let listed = entry
                .briefing
                .listed(kind)
                .iter()
                .any(|listed| listed == name);
            let key = if listed { kind.name() } else { "launched_by" };
            let location = texts.at(&entry.briefing.source, key, Some(name));
            let problem = Problem::NearDuplicateTerm {
                name: name.to_owned(),
                kind,
                known: known.to_owned(),
            };
            found.push(Diagnostic::warning(location, problem));
        }
    }
}

/// A term page that no briefing (drafts included) names and no rocket page points at.
fn unused_term_pages(inputs: &Inputs, texts: &Texts, found: &mut Vec<Diagnostic>) {
    if inputs.incomplete {
        return;
    }
    let site = inputs.site;
    // What drafts name and which countries fly rockets, gathered once rather than per page.
    let in_drafts: BTreeSet<(TaxonomyKind, &str)> = site
        .taxonomies
        .iter()
        .flat_map(|taxonomy| {
            inputs.left_out.iter().flat_map(move |briefing| {
                briefing
                    .term_names(taxonomy.kind)
                    .into_iter()
                    .filter_map(move |name| taxonomy.resolve(name))
                    .map(move |term| (taxonomy.kind, term.slug.as_str()))
            })
        })
        .collect();
    let flying: BTreeSet<&str> = site
        .taxonomy(TaxonomyKind::Rockets)
        .map(|rockets| {
            rockets
                .terms
                .iter()
                .filter_map(|rocket| rocket.country.as_deref())
                .collect()
        })
        .unwrap_or_default();
    for (page, _) in inputs.term_pages {
        let Some(taxonomy) = site.taxonomy(page.kind) else {
            continue;
        };
        let in_briefings = taxonomy
            .get(&page.slug)
            .is_some_and(|term| !term.briefings.is_empty());
        let named_by_a_draft = in_drafts.contains(&(page.kind, page.slug.as_str()));
        let flies_rockets =
            page.kind == TaxonomyKind::Countries && flying.contains(page.slug.as_str());
        if !(in_briefings || named_by_a_draft || flies_rockets) {
            let location = texts.at(&page.source, "name", None);
            found.push(Diagnostic::warning(
                location,
                Problem::UnusedTermPage { kind: page.kind },
            ));
        }
    }
}

fn rockets_without_country(
    term_pages: &[(TermPage, std::sync::Arc<Article>)],
    texts: &Texts,
    found: &mut Vec<Diagnostic>,
) {
    for (page, _) in term_pages
        .iter()
        .filter(|(page, _)| page.kind == TaxonomyKind::Rockets)
    {
        if page.country.is_none() {
            let location = texts.at(&page.source, "name", None);
            found.push(Diagnostic::warning(location, Problem::RocketWithoutCountry));
        }
    }
}

/// A briefing should cite something, and cite it at a web address.
fn sources_of(briefing: &Briefing, texts: &Texts, found: &mut Vec<Diagnostic>) {
    if briefing.sources.is_empty() {
        // The closing `---`: the line to add `sources:` above.
        let location = texts.at_line(&briefing.source, briefing.body.first_line.saturating_sub(1));
        found.push(Diagnostic::warning(location, Problem::NoSources));
        return;
    }
    for url in briefing
        .sources
        .iter()
        .filter_map(|citation| citation.url.as_deref())
    {
        let lowercase = url.to_ascii_lowercase();
        if !(lowercase.starts_with("https://") || lowercase.starts_with("http://")) {
            let location = texts.at(&briefing.source, "sources", Some(url));
            found.push(Diagnostic::warning(
                location,
                Problem::SourceNotHttp {
                    url: url.to_owned(),
                },
            ));
        }
    }
}

fn outcome_of(briefing: &Briefing, today: Date, texts: &Texts, found: &mut Vec<Diagnostic>) {
    if briefing.outcome.is_none() && briefing.date.day() < today {
        let location = texts.at(&briefing.source, "date", None);
        found.push(Diagnostic::warning(location, Problem::MissingOutcome));
    }
}

/// Markdown under `content/` that no folder apogee reads holds: the writer meant a page.
fn stray_markdown(inputs: &Inputs, found: &mut Vec<Diagnostic>) {
    if inputs.sources.stray.is_empty() {
        return;
    }
    let folders = load::read_folders(&inputs.site.config.taxonomies).join(", ");
    for path in &inputs.sources.stray {
        let problem = Problem::StrayMarkdown {
            folders: folders.clone(),
        };
        found.push(Diagnostic::warning(Location::file(path), problem));
    }
}

/// Two briefings of one launch, probably written twice: the later file (by path) is flagged.
fn same_title_and_date(site: &Site, texts: &Texts, found: &mut Vec<Diagnostic>) {
    // Only briefings of a day with others can be twins: most days have one.
    let mut per_day: HashMap<Date, usize> = HashMap::new();
    for entry in &site.briefings {
        *per_day.entry(entry.briefing.date.day()).or_default() += 1;
    }
    let mut briefings: Vec<&Briefing> = site
        .briefings
        .iter()
        .map(|entry| &*entry.briefing)
        .filter(|briefing| per_day.get(&briefing.date.day()).is_some_and(|&n| n > 1))
        .collect();
    briefings.sort_by(|a, b| a.source.cmp(&b.source));
    let mut first_of: BTreeMap<(String, Date), &Path> = BTreeMap::new();
    for briefing in briefings {
        let key = (briefing.title.trim().to_lowercase(), briefing.date.day());
        match first_of.get(&key) {
            Some(other) => {
                let location = texts.at(&briefing.source, "title", None);
                found.push(Diagnostic::warning(
                    location,
                    Problem::DuplicateBriefing {
                        other: other.to_path_buf(),
                    },
                ));
            }
            None => {
                first_of.insert(key, &briefing.source);
            }
        }
    }
}
