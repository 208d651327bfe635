//! Taxonomies (rockets, countries, satellites, tags) and their terms: which briefings each
//! term gathers, under which name, and which spellings fold into it.
//!
//! Terms are matched by slug, so `North Korea` and `north korea` are one term; a term page's
//! `aliases` fold further spellings in. A term points at briefings by index into the site's
//! briefing list rather than holding copies. This module does not render anything and does
//! not know about launch records (`record`).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::index::markdown::Article;
use crate::load::{Briefing, Extra, TermPage};
use crate::vocabulary::{TaxonomyKind, slugify};

/// One term: its name, its page (if it has one) and its briefings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Its URL segment.
    pub slug: String,
    /// The display name: the term page's `name`, else the most frequent spelling.
    pub name: String,
    /// Other spellings, from the term page.
    pub aliases: Vec<String>,
    /// The term page that describes it, if any.
    pub page: Option<PathBuf>,
    /// The rendered description from its term page.
    pub description: Option<String>,
    /// Rockets only: the slug of the country that flies it.
    pub country: Option<String>,
    /// The term page's free fields for templates.
    pub extra: Extra,
    /// Indices into the site's briefings, in the site's order (newest first).
    pub briefings: Vec<usize>,
}

/// All terms of one kind, sorted by slug, with the spellings that lead to each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// Which taxonomy.
    pub kind: TaxonomyKind,
    /// Terms sorted by slug.
    pub terms: Vec<Term>,
    /// Slug of any spelling (name, alias) → index into `terms`.
    lookup: BTreeMap<String, usize>,
    /// Every spelling the briefings use, as written → what `lookup` gives for its slug:
    /// pages resolve the same few names thousands of times, and slugifying is not free.
    spelled: HashMap<String, usize>,
}

impl Taxonomy {
    /// The term a name (any spelling or alias) stands for.
    pub fn resolve(&self, name: &str) -> Option<&Term> {
        self.spelled
            .get(name)
            .or_else(|| self.lookup.get(&slugify(name)))
            .map(|&index| &self.terms[index])
    }

    /// The term with this slug.
    pub fn get(&self, slug: &str) -> Option<&Term> {
        self.terms
            .binary_search_by(|term| term.slug.as_str().cmp(slug))
            .ok()
            .map(|index| &self.terms[index])
    }

    /// Terms sorted by display name, for list pages.
    pub fn by_name(&self) -> Vec<&Term> {
        let mut terms: Vec<&Term> = self.terms.iter().collect();
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.slug.cmp(&b.slug))
        });
        terms
    }
}

/// Builds the taxonomy of `kind` from the briefings (in site order) and the term pages of
/// that kind with their rendered descriptions. `extra` names terms that must exist even
/// without briefings (a rocket's operating country).
pub fn build(
    kind: TaxonomyKind,
    briefings: &[&Briefing],
    described: &[(&TermPage, &Article)],
    extra: &[&str],
) -> (Taxonomy, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let pages: Vec<&TermPage> = described.iter().map(|(page, _)| *page).collect();
    let pages = pages.as_slice();
    let folds = fold_spellings(pages, kind, &mut diagnostics);
    let canonical = |name: &str| {
        let key = slugify(name);
        folds.get(&key).map(|(slug, _)| slug.clone()).unwrap_or(key)
    };

    // An archive spells few names many times: each spelling is slugified once, and each
    // term gathers its spellings and briefings by number rather than by slug.
    let mut group_of_spelling: HashMap<&str, Option<usize>> = HashMap::new();
    let mut group_of_slug: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(String, BTreeMap<&str, usize>, Vec<usize>)> = Vec::new();
    for (index, briefing) in briefings.iter().enumerate() {
        for name in briefing.term_names(kind) {
            let group = *group_of_spelling.entry(name).or_insert_with(|| {
                let slug = canonical(name);
                (!slug.is_empty()).then(|| {
                    *group_of_slug.entry(slug.clone()).or_insert_with(|| {
                        groups.push((slug, BTreeMap::new(), Vec::new()));
                        groups.len() - 1
                    })
                })
            });
            let Some(group) = group else {
                continue;
            };
            let (_, spellings, list) = &mut groups[group];
            *spellings.entry(name).or_default() += 1;
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }
    let mut spellings: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (slug, names, list) in groups {
        spellings.insert(slug.clone(), names);
        members.insert(slug, list);
    }
    for name in extra {
        let slug = canonical(name);
        if !slug.is_empty() {
            spellings
                .entry(slug.clone())
                .or_default()
                .entry(name)
                .or_default();
            members.entry(slug).or_default();
        }
    }
    for page in pages {
        members.entry(page.slug.clone()).or_default();
    }

    let page_of: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.slug.as_str(), i))
        .collect();
    let terms: Vec<Term> = members
        .into_iter()
        .map(|(slug, briefings)| {
            let page = page_of.get(slug.as_str()).copied();
            let name = page
                .and_then(|i| pages[i].name.clone())
                .or_else(|| most_frequent(spellings.get(&slug)))
                .unwrap_or_else(|| slug.clone());
            let aliases = page.map(|i| pages[i].aliases.clone()).unwrap_or_default();
            let description = page
                .map(|i| described[i].1.html.clone())
                .filter(|html| !html.trim().is_empty());
            let extra = page.map(|i| pages[i].extra.clone()).unwrap_or_default();
            let page = page.map(|i| pages[i].source.clone());
            Term {
                slug,
                name,
                aliases,
                page,
                description,
                country: None,
                extra,
                briefings,
            }
        })
        .collect();

    let mut lookup = BTreeMap::new();
    for (index, term) in terms.iter().enumerate() {
        lookup.insert(term.slug.clone(), index);
        lookup.insert(slugify(&term.name), index);
    }
    for (key, (slug, _)) in &folds {
        if let Ok(index) = terms.binary_search_by(|t| t.slug.as_str().cmp(slug)) {
            lookup.insert(key.clone(), index);
        }
    }
    let spelled = spellings
        .values()
        .flat_map(BTreeMap::keys)
        .filter_map(|name| {
            let index = lookup.get(&slugify(name))?;
            Some(((*name).to_owned(), *index))
        })
        .collect();
    (
        Taxonomy {
            kind,
            terms,
            lookup,
            spelled,
        },
        diagnostics,
    )
}

/// Maps the slug of every page slug, name and alias to the page's slug, reporting spellings
/// that two pages both claim.
fn fold_spellings(
    pages: &[&TermPage],
    kind: TaxonomyKind,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, (String, PathBuf)> {
    let mut folds: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for page in pages {
        if let Some((_, other)) = folds.get(&page.slug) {
            let problem = Problem::DuplicateSlug {
                slug: page.slug.clone(),
                other: other.clone(),
            };
            diagnostics.push(Diagnostic::error(Location::file(&page.source), problem));
            continue;
        }
        folds.insert(page.slug.clone(), (page.slug.clone(), page.source.clone()));
    }
    for page in pages {
        let spellings = page
            .name
            .iter()
            .map(|n| (n, false))
            .chain(page.aliases.iter().map(|a| (a, true)));
        for (spelling, is_alias) in spellings {
            let key = slugify(spelling);
            match folds.get(&key) {
                Some((owner, _)) if *owner == page.slug => {}
                Some((_, other)) if is_alias => {
                    let problem = Problem::AliasConflict {
                        alias: spelling.clone(),
                        term: page.name.clone().unwrap_or_else(|| page.slug.clone()),
                        kind: kind.singular(),
                        other: other.clone(),
                    };
                    diagnostics.push(Diagnostic::error(Location::file(&page.source), problem));
                }
                Some(_) => {}
                None if key.is_empty() => {}
                None => {
                    folds.insert(key, (page.slug.clone(), page.source.clone()));
                }
            }
        }
    }
    folds
}

/// The spelling writers used most; ties go to the alphabetically first, for stable output.
fn most_frequent(counts: Option<&BTreeMap<&str, usize>>) -> Option<String> {
    let counts = counts?;
    let best = counts.values().copied().max()?;
    counts
        .iter()
        .find(|(_, count)| **count == best)
        .map(|(name, _)| (*name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Body;

    fn briefing(countries: &[&str]) -> Briefing {
        let mut briefing = Briefing::sample("content/briefings/x.md", "x");
        briefing.countries = countries.iter().map(|s| s.to_string()).collect();
        briefing
    }

    fn page(slug: &str, name: &str, aliases: &[&str]) -> TermPage {
        TermPage {
            source: PathBuf::from(format!("content/countries/{slug}.md")),
            kind: TaxonomyKind::Countries,
            slug: slug.into(),
            name: Some(name.into()),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            country: None,
            extra: crate::load::Extra::default(),
            body: Body::new("", 1),
        }
    }

    fn described(pages: &[TermPage]) -> Vec<(&TermPage, &Article)> {
        static EMPTY: Article = Article {
            html: String::new(),
            first_paragraph: String::new(),
            heading_ids: Vec::new(),
            images: Vec::new(),
            warnings: Vec::new(),
            outline: Vec::new(),
            other_ids: Vec::new(),
            links: Vec::new(),
            html_print: crate::index::markdown::Memo::new(),
        };
        pages.iter().map(|p| (p, &EMPTY)).collect()
    }

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("Côte d'Ivoire"), "cote-d-ivoire");
        assert_eq!(slugify("Long March 5"), "long-march-5");
        assert_eq!(slugify("  "), "");
    }

    #[test]
    fn spellings_fold_by_slug_and_alias() {
        let a = briefing(&["North Korea", "Japan"]);
        let b = briefing(&["north korea"]);
        let c = briefing(&["DPRK"]);
        let nk = [page("north-korea", "North Korea", &["DPRK"])];
        let (taxonomy, problems) =
            build(TaxonomyKind::Countries, &[&a, &b, &c], &described(&nk), &[]);
        assert!(problems.is_empty());
        let term = taxonomy.resolve("dprk").unwrap();
        assert_eq!(
            (term.slug.as_str(), term.name.as_str()),
            ("north-korea", "North Korea")
        );
        assert_eq!(term.briefings, vec![0, 1, 2]);
        assert_eq!(taxonomy.get("japan").unwrap().briefings, vec![0]);
    }

    #[test]
    fn name_without_page_is_the_most_frequent_spelling() {
        let briefings = [
            briefing(&["South korea"]),
            briefing(&["South Korea"]),
            briefing(&["South Korea"]),
        ];
        let refs: Vec<&Briefing> = briefings.iter().collect();
        let (taxonomy, _) = build(TaxonomyKind::Countries, &refs, &[], &[]);
        assert_eq!(taxonomy.get("south-korea").unwrap().name, "South Korea");
    }

    #[test]
    fn an_alias_naming_another_term_is_an_error() {
        let pages = [
            page("japan", "Japan", &[]),
            page("north-korea", "North Korea", &["Japan"]),
        ];
        let (_, problems) = build(TaxonomyKind::Countries, &[], &described(&pages), &[]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].problem.code(), "alias-conflict");
        assert_eq!(
            problems[0].location.path,
            PathBuf::from("content/countries/north-korea.md")
        );
    }

    #[test]
    fn terms_with_pages_but_no_briefings_exist() {
        let pages = [page("iran", "Iran", &[])];
        let (taxonomy, _) = build(
            TaxonomyKind::Countries,
            &[],
            &described(&pages),
            &["Europe"],
        );
        assert_eq!(taxonomy.terms.len(), 2);
        assert_eq!(taxonomy.get("europe").unwrap().name, "Europe");
    }
}
