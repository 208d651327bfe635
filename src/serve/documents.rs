//! The preview's store of parsed content between builds: reading the files a batch names,
//! walking `content/` when files appear or vanish, and patching the last site in place when
//! an edit changed nothing but a briefing's text.
//!
//! Documents are keyed by their path relative to the site root. Between builds they live
//! inside the last good [`Site`] ([`Held::Indexed`]) and are moved back out, or, after a
//! build that stopped early, loose by path ([`Held::Loose`]). Building from them is
//! `build`'s job; deciding when is `rebuild`'s.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::fingerprint::{self, EntryPrints};
use super::watch::Changes;
use crate::build::Documents;
use crate::diagnostic::Diagnostic;
use crate::index::Site;
use crate::index::markdown::{self, Article, LinkContext};
use crate::index::routes::Routes;
use crate::load::config::Config;
use crate::load::{self, Briefing, TermPage};
use crate::vocabulary::TaxonomyKind;

/// One parsed content file.
pub enum Document {
    /// A briefing, with its rendered body when it is still valid.
    Briefing(Box<Briefing>, Option<Article>),
    /// A term page (its body is rendered on every build: there are few).
    TermPage(Box<TermPage>),
    /// A file that could not be read or parsed.
    Broken(Vec<Diagnostic>),
}

/// Documents by path relative to the site root. Unordered: the order of a build's input
/// matters only to planning, which sorts it ([`into_stages`]).
pub type Store = HashMap<PathBuf, Document>;

/// Content files by path relative to the site root; `None` for a briefing, the taxonomy
/// for a term page.
pub type ContentFiles = BTreeMap<PathBuf, Option<TaxonomyKind>>;

/// A site with what a rebuild needs to take it apart or patch it.
pub struct Indexed {
    /// The site.
    pub site: Site,
    /// The prints of `site.briefings`, in order.
    pub prints: Vec<EntryPrints>,
    /// Drafts left out of it.
    pub drafts: Vec<Briefing>,
    /// Term pages (the site keeps only their rendered descriptions).
    pub term_pages: Vec<TermPage>,
}

/// Where the documents are between builds.
pub enum Held {
    /// Inside the last good site (moved out again by the next build).
    Indexed(Box<Indexed>),
    /// By path, after a build that stopped before indexing.
    Loose(Store),
}

impl Held {
    /// The documents by path, moved out of the site, and the prints of its entries by
    /// source path (still valid for every entry that is not read or rendered again).
    pub fn into_documents(self) -> (Store, HashMap<PathBuf, EntryPrints>) {
        let (site, prints, drafts, term_pages) = match self {
            Held::Loose(documents) => return (documents, HashMap::new()),
            Held::Indexed(indexed) => {
                let Indexed {
                    site,
                    prints,
                    drafts,
                    term_pages,
                } = *indexed;
                (site, prints, drafts, term_pages)
            }
        };
        let sources = site
            .briefings
            .iter()
            .map(|entry| entry.briefing.source.clone());
        let known = sources.zip(prints).collect();
        let briefings = site
            .briefings
            .into_iter()
            .map(|entry| (entry.briefing, Some(entry.article)));
        let drafts = drafts.into_iter().map(|briefing| (briefing, None));
        let mut documents: Store = briefings
            .chain(drafts)
            .map(|(briefing, article)| {
                (
                    briefing.source.clone(),
                    Document::Briefing(Box::new(briefing), article),
                )
            })
            .collect();
        let pages = term_pages
            .into_iter()
            .map(|page| (page.source.clone(), Document::TermPage(Box::new(page))));
        documents.extend(pages);
        (documents, known)
    }
}

/// The diagnostics of every broken document.
pub fn broken(documents: &Store) -> Vec<Diagnostic> {
    let found = documents.values().filter_map(|d| {
        if let Document::Broken(found) = d {
            Some(found)
        } else {
            None
        }
    });
    found.flatten().cloned().collect()
}

/// The documents as `build`'s stages take them: term pages in path order, briefings too
/// when `sorted` (as a build from scratch has them, so that planning reports a duplicate
/// slug the same way; indexing orders briefings itself).
pub fn into_stages(documents: Store, sorted: bool) -> Documents {
    let mut stages = Documents::default();
    for document in documents.into_values() {
        match document {
            Document::Briefing(briefing, article) => stages.briefings.push((*briefing, article)),
            Document::TermPage(page) => stages.term_pages.push((*page, None)),
            Document::Broken(_) => {}
        }
    }
    if sorted {
        stages
            .briefings
            .sort_by(|(a, _), (b, _)| a.source.cmp(&b.source));
    }
    stages
        .term_pages
        .sort_by(|(a, _), (b, _)| a.source.cmp(&b.source));
    stages
}

/// Back from `build`'s stages, by path.
pub fn from_stages(stages: Documents) -> Store {
    let drafts = stages.drafts.into_iter().map(|briefing| (briefing, None));
    let briefings = stages.briefings.into_iter().chain(drafts);
    let mut documents: Store = briefings
        .map(|(briefing, article)| {
            (
                briefing.source.clone(),
                Document::Briefing(Box::new(briefing), article),
            )
        })
        .collect();
    let pages = stages
        .term_pages
        .into_iter()
        .map(|(page, _)| (page.source.clone(), Document::TermPage(Box::new(page))));
    documents.extend(pages);
    documents
}

/// Bodies that link to other sources render differently when routes change.
pub fn forget_linking_bodies(documents: &mut Documents) {
    for (briefing, article) in &mut documents.briefings {
        if briefing.body.markdown.contains(".md") {
            *article = None;
        }
    }
}

/// Every content file, by path relative to the root.
pub fn list(root: &Path, taxonomies: &[TaxonomyKind]) -> (ContentFiles, Vec<Diagnostic>) {
    let (found, errors) = load::list(root, taxonomies);
    let relative = |path: PathBuf| {
        path.strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or(path)
    };
    let briefings = found
        .briefings
        .into_iter()
        .map(|path| (relative(path), None));
    let term_pages = found
        .term_pages
        .into_iter()
        .map(|(kind, path)| (relative(path), Some(kind)));
    (briefings.chain(term_pages).collect(), errors)
}

/// Reads and parses every file of `listing`, in parallel.
pub fn read_all(root: &Path, listing: &ContentFiles, taxonomies: &[TaxonomyKind]) -> Store {
    let paths: Vec<(&PathBuf, &Option<TaxonomyKind>)> = listing.iter().collect();
    paths
        .par_iter()
        .map(|&(path, &kind)| (path.clone(), read(root, path, kind, taxonomies)))
        .collect()
}

/// Reads and parses one content file.
fn read(
    root: &Path,
    path: &Path,
    kind: Option<TaxonomyKind>,
    taxonomies: &[TaxonomyKind],
) -> Document {
    let source = match load::read_source(root, &root.join(path)) {
        Ok(source) => source,
        Err(diagnostic) => return Document::Broken(vec![diagnostic]),
    };
    let parsed = match kind {
        None => load::parse_briefing_with(&source, taxonomies)
            .map(|b| Document::Briefing(Box::new(b), None)),
        Some(kind) => load::parse_term_page(kind, &source).map(|p| Document::TermPage(Box::new(p))),
    };
    parsed.unwrap_or_else(Document::Broken)
}

/// Walk problems stay with the path they name until the next walk.
pub fn add_broken(documents: &mut Store, errors: Vec<Diagnostic>) {
    for error in errors {
        match documents
            .entry(error.location.path.clone())
            .or_insert_with(|| Document::Broken(Vec::new()))
        {
            Document::Broken(found) => found.push(error),
            other => *other = Document::Broken(vec![error]),
        }
    }
}

/// The content files of a batch (relative paths under `content/`).
pub fn content_changes(changes: &Changes) -> impl Iterator<Item = &PathBuf> {
    changes
        .paths
        .iter()
        .filter(|path| path.starts_with(load::CONTENT_DIR))
}

/// Re-reads the content files `changes` names; walks `content/` again only when the set
/// of files may have changed (`listing` is then replaced). Returns whether the routes may
/// have changed: files came or went, or one changed its slug, kind or draft flag.
pub fn apply(
    root: &Path,
    config: &Config,
    listing: &mut ContentFiles,
    documents: &mut Store,
    changes: &Changes,
) -> bool {
    let changed: Vec<&PathBuf> = content_changes(changes).collect();
    let only_edits = changed
        .iter()
        .all(|path| listing.contains_key(*path) && root.join(path).is_file());
    let to_read: Vec<(PathBuf, Option<TaxonomyKind>)> = if only_edits {
        changed
            .iter()
            .map(|&path| (path.clone(), listing[path]))
            .collect()
    } else {
        let (found, errors) = list(root, &config.taxonomies);
        documents.retain(|path, _| found.contains_key(path));
        let wanted = |path: &PathBuf| !documents.contains_key(path) || changes.paths.contains(path);
        let to_read = found
            .iter()
            .filter(|(path, _)| wanted(path))
            .map(|(p, k)| (p.clone(), *k))
            .collect();
        add_broken(documents, errors);
        *listing = found;
        to_read
    };
    let read: Vec<(PathBuf, Document)> = to_read
        .into_par_iter()
        .map(|(path, kind)| (path.clone(), read(root, &path, kind, &config.taxonomies)))
        .collect();
    let mut routes_may_change = !only_edits;
    for (path, document) in read {
        let route = route_key(&document);
        let old = documents.insert(path, document);
        routes_may_change |= old.as_ref().and_then(route_key) != route || route.is_none();
    }
    routes_may_change
}

/// What of a document decides its route.
fn route_key(document: &Document) -> Option<(String, bool, Option<TaxonomyKind>)> {
    match document {
        Document::Briefing(briefing, _) => Some((briefing.slug.clone(), briefing.draft, None)),
        Document::TermPage(page) => Some((page.slug.clone(), false, Some(page.kind))),
        Document::Broken(_) => None,
    }
}

/// Applies `changes` to the site in place when each is an edit of a built briefing that
/// changed its body and nothing that other pages show (front matter, first paragraph,
/// heading ids): then the routes, the order, the taxonomies and every other page stay as
/// they are. Returns the indices of the patched entries, or `None`, having changed
/// nothing, when a change is anything else.
pub fn patch(
    root: &Path,
    listing: &ContentFiles,
    held: &mut Indexed,
    routes: &Routes,
    prefix: &str,
    changes: &Changes,
) -> Option<Vec<usize>> {
    let Indexed { site, prints, .. } = held;
    let mut edits = Vec::new();
    for path in content_changes(changes) {
        let Some(None) = listing.get(path) else {
            return None;
        };
        let index = site
            .briefings
            .iter()
            .position(|entry| &entry.briefing.source == path)?;
        let Document::Briefing(briefing, _) = read(root, path, None, &site.config.taxonomies)
        else {
            return None;
        };
        let old = &site.briefings[index];
        let mut same_front = (*briefing).clone();
        same_front.body = old.briefing.body.clone();
        if same_front != old.briefing {
            return None;
        }
        let links = LinkContext {
            source: path,
            routes,
            prefix,
            media: None,
        };
        let Ok(article) = markdown::render(&briefing.body, &links) else {
            return None;
        };
        let shows_the_same = article.first_paragraph == old.article.first_paragraph
            && article.heading_ids == old.article.heading_ids;
        if !shows_the_same {
            return None;
        }
        edits.push((index, briefing, article));
    }
    let mut patched = Vec::with_capacity(edits.len());
    for (index, briefing, article) in edits {
        let entry = &mut site.briefings[index];
        entry.briefing = *briefing;
        entry.article = article;
        prints[index] = fingerprint::entry_prints(entry);
        patched.push(index);
    }
    Some(patched)
}
