//! Rebuilding the preview after a batch of changes, through `build`'s one pipeline.
//!
//! Every rebuild runs [`build::prepare_site`], the stages `build` and `check` run, in their
//! order and with their warnings, with the rebuilder's [`build::Cache`]: the files a batch
//! names are forgotten and read again, the others keep their parse and their rendered body.
//! Which pages to render again is not written down anywhere: each page's print
//! ([`render::prints`]) hashes everything its template gets, and a page is rendered again
//! exactly when its print changed. Nor is which pages to print: a print pass notes the
//! briefings each page was made from ([`crate::index::reads`]), and when the site's frame
//! (everything but the briefings) and the templates are as before, the next rebuild prints
//! only the pages that read a briefing that changed; the others keep their print. Feeds are
//! made again when a briefing they carry changed, the sitemap each time, and only those
//! whose bytes changed replace the served ones. "Today" is taken at each
//! rebuild, so that a launch whose day has come becomes a flight.
//!
//! One special case keeps typing fast: when a batch changes only the text of briefings
//! (front matter, first paragraph and heading ids as they were), no other page can show a
//! difference, since only a briefing's own page and the feeds carry its body. Those briefings
//! are patched into the kept site and only their pages and the feeds carrying them are made.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::snapshot::Snapshot;
use super::watch::Changes;
use crate::build::{self, BuildOptions, Cache, LoadedTheme, Ready};
use crate::diagnostic::Diagnostic;
use crate::index::markdown::{self, LinkContext};
use crate::index::reads::{self, Reads};
use crate::index::{Entry, Site};
use crate::load::{self, config};
use crate::render::{self, OutputFile};

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
        /// What `check` would warn about.
        warnings: Vec<Diagnostic>,
    },
    /// What is wrong (errors, with the warnings found beside them).
    Failed(Vec<Diagnostic>),
    /// A newer batch of changes superseded this rebuild before it finished; build again
    /// with both batches.
    Cancelled,
}

/// Rebuilds a site, keeping what it can between builds.
pub struct Rebuilder {
    options: BuildOptions,
    /// Take "today" from the clock at each rebuild (else keep the options' day).
    follow_clock: bool,
    cache: Cache,
    kept: Option<Kept>,
    /// The kept site is the site of the files as they are, but for the batch at hand: false
    /// after a failed build, whose changes the kept site does not hold.
    current: bool,
    /// Set from elsewhere when a newer save supersedes the rebuild in progress.
    cancel: Arc<AtomicBool>,
    clock: Clock,
}

/// The last site served, to compare the next one with.
struct Kept {
    site: Site,
    theme: LoadedTheme,
    /// What the last print pass learned of every page.
    pages: HashMap<render::Job, render::Print>,
    /// The print of every feed, sitemap file and robots.txt (of their bytes), by output path.
    syndication: HashMap<String, render::Print>,
    snapshot: Arc<Snapshot>,
    warnings: Vec<Diagnostic>,
}

type Built = Result<(Arc<Snapshot>, usize, Vec<Diagnostic>), Vec<Diagnostic>>;

impl Rebuilder {
    /// A rebuilder for the site of `options`, with nothing kept yet; each rebuild takes
    /// "today" from the clock, so that a launch whose day has come becomes a flight.
    pub fn new(options: BuildOptions) -> Self {
        Rebuilder {
            follow_clock: true,
            ..Rebuilder::on_day(options)
        }
    }

    /// A rebuilder that keeps the day of `options` (for tests and benchmarks).
    pub fn on_day(options: BuildOptions) -> Self {
        Rebuilder {
            options,
            follow_clock: false,
            cache: Cache::keeping(),
            kept: None,
            current: false,
            cancel: Arc::new(AtomicBool::new(false)),
            clock: Clock::default(),
        }
    }

    /// The flag that cancels the rebuild in progress: it stops at the next stage and
    /// returns [`Rebuilt::Cancelled`]. Whoever raises it clears it before the next rebuild.
    pub fn cancel_token(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.cancel)
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Builds the site again; `changes` is `None` for the first build.
    pub fn rebuild(&mut self, changes: Option<&Changes>) -> Rebuilt {
        let started = Instant::now();
        self.clock.start();
        if self.follow_clock {
            self.options.today = jiff::ZonedDateTime::now().date();
        }
        let patched = changes.and_then(|changes| {
            self.forget(changes);
            self.patch(changes)
        });
        let result = match patched {
            Some(result) => result,
            None => self.build(),
        };
        self.current = result.is_ok();
        if self.cancelled() {
            return Rebuilt::Cancelled;
        }
        match result {
            Ok((snapshot, rendered, warnings)) => Rebuilt::Built {
                snapshot,
                rendered,
                elapsed: started.elapsed(),
                stages: std::mem::take(&mut self.clock.stages),
                warnings,
            },
            Err(diagnostics) => Rebuilt::Failed(diagnostics),
        }
    }

    /// Tells the cache what `changes` touched.
    fn forget(&mut self, changes: &Changes) {
        let config_changed = changes
            .paths
            .iter()
            .any(|path| path == Path::new(config::FILE_NAME));
        if changes.rescan || config_changed {
            self.cache.forget_all();
            return;
        }
        for path in &changes.paths {
            if is_theme_path(path) {
                self.cache.forget_theme();
            } else {
                self.cache.forget(&self.options.root, path);
            }
        }
    }

    /// The whole pipeline, rendering the pages whose print changed.
    fn build(&mut self) -> Built {
        let prepared = build::prepare_site(&self.options, &mut self.cache);
        self.clock.lap("prepare");
        if self.cancelled() {
            return Err(Vec::new());
        }
        let (ready, warnings) = prepared.ready();
        let Some(Ready { site, theme }) = ready else {
            return Err(warnings);
        };
        let templates = &theme.1;
        // Static files do not reach any page's template: with the same templates, pages keep
        // their prints and only the assets are swapped.
        let same_templates = self.kept.as_ref().is_some_and(|k| {
            Arc::ptr_eq(&k.theme, &theme) || k.theme.0.templates == theme.0.templates
        });
        // For each briefing, whether it changed; `None`: anything may have changed.
        let changed = self
            .kept
            .as_ref()
            .filter(|_| same_templates)
            .and_then(|kept| site.changed_briefings(&kept.site));
        let (unchanged, to_print) = self.pages_to_print(&site, changed.as_deref());
        let printed = render::prints(&site, templates, &to_print)?;
        self.clock.lap("prints");
        if self.cancelled() {
            return Err(Vec::new());
        }
        let mut kept = self.kept.take();
        let mut pages: HashMap<render::Job, render::Print> =
            HashMap::with_capacity(unchanged.len() + printed.len());
        if let Some(earlier) = kept.as_mut() {
            for job in unchanged {
                if let Some(page) = earlier.pages.remove(&job) {
                    pages.insert(job, page);
                }
            }
        }
        let mut stale: Vec<render::Job> = Vec::new();
        for (job, print) in to_print.into_iter().zip(printed) {
            let earlier = kept.as_ref().and_then(|k| k.pages.get(&job));
            let same =
                earlier.is_some_and(|page| page.print == print.print && page.path == print.path);
            if !same_templates || !same {
                stale.push(job);
            }
            pages.insert(job, print);
        }
        // Feeds and the sitemap need the pages' paths, not the pages: made beside them.
        let (rendered, (made, left_out)) = rayon::join(
            || render::render_jobs(&site, templates, &stale),
            || syndication(&site, &pages, kept.as_ref(), changed.as_deref()),
        );
        let rendered = match rendered {
            Ok(rendered) => rendered,
            Err(errors) => {
                self.kept = kept;
                return Err(errors);
            }
        };
        self.clock.lap("render, feeds and sitemap");
        let count = rendered.len();
        let mut syndication: HashMap<String, render::Print> =
            HashMap::with_capacity(made.len() + left_out.len());
        if let Some(earlier) = kept.as_mut() {
            for path in left_out {
                if let Some(file) = earlier.syndication.remove(&path) {
                    syndication.insert(path, file);
                }
            }
        }
        // Feeds and sitemap files made again replace the served ones where their bytes differ.
        let mut new_files = rendered;
        for (file, reads) in made {
            let print = render::Print::of_file(&file, reads);
            let earlier = kept
                .as_ref()
                .and_then(|k| k.syndication.get(&file.path))
                .map(|f| f.print);
            if !same_templates || earlier != Some(print.print) {
                new_files.push(file);
            }
            syndication.insert(print.path.clone(), print);
        }
        let snapshot = match kept.filter(|_| same_templates) {
            Some(kept) => {
                let with_new_assets = (!Arc::ptr_eq(&kept.theme, &theme)).then(|| {
                    let generated: HashSet<&str> = pages
                        .values()
                        .map(|page| page.path.as_str())
                        .chain(syndication.keys().map(String::as_str))
                        .collect();
                    kept.snapshot
                        .with_assets(&kept.theme.0.assets, &theme.0.assets, |path| {
                            generated.contains(path)
                        })
                });
                let base = with_new_assets.as_ref().unwrap_or(&kept.snapshot);
                // A page gone from a path another page now takes is overwritten, not removed.
                let printed_paths: HashSet<&str> = stale
                    .iter()
                    .filter_map(|job| pages.get(job))
                    .map(|page| page.path.as_str())
                    .collect();
                let gone: Vec<&String> = kept
                    .pages
                    .iter()
                    .filter(|(job, page)| {
                        pages.get(job).is_none_or(|now| now.path != page.path)
                            && !printed_paths.contains(page.path.as_str())
                    })
                    .map(|(_, page)| &page.path)
                    .chain(
                        kept.syndication
                            .keys()
                            .filter(|path| !syndication.contains_key(*path)),
                    )
                    .collect();
                base.updated(gone, new_files)
            }
            None => {
                let assets = theme
                    .0
                    .assets
                    .iter()
                    .map(|asset| (asset.path.clone(), asset.bytes.clone()));
                let files = new_files.into_iter().map(|file| (file.path, file.bytes));
                Snapshot::from_files(assets.chain(files))
            }
        };
        self.clock.lap("snapshot");
        let snapshot = Arc::new(snapshot);
        self.kept = Some(Kept {
            site,
            theme,
            pages,
            syndication,
            snapshot: Arc::clone(&snapshot),
            warnings: warnings.clone(),
        });
        Ok((snapshot, count, warnings))
    }

    /// Which pages of `site` need a print. Where only the briefings marked in `changed` may
    /// differ from the kept site, a page none of whose briefings changed keeps its print
    /// (such pages come first); every other page, and every page of a first build, is
    /// printed.
    fn pages_to_print(
        &self,
        site: &Site,
        changed: Option<&[bool]>,
    ) -> (Vec<render::Job>, Vec<render::Job>) {
        let jobs = render::jobs(site);
        match (&self.kept, changed) {
            (Some(kept), Some(changed)) => jobs.into_iter().partition(|job| {
                kept.pages
                    .get(job)
                    .is_some_and(|page| !page.reads.touches(changed))
            }),
            _ => (Vec::new(), jobs),
        }
    }

    /// The special case of text-only edits; `None` when the batch is anything else.
    fn patch(&mut self, changes: &Changes) -> Option<Built> {
        if changes.rescan || changes.paths.is_empty() || !self.current {
            return None;
        }
        let kept = self.kept.as_ref()?;
        let routes = self.cache.routes()?;
        let root = &self.options.root;
        let mut patches = Vec::new();
        for path in &changes.paths {
            patches.push(text_patch(
                root,
                &kept.site,
                routes,
                self.cache.media(),
                path,
            )?);
        }
        self.clock.lap("patch");
        let mut kept = self.kept.take()?;
        let indices: Vec<usize> = patches.iter().map(|patch| patch.index).collect();
        for patch in patches {
            let article = Arc::new(patch.article);
            self.cache
                .keep_article(&patch.briefing.source, Arc::clone(&article));
            let old = kept.site.entry(patch.index);
            let entry = Entry {
                briefing: Arc::new(patch.briefing),
                article,
                path: old.path.clone(),
                upcoming: old.upcoming,
            };
            kept.site.replace_entry(patch.index, entry);
        }
        let jobs: Vec<render::Job> = indices.iter().map(|&i| render::Job::Briefing(i)).collect();
        let templates = &kept.theme.1;
        let made = render::prints(&kept.site, templates, &jobs)
            .and_then(|prints| Ok((prints, render::render_jobs(&kept.site, templates, &jobs)?)));
        let (prints, mut rendered) = match made {
            Ok(made) => made,
            Err(errors) => {
                // The kept site holds the new text: its pages must be made again next time.
                kept.pages.clear();
                self.kept = Some(kept);
                return Some(Err(errors));
            }
        };
        self.clock.lap("render");
        let count = rendered.len();
        kept.pages.extend(jobs.into_iter().zip(prints));
        let mut changed = vec![false; kept.site.briefing_count()];
        for index in indices {
            changed[index] = true;
        }
        let unchanged = |path: &str| {
            kept.syndication
                .get(path)
                .is_some_and(|file| !file.reads.touches(&changed))
        };
        let (feeds, _) = render::feed::feeds_except(&kept.site, unchanged);
        for (feed, reads) in feeds {
            let print = render::Print::of_file(&feed, reads);
            kept.syndication.insert(print.path.clone(), print);
            rendered.push(feed);
        }
        let snapshot = Arc::new(kept.snapshot.updated([], rendered));
        self.clock.lap("feeds and snapshot");
        kept.snapshot = Arc::clone(&snapshot);
        let warnings = kept.warnings.clone();
        self.kept = Some(kept);
        Some(Ok((snapshot, count, warnings)))
    }
}

/// A briefing whose text alone changed, ready to go into the kept site.
struct TextPatch {
    index: usize,
    briefing: load::Briefing,
    article: markdown::Article,
}

/// The patch for `path` if it is a briefing of `site` whose new text changes nothing but its
/// own body: same front matter, and a body whose links need no site-wide check and that
/// renders to the same first paragraph (the summary on cards) and ids (the targets of links
/// from elsewhere).
fn text_patch(
    root: &Path,
    site: &Site,
    routes: &crate::index::routes::Routes,
    media: Option<&crate::index::media::Media>,
    path: &PathBuf,
) -> Option<TextPatch> {
    let index = site
        .entries()
        .iter()
        .position(|entry| entry.briefing.source == *path)?;
    let old = site.entry(index);
    let source = load::read_source(root, &root.join(path)).ok()?;
    let briefing = load::parse_briefing_with(&source, &site.config.taxonomies).ok()?;
    let same_front_matter = load::Briefing {
        body: old.briefing.body.clone(),
        ..briefing.clone()
    } == *old.briefing;
    if !same_front_matter {
        return None;
    }
    let links = LinkContext {
        source: &briefing.source,
        routes,
        prefix: &site.config.base_url.path,
        media,
    };
    let article = markdown::render(&briefing.body, &links);
    // A link that only the whole site can judge (a fragment, a root-relative link, one that
    // points nowhere) takes the full rebuild, which runs the link pass; so does a change in
    // the warnings of the body (an image without alt text), which the kept site reports.
    if !article.links.is_empty() || article.warnings != old.article.warnings {
        return None;
    }
    let shows_the_same = article.first_paragraph == old.article.first_paragraph
        && article.heading_ids == old.article.heading_ids
        && article.other_ids == old.article.other_ids;
    shows_the_same.then_some(TextPatch {
        index,
        briefing,
        article,
    })
}

/// The feeds, sitemap and robots.txt of `site` for its `pages`, each with the briefings it
/// was made from: every one but the feeds none of whose briefings changed since `kept`
/// (marked in `changed`), whose paths come second.
fn syndication(
    site: &Site,
    pages: &HashMap<render::Job, render::Print>,
    kept: Option<&Kept>,
    changed: Option<&[bool]>,
) -> (Vec<(OutputFile, Reads)>, Vec<String>) {
    let unchanged = |path: &str| match (kept, changed) {
        (Some(kept), Some(changed)) => kept
            .syndication
            .get(path)
            .is_some_and(|file| !file.reads.touches(changed)),
        _ => false,
    };
    let page_paths = || pages.values().map(|page| page.path.as_str());
    // The sitemap lists every page: it is made again each time.
    let ((sitemap, sitemap_reads), (mut feeds, left_out)) = rayon::join(
        || reads::noting(|| render::sitemap::sitemap(site, page_paths())),
        || render::feed::feeds_except(site, unchanged),
    );
    feeds.extend(
        sitemap
            .into_iter()
            .map(|file| (file, sitemap_reads.clone())),
    );
    (feeds, left_out)
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
