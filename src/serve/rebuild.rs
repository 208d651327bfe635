//! Rebuilding the preview after a batch of changes, keeping what did not change.
//!
//! The pipeline is `build`'s own stages ([`build::load_config`], [`build::plan`],
//! [`build::index`], `render`); this module only decides what to feed them:
//!
//! - **documents** are kept between builds by source path, parsed, with their rendered
//!   bodies; a batch re-reads only the files it names (a walk of `content/` happens only
//!   when files appear, vanish or are renamed). Between builds the documents live inside
//!   the last [`Site`] and are moved back out, so nothing is copied.
//! - **bodies** are rendered again only for re-read files, and for bodies with links to
//!   other sources when the site's routes changed.
//! - **pages** are rendered again only when their [fingerprint](super::fingerprint)
//!   changed; the others keep their bytes from the previous snapshot.
//! - `templates/`, `themes/` or `static/` changing reloads the theme and renders every
//!   page; `site.yaml` changing, or the watcher losing track, starts from scratch.
//!
//! A failure keeps the documents where it can (a broken file is kept as its diagnostics);
//! when the indexing stage fails, the next build starts from scratch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Tera;

use super::fingerprint::{self, Fingerprints};
use super::snapshot::Snapshot;
use super::watch::Changes;
use crate::build::{self, BuildOptions, Documents};
use crate::config::{self, Config};
use crate::content::{self, Briefing, TermPage};
use crate::diagnostic::{self, Diagnostic};
use crate::markdown::Article;
use crate::render::{self, Job};
use crate::routes::Routes;
use crate::site::Site;
use crate::taxonomy::TaxonomyKind;
use crate::theme::{self, Theme};

/// The result of one rebuild.
pub enum Outcome {
    /// The new site.
    Built {
        /// Every file, in memory.
        snapshot: Arc<Snapshot>,
        /// How many pages were rendered anew.
        rendered: usize,
        /// Wall time.
        elapsed: Duration,
        /// Wall time of each stage, in order, for benchmarks.
        stages: Vec<(&'static str, Duration)>,
    },
    /// What is wrong.
    Failed(Vec<Diagnostic>),
}

/// Rebuilds a site, keeping what it can between builds.
pub struct Rebuilder {
    options: BuildOptions,
    kept: Option<Kept>,
    clock: Clock,
}

/// Stage timings of the build in progress.
#[derive(Default)]
struct Clock {
    last: Option<Instant>,
    stages: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn start(&mut self) {
        self.last = Some(Instant::now());
        self.stages.clear();
    }

    /// Records the time since the previous stage ended as `stage`.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        if let Some(last) = self.last.replace(now) {
            self.stages.push((stage, now - last));
        }
    }
}

/// One parsed content file.
enum Document {
    Briefing(Box<Briefing>, Option<Article>),
    TermPage(Box<TermPage>),
    Broken(Vec<Diagnostic>),
}

/// Content files by path relative to the site root; `None` for a briefing, the taxonomy
/// for a term page.
type Listing = BTreeMap<PathBuf, Option<TaxonomyKind>>;

/// Where the documents are between builds.
enum Held {
    /// Inside the last good site (moved out again by the next build).
    Indexed {
        site: Site,
        drafts: Vec<Briefing>,
        term_pages: Vec<TermPage>,
    },
    /// By path, after a build that stopped before indexing.
    Loose(BTreeMap<PathBuf, Document>),
}

/// What a rebuild starts from.
struct Kept {
    config: Config,
    theme: Theme,
    tera: Tera,
    listing: Listing,
    held: Option<Held>,
    routes: Routes,
    fingerprints: Fingerprints,
    snapshot: Arc<Snapshot>,
    /// The last theme change has not been rendered into every page yet.
    theme_pending: bool,
}

impl Rebuilder {
    /// A rebuilder for the site of `options`, with nothing kept yet.
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder {
            options,
            kept: None,
            clock: Clock::default(),
        }
    }

    /// Builds the site again; `changes` is `None` for the first build.
    pub fn rebuild(&mut self, changes: Option<&Changes>) -> Outcome {
        let started = Instant::now();
        self.clock.start();
        let result = match (self.kept.take(), changes) {
            (Some(kept), Some(changes)) if !needs_scratch(&kept, changes) => {
                self.incremental(kept, changes)
            }
            _ => self.from_scratch(),
        };
        match result {
            Ok((snapshot, rendered)) => {
                let stages = std::mem::take(&mut self.clock.stages);
                Outcome::Built {
                    snapshot,
                    rendered,
                    elapsed: started.elapsed(),
                    stages,
                }
            }
            Err(mut diagnostics) => {
                diagnostic::sort(&mut diagnostics);
                Outcome::Failed(diagnostics)
            }
        }
    }

    fn from_scratch(&mut self) -> Result<(Arc<Snapshot>, usize), Vec<Diagnostic>> {
        let config = build::load_config(&self.options)?;
        let theme = theme::load(&self.options.root, &config)?;
        let tera = render::compile(&theme.templates)?;
        let (listing, errors) = list(&self.options.root, &config.taxonomies);
        let paths: Vec<(&PathBuf, &Option<TaxonomyKind>)> = listing.iter().collect();
        let mut documents: BTreeMap<PathBuf, Document> = paths
            .par_iter()
            .map(|&(path, &kind)| (path.clone(), read(&self.options.root, path, kind)))
            .collect();
        add_broken(&mut documents, errors);
        self.clock.lap("read and parse");
        let kept = Kept {
            config,
            theme,
            tera,
            listing,
            held: None,
            routes: Routes::default(),
            fingerprints: Fingerprints::new(),
            snapshot: Arc::new(Snapshot::default()),
            theme_pending: false,
        };
        self.finish(kept, documents, true)
    }

    fn incremental(
        &mut self,
        mut kept: Kept,
        changes: &Changes,
    ) -> Result<(Arc<Snapshot>, usize), Vec<Diagnostic>> {
        let Some(held) = kept.held.take() else {
            return self.from_scratch();
        };
        let mut documents = held.into_documents();
        self.clock.lap("unpack");
        let theme_changed = changes.paths.iter().any(|path| is_theme_path(path));
        if theme_changed {
            // A theme that does not load leaves nothing worth keeping: the next build starts afresh.
            kept.theme = theme::load(&self.options.root, &kept.config)?;
            kept.tera = render::compile(&kept.theme.templates)?;
        }
        self.apply(&mut kept, &mut documents, changes);
        self.clock.lap("read and parse");
        self.finish(kept, documents, theme_changed)
    }

    /// Re-reads the content files `changes` names; walks `content/` again only when the set
    /// of files may have changed.
    fn apply(
        &self,
        kept: &mut Kept,
        documents: &mut BTreeMap<PathBuf, Document>,
        changes: &Changes,
    ) {
        let root = &self.options.root;
        let changed: Vec<&PathBuf> = changes
            .paths
            .iter()
            .filter(|p| p.starts_with(content::CONTENT_DIR))
            .collect();
        let only_edits = changed
            .iter()
            .all(|path| kept.listing.contains_key(*path) && root.join(path).is_file());
        let to_read: Vec<(PathBuf, Option<TaxonomyKind>)> = if only_edits {
            changed
                .iter()
                .map(|&path| (path.clone(), kept.listing[path]))
                .collect()
        } else {
            let (listing, errors) = list(root, &kept.config.taxonomies);
            documents.retain(|path, _| listing.contains_key(path));
            let wanted =
                |path: &PathBuf| !documents.contains_key(path) || changes.paths.contains(path);
            let to_read = listing
                .iter()
                .filter(|(path, _)| wanted(path))
                .map(|(p, k)| (p.clone(), *k))
                .collect();
            add_broken(documents, errors);
            kept.listing = listing;
            to_read
        };
        let read: Vec<(PathBuf, Document)> = to_read
            .into_par_iter()
            .map(|(path, kind)| (path.clone(), read(root, &path, kind)))
            .collect();
        documents.extend(read);
    }

    /// Plans, indexes and renders `documents`; renders every page when `render_all`.
    fn finish(
        &mut self,
        mut kept: Kept,
        documents: BTreeMap<PathBuf, Document>,
        render_all: bool,
    ) -> Result<(Arc<Snapshot>, usize), Vec<Diagnostic>> {
        let broken: Vec<Diagnostic> = documents
            .values()
            .filter_map(|d| {
                if let Document::Broken(found) = d {
                    Some(found.clone())
                } else {
                    None
                }
            })
            .flatten()
            .collect();
        if !broken.is_empty() {
            kept.held = Some(Held::Loose(documents));
            self.kept = Some(kept);
            return Err(broken);
        }
        let mut documents = into_stages(documents);
        let routes = match build::plan(&self.options, &mut documents) {
            Ok(routes) => routes,
            Err(errors) => {
                kept.held = Some(Held::Loose(from_stages(documents)));
                self.kept = Some(kept);
                return Err(errors);
            }
        };
        if routes != kept.routes {
            forget_linking_bodies(&mut documents);
        }
        self.clock.lap("plan");
        let drafts = std::mem::take(&mut documents.drafts);
        let term_pages: Vec<TermPage> = documents
            .term_pages
            .iter()
            .map(|(page, _)| page.clone())
            .collect();
        // A failure here loses the documents: `kept` stays empty and the next build starts afresh.
        let site = build::index(&self.options, kept.config.clone(), documents, &routes)?;
        kept.routes = routes;
        self.clock.lap("index");

        // Until a build renders every page, pages made with an older theme may remain.
        let render_all = render_all || kept.theme_pending;
        let prints = fingerprint::fingerprint(&site);
        let stale: Vec<Job> = prints
            .iter()
            .filter(|(_, path, print)| render_all || kept.fingerprints.get(path) != Some(print))
            .map(|(job, _, _)| *job)
            .collect();
        self.clock.lap("fingerprint");
        let rendered = render::render_jobs(&site, &kept.tera, &stale);
        let pages = match rendered {
            Ok(pages) => pages,
            Err(errors) => {
                kept.theme_pending = render_all;
                kept.held = Some(Held::Indexed {
                    site,
                    drafts,
                    term_pages,
                });
                self.kept = Some(kept);
                return Err(errors);
            }
        };
        self.clock.lap("render");
        let count = pages.len();
        let prints: Fingerprints = prints
            .into_iter()
            .map(|(_, path, print)| (path, print))
            .collect();
        let snapshot = if render_all {
            let assets = kept
                .theme
                .assets
                .iter()
                .map(|asset| (asset.path.clone(), asset.bytes.clone()));
            Snapshot::from_files(
                assets.chain(pages.into_iter().map(|page| (page.path, page.bytes))),
            )
        } else {
            let gone = kept
                .fingerprints
                .keys()
                .filter(|path| !prints.contains_key(*path));
            kept.snapshot.updated(gone, pages)
        };
        kept.theme_pending = false;
        kept.fingerprints = prints;
        kept.snapshot = Arc::new(snapshot);
        kept.held = Some(Held::Indexed {
            site,
            drafts,
            term_pages,
        });
        let snapshot = Arc::clone(&kept.snapshot);
        self.kept = Some(kept);
        self.clock.lap("snapshot");
        Ok((snapshot, count))
    }
}

/// A batch that calls for a build from scratch: the configuration changed, or the watcher
/// lost track of what changed.
fn needs_scratch(kept: &Kept, changes: &Changes) -> bool {
    changes.rescan
        || kept.held.is_none()
        || changes
            .paths
            .iter()
            .any(|path| path == Path::new(config::FILE_NAME))
}

fn is_theme_path(path: &Path) -> bool {
    ["templates", "themes", "static"]
        .iter()
        .any(|folder| path.starts_with(folder))
}

impl Held {
    fn into_documents(self) -> BTreeMap<PathBuf, Document> {
        match self {
            Held::Loose(documents) => documents,
            Held::Indexed {
                site,
                drafts,
                term_pages,
            } => {
                let briefings = site
                    .briefings
                    .into_iter()
                    .map(|entry| (entry.briefing, Some(entry.article)));
                let drafts = drafts.into_iter().map(|briefing| (briefing, None));
                let mut documents: BTreeMap<PathBuf, Document> = briefings
                    .chain(drafts)
                    .map(|(briefing, article)| {
                        (
                            briefing.source.clone(),
                            Document::Briefing(Box::new(briefing), article),
                        )
                    })
                    .collect();
                documents.extend(
                    term_pages
                        .into_iter()
                        .map(|page| (page.source.clone(), Document::TermPage(Box::new(page)))),
                );
                documents
            }
        }
    }
}

/// The documents as `build`'s stages take them, in path order.
fn into_stages(documents: BTreeMap<PathBuf, Document>) -> Documents {
    let mut stages = Documents::default();
    for document in documents.into_values() {
        match document {
            Document::Briefing(briefing, article) => stages.briefings.push((*briefing, article)),
            Document::TermPage(page) => stages.term_pages.push((*page, None)),
            Document::Broken(_) => {}
        }
    }
    stages
}

fn from_stages(stages: Documents) -> BTreeMap<PathBuf, Document> {
    let briefings = stages
        .briefings
        .into_iter()
        .chain(stages.drafts.into_iter().map(|b| (b, None)));
    let mut documents: BTreeMap<PathBuf, Document> = briefings
        .map(|(b, article)| (b.source.clone(), Document::Briefing(Box::new(b), article)))
        .collect();
    documents.extend(
        stages
            .term_pages
            .into_iter()
            .map(|(page, _)| (page.source.clone(), Document::TermPage(Box::new(page)))),
    );
    documents
}

/// Bodies that link to other sources render differently when routes change.
fn forget_linking_bodies(documents: &mut Documents) {
    for (briefing, article) in &mut documents.briefings {
        if briefing.body.markdown.contains(".md") {
            *article = None;
        }
    }
}

/// Every content file, by path relative to the root.
fn list(root: &Path, taxonomies: &[TaxonomyKind]) -> (Listing, Vec<Diagnostic>) {
    let (found, errors) = content::list(root, taxonomies);
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

/// Reads and parses one content file.
fn read(root: &Path, path: &Path, kind: Option<TaxonomyKind>) -> Document {
    let source = match content::read_source(root, &root.join(path)) {
        Ok(source) => source,
        Err(diagnostic) => return Document::Broken(vec![diagnostic]),
    };
    let parsed = match kind {
        None => content::parse_briefing(&source).map(|b| Document::Briefing(Box::new(b), None)),
        Some(kind) => {
            content::parse_term_page(kind, &source).map(|p| Document::TermPage(Box::new(p)))
        }
    };
    parsed.unwrap_or_else(Document::Broken)
}

/// Walk problems stay with the path they name until the next walk.
fn add_broken(documents: &mut BTreeMap<PathBuf, Document>, errors: Vec<Diagnostic>) {
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
