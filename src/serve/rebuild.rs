//! Rebuilding the preview after a batch of changes, keeping what did not change.
//!
//! The pipeline is `build`'s own stages ([`build::load_config`], [`build::plan`],
//! [`build::index`], `render`); this module decides what to feed them, in layers:
//!
//! - **documents** are kept between builds ([`documents`](super::documents)); a batch
//!   re-reads only the files it names, and walks `content/` only when files appear, vanish
//!   or are renamed.
//! - **the site** is patched in place when the only change is the text of briefings (same
//!   front matter, first paragraph and heading ids): planning and indexing are skipped.
//!   Otherwise it is indexed again, rendering the Markdown only of re-read files (and of
//!   bodies with links to sources when the routes changed).
//! - **pages** are rendered again only when their [fingerprint](super::fingerprint)
//!   changed; the others keep their bytes from the previous snapshot.
//! - `templates/`, `themes/` or `static/` changing reloads the theme and renders every
//!   page; `site.yaml` changing, or the watcher losing track, starts from scratch.
//!
//! A failure keeps the documents where it can (a broken file is kept as its diagnostics);
//! when indexing or the theme fails, the next build starts from scratch.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::documents::{self, ContentFiles, Held, Indexed, Store};
use super::fingerprint::{self, EntryPrints, Fingerprints};
use super::snapshot::Snapshot;
use super::watch::Changes;
use crate::build::{self, BuildOptions};
use crate::diagnostic::{self, Diagnostic};
use crate::index::routes::Routes;
use crate::load::TermPage;
use crate::load::config::{self, Config};
use crate::load::theme::{self, Theme};
use crate::render::{self, Job, OutputFile, Templates};

/// The result of one rebuild.
pub enum Rebuilt {
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

/// What a rebuild starts from.
struct Kept {
    config: Config,
    theme: Theme,
    templates: Templates,
    listing: ContentFiles,
    held: Option<Held>,
    routes: Routes,
    fingerprints: Fingerprints,
    snapshot: Arc<Snapshot>,
    /// The last theme change has not been rendered into every page yet.
    theme_pending: bool,
    /// The print of the site's terms at the last fingerprinting.
    terms: u64,
    /// The routes must be planned again: documents changed their slug, appeared or
    /// vanished since `routes` was planned.
    plan_pending: bool,
}

type Built = Result<(Arc<Snapshot>, usize), Vec<Diagnostic>>;

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
    pub fn rebuild(&mut self, changes: Option<&Changes>) -> Rebuilt {
        let started = Instant::now();
        self.clock.start();
        let result = match (self.kept.take(), changes) {
            (Some(kept), Some(changes)) if !needs_scratch(&kept, changes) => {
                self.incremental(kept, changes)
            }
            _ => self.build_from_scratch(),
        };
        match result {
            Ok((snapshot, rendered)) => {
                let stages = std::mem::take(&mut self.clock.stages);
                Rebuilt::Built {
                    snapshot,
                    rendered,
                    elapsed: started.elapsed(),
                    stages,
                }
            }
            Err(mut diagnostics) => {
                diagnostic::sort(&mut diagnostics);
                Rebuilt::Failed(diagnostics)
            }
        }
    }

    fn build_from_scratch(&mut self) -> Built {
        let config = build::load_config(&self.options)?;
        let theme = theme::load(&self.options.root, &config)?;
        let templates = render::compile(&theme.templates)?;
        let (listing, errors) = documents::list(&self.options.root, &config.taxonomies);
        let mut documents = documents::read_all(&self.options.root, &listing, &config.taxonomies);
        documents::add_broken(&mut documents, errors);
        self.clock.lap("read and parse");
        let known = HashMap::new();
        let kept = Kept {
            config,
            theme,
            templates,
            listing,
            held: None,
            routes: Routes::default(),
            fingerprints: Fingerprints::new(),
            snapshot: Arc::new(Snapshot::default()),
            theme_pending: true,
            terms: 0,
            plan_pending: true,
        };
        self.index(kept, documents, known)
    }

    fn incremental(&mut self, mut kept: Kept, changes: &Changes) -> Built {
        let theme_changed = changes.paths.iter().any(|path| is_theme_path(path));
        if theme_changed {
            // A theme that does not load leaves nothing worth keeping: the next build starts afresh.
            let theme = theme::load(&self.options.root, &kept.config)?;
            if theme.templates != kept.theme.templates {
                kept.templates = render::compile(&theme.templates)?;
                kept.theme_pending = true;
            } else {
                // Only static files changed: swap them; every page stays as it is.
                let is_page = |path: &str| kept.fingerprints.contains_key(path);
                let snapshot =
                    kept.snapshot
                        .with_assets(&kept.theme.assets, &theme.assets, is_page);
                kept.snapshot = Arc::new(snapshot);
            }
            kept.theme = theme;
        }
        let held = match kept.held.take() {
            Some(Held::Indexed(mut indexed)) => {
                let patched = documents::patch(
                    &self.options.root,
                    &kept.listing,
                    &mut indexed,
                    &kept.routes,
                    &kept.config.base_url.path,
                    changes,
                );
                if let Some(patched) = patched {
                    self.clock.lap("patch");
                    if kept.theme_pending {
                        return self.render(kept, indexed);
                    }
                    return self.render_patched(kept, indexed, &patched);
                }
                Held::Indexed(indexed)
            }
            Some(loose) => loose,
            None => return self.build_from_scratch(),
        };
        let root = &self.options.root;
        let (mut documents, known) = held.into_documents();
        self.clock.lap("unpack");
        let listing = &mut kept.listing;
        let routes_may_change =
            documents::apply(root, &kept.config, listing, &mut documents, changes);
        kept.plan_pending |= routes_may_change;
        self.clock.lap("read and parse");
        self.index(kept, documents, known)
    }

    /// Plans and indexes `documents`, then renders; `known` are the prints of entries of
    /// the previous site, by source path.
    fn index(
        &mut self,
        mut kept: Kept,
        documents: Store,
        known: HashMap<PathBuf, EntryPrints>,
    ) -> Built {
        let broken = documents::broken(&documents);
        if !broken.is_empty() {
            kept.held = Some(Held::Loose(documents));
            self.kept = Some(kept);
            return Err(broken);
        }
        // Planning again is needed only when routes may have changed (or the last plan failed).
        let plan = kept.plan_pending;
        let mut documents = documents::into_stages(documents, plan);
        build::set_drafts_aside(&self.options, &mut documents);
        self.clock.lap("collect");
        if plan {
            let routes = match build::plan_routes(&documents) {
                Ok(routes) => routes,
                Err(errors) => {
                    kept.held = Some(Held::Loose(documents::from_stages(documents)));
                    self.kept = Some(kept);
                    return Err(errors);
                }
            };
            if routes != kept.routes {
                documents::forget_linking_bodies(&mut documents);
            }
            kept.routes = routes;
            kept.plan_pending = false;
            self.clock.lap("plan");
        }
        // Bodies rendered in this build: their entries' prints must be computed again.
        let fresh: HashSet<PathBuf> = documents
            .briefings
            .iter()
            .filter(|(_, article)| article.is_none())
            .map(|(briefing, _)| briefing.source.clone())
            .collect();
        let drafts = std::mem::take(&mut documents.drafts);
        // A failure here loses the documents: `kept` stays empty and the next build starts afresh.
        let (site, term_pages) =
            build::index(&self.options, kept.config.clone(), documents, &kept.routes)?;
        let term_pages: Vec<TermPage> = term_pages.into_iter().map(|(page, _)| page).collect();
        self.clock.lap("index");
        let prints = fingerprint::all_entry_prints(&site, &known, &fresh);
        let indexed = Indexed {
            site,
            prints,
            drafts,
            term_pages,
        };
        self.render(kept, Box::new(indexed))
    }

    /// Renders the pages of the `patched` briefings alone: a patch changes nothing else.
    fn render_patched(&mut self, kept: Kept, held: Box<Indexed>, patched: &[usize]) -> Built {
        let Indexed { site, prints, .. } = &*held;
        let mut stale = Vec::new();
        let mut fresh = Vec::new();
        for &index in patched {
            let job = Job::Briefing(index);
            let path = job.path(site);
            let print = fingerprint::briefing_print(site, prints, kept.terms, index);
            if kept.fingerprints.get(&path) != Some(&print) {
                stale.push(job);
                fresh.push((path, print));
            }
        }
        let (mut kept, mut rendered) = self.render_stale(kept, held, &stale)?;
        let count = rendered.len();
        kept.fingerprints.extend(fresh);
        // A patch keeps every path and date, so the sitemap stands; feeds carry the text.
        if let Some(Held::Indexed(held)) = &kept.held {
            rendered.extend(crate::render::feed::feeds_carrying(&held.site, patched));
        }
        self.clock.lap("feeds");
        let snapshot = kept.snapshot.updated([], rendered);
        Ok(self.keep(kept, snapshot, count))
    }

    /// Renders the pages whose fingerprint changed (every page after a theme change) and
    /// makes the snapshot.
    fn render(&mut self, mut kept: Kept, held: Box<Indexed>) -> Built {
        let render_all = kept.theme_pending;
        let (pages, terms) = fingerprint::fingerprint(&held.site, &held.prints);
        kept.terms = terms;
        let stale: Vec<Job> = pages
            .iter()
            .filter(|(_, path, print)| render_all || kept.fingerprints.get(path) != Some(print))
            .map(|(job, _, _)| *job)
            .collect();
        let (mut kept, mut rendered) = self.render_stale(kept, held, &stale)?;
        let count = rendered.len();
        let mut fingerprints: Fingerprints = pages
            .into_iter()
            .map(|(_, path, print)| (path, print))
            .collect();
        // Feeds and sitemaps are made anew each time; listing them here lets the next
        // snapshot drop one that is gone (a term's feed when the term goes).
        let syndication = match &kept.held {
            Some(Held::Indexed(held)) => {
                build::syndication(&held.site, fingerprints.keys().map(String::as_str))
            }
            _ => Vec::new(),
        };
        self.clock.lap("feeds and sitemap");
        fingerprints.extend(syndication.iter().map(|file| (file.path.clone(), 0)));
        rendered.extend(syndication);
        let snapshot = if render_all {
            let assets = kept
                .theme
                .assets
                .iter()
                .map(|asset| (asset.path.clone(), asset.bytes.clone()));
            Snapshot::from_files(
                assets.chain(rendered.into_iter().map(|page| (page.path, page.bytes))),
            )
        } else {
            let gone = kept
                .fingerprints
                .keys()
                .filter(|path| !fingerprints.contains_key(*path));
            kept.snapshot.updated(gone, rendered)
        };
        kept.theme_pending = false;
        kept.fingerprints = fingerprints;
        Ok(self.keep(kept, snapshot, count))
    }

    /// Renders `stale` pages of the held site, which goes back into `kept`; on failure
    /// the rebuilder keeps what it had, to start the next build from.
    fn render_stale(
        &mut self,
        mut kept: Kept,
        held: Box<Indexed>,
        stale: &[Job],
    ) -> Result<(Kept, Vec<OutputFile>), Vec<Diagnostic>> {
        self.clock.lap("fingerprint");
        let rendered = render::render_jobs(&held.site, &kept.templates, stale);
        kept.held = Some(Held::Indexed(held));
        match rendered {
            Ok(pages) => {
                self.clock.lap("render");
                Ok((kept, pages))
            }
            Err(errors) => {
                self.kept = Some(kept);
                Err(errors)
            }
        }
    }

    /// Keeps `kept` with its new snapshot for the next build; returns the snapshot.
    fn keep(
        &mut self,
        mut kept: Kept,
        snapshot: Snapshot,
        rendered: usize,
    ) -> (Arc<Snapshot>, usize) {
        kept.snapshot = Arc::new(snapshot);
        let snapshot = Arc::clone(&kept.snapshot);
        self.kept = Some(kept);
        self.clock.lap("snapshot");
        (snapshot, rendered)
    }
}

/// A batch that calls for a build from scratch: the configuration changed, or the watcher
/// lost track of what changed.
fn needs_scratch(kept: &Kept, changes: &Changes) -> bool {
    let config_changed = changes
        .paths
        .iter()
        .any(|path| path == Path::new(config::FILE_NAME));
    changes.rescan || kept.held.is_none() || config_changed
}

fn is_theme_path(path: &Path) -> bool {
    ["templates", "themes", "static"]
        .iter()
        .any(|folder| path.starts_with(folder))
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
