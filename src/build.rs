//! The build pipeline, in the one function that names every stage:
//!
//! ```text
//! load::config → load::discover → load::front_matter → index::routes::plan
//!   → index::markdown → index (Site) + index::lint → load::theme + render::render_site
//!   → (build only) render::sitemap + render::feed + publish::search → output::write
//! ```
//!
//! Each stage collects its diagnostics; the build stops after a stage that found errors,
//! so that one mistake does not cascade into unrelated messages, and it stops before any
//! writing. `check` runs [`prepare`] (everything up to rendering) and writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diagnostic::{self, Diagnostic, Location, Problem, Severity};
use crate::index::markdown::{self, Article, LinkContext};
use crate::index::media::Media;
use crate::index::routes::{self, Routes};
use crate::index::{self, Site};
use crate::index::{links, lint};
use crate::load::cache::SourceCache;
use crate::load::config::{self, BaseUrl, Config};
use crate::load::theme::{self, Theme};
use crate::load::{self, Briefing};
use crate::output::{self, OutputError, Staged, Written};
#[cfg(feature = "search")]
use crate::publish::search;
use crate::render::{self, OutputFile, Templates};
use crate::render::{feed, sitemap};

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `content/`, `site.yaml`...).
    pub root: PathBuf,
    /// Replaces `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Include briefings marked `draft: true`.
    pub drafts: bool,
    /// The day the build runs: later briefings are upcoming.
    pub today: Date,
    /// Build the search page and index (when the `search` feature is compiled in and
    /// `site.yaml` does not say `search: false`).
    pub search: bool,
    /// Write into a non-empty output folder that apogee did not make, replacing its files at
    /// the paths apogee writes (see [`crate::output`]).
    pub force: bool,
    /// Where to say which stage the build is in, for a progress display; `None`: nowhere.
    pub progress: Option<std::sync::mpsc::Sender<Stage>>,
}

/// What a build is doing, as told to [`BuildOptions::progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading, parsing, indexing and checking the content.
    Reading,
    /// Rendering this many pages.
    Rendering(usize),
    /// One more page rendered and written (a progress bar counts them).
    Rendered,
    /// Making the feeds, the sitemap and the search index.
    Publishing,
    /// Writing the output folder.
    Writing,
}

impl BuildOptions {
    /// Tells the progress display, if any, that `stage` begins (made only when someone
    /// listens). A display that went away does not stop the build.
    fn report(&self, stage: impl FnOnce() -> Stage) {
        if let Some(progress) = &self.progress {
            let _ = progress.send(stage());
        }
    }
}

impl BuildOptions {
    /// Options for the site at `root`, today in the local time zone.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            base_url: None,
            drafts: false,
            today: jiff::ZonedDateTime::now().date(),
            search: true,
            progress: None,
            force: false,
        }
    }
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Problems in the writer's files.
    #[error("{} error{} in the site", .0.diagnostics.len(), if .0.diagnostics.len() == 1 { "" } else { "s" })]
    Content(Rejected),
    /// The output could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// A site that failed to prepare: every error found, and how many files were read to find
/// them (for the summary line).
#[derive(Debug, Clone)]
pub struct Rejected {
    /// Errors (and any warnings found before the stage that stopped), sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How many source files were read.
    pub files_read: usize,
}

/// A site rendered in memory, ready to be written or inspected.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The indexed site.
    pub site: Site,
    /// Every page.
    pub pages: Vec<OutputFile>,
    /// The theme's and the site's static files.
    pub theme: Theme,
    /// How many source files were read.
    pub files_read: usize,
    /// Warnings found along the way (see [`crate::index::lint`]), sorted.
    pub warnings: Vec<Diagnostic>,
    /// Drafts left out (built only with `drafts`).
    pub drafts_left_out: usize,
}

/// How long each stage of a build took, in the order they ran (for `--verbose`).
#[derive(Debug, Clone, Default)]
pub struct Stages {
    /// Each stage's name and wall time.
    pub laps: Vec<(&'static str, Duration)>,
    since: Option<Instant>,
}

impl Stages {
    fn start() -> Self {
        Stages {
            laps: Vec::new(),
            since: Some(Instant::now()),
        }
    }

    /// Ends the stage `name`, which began where the previous one ended.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        let since = self.since.replace(now).unwrap_or(now);
        self.laps.push((name, now - since));
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// What went to disk.
    pub written: Written,
    /// Briefings built.
    pub briefings: usize,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// How many source files were read.
    pub files_read: usize,
    /// Problems worth a look that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took.
    pub stages: Stages,
}

/// Builds the site of `options` into `output`: prepares it, then renders every page straight
/// into the private staging folder (each page is dropped once written, so memory follows the
/// input, not the output), adds the files made from the pages, then swaps the new output in.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    // Opened first: a refused output fails before any work, and the lock held for the whole
    // build makes concurrent builds into one output take turns.
    let target = output::Target::open(&options.root, output, options.force)?;
    let mut stages = Stages::start();
    options.report(|| Stage::Reading);
    let prepared = prepare_site(options, &mut Cache::default());
    stages.lap("read, parse, index and check");
    let files_read = prepared.files_read;
    let rejected = |diagnostics| {
        BuildError::Content(Rejected {
            diagnostics,
            files_read,
        })
    };
    let (ready, mut warnings) = prepared.ready();
    let Some(Ready { site, theme }) = ready else {
        return Err(rejected(warnings));
    };
    let (theme, templates) = &*theme;
    let staging = target.stage()?;
    let jobs = render::jobs(&site);
    options.report(|| Stage::Rendering(jobs.len()));
    // Pagefind indexes on one thread: it runs beside the rendering, which takes the others.
    let (rendered, index) = std::thread::scope(|scope| {
        let index = scope.spawn(|| search_index(&site));
        let rendered = render::render_each(&site, templates, &jobs, |page| {
            let staged = staging.put(&page.path, &page.bytes);
            options.report(|| Stage::Rendered);
            staged
        });
        let index = index
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rendered, index)
    });
    let mut staged = rendered
        .map_err(|errors| {
            let mut diagnostics = warnings.clone();
            diagnostics.extend(errors);
            diagnostic::sort(&mut diagnostics);
            rejected(diagnostics)
        })?
        .into_iter()
        .collect::<Result<Vec<Staged>, OutputError>>()?;
    stages.lap("render, with the search index beside it (each page staged as it is made)");
    options.report(|| Stage::Publishing);
    let mut published = index.map_err(rejected)?;
    published.extend(syndication(&site, staged.iter().map(|s| s.path.as_str())));
    let more: Vec<Result<Staged, OutputError>> = published
        .par_iter()
        .map(|file| staging.put(&file.path, &file.bytes))
        .collect();
    drop(published);
    for file in more {
        staged.push(file?);
    }
    if !site.config.base_url.has_host() {
        // Only a build writes absolute URLs out; `check` stays quiet about a preview site.
        let location = Location::file(Path::new(config::FILE_NAME));
        warnings.push(Diagnostic::warning(location, Problem::NoHost));
        diagnostic::sort(&mut warnings);
    }
    stages.lap("publish (feeds, sitemap; write the search index)");
    options.report(|| Stage::Writing);
    let written = staging.finish(staged, &theme.assets)?;
    stages.lap("write");
    Ok(BuildReport {
        written,
        briefings: site.briefing_count(),
        elapsed: started.elapsed(),
        files_read,
        warnings,
        stages,
    })
}

/// Every stage but writing. Returns every error found (with the warnings), sorted by file
/// and position.
pub fn prepare(options: &BuildOptions) -> Result<Rendered, Rejected> {
    let prepared = prepare_site(options, &mut Cache::default());
    let files_read = prepared.files_read;
    let drafts_left_out = prepared.drafts_left_out;
    let (ready, mut diagnostics) = prepared.ready();
    let Some(Ready { site, theme }) = ready else {
        return Err(Rejected {
            diagnostics,
            files_read,
        });
    };
    let (theme, templates) = &*theme;
    match render::render_site(&site, templates) {
        Ok(pages) => Ok(Rendered {
            site,
            pages,
            theme: theme.clone(),
            files_read,
            warnings: diagnostics,
            drafts_left_out,
        }),
        Err(errors) => {
            diagnostics.extend(errors);
            diagnostic::sort(&mut diagnostics);
            Err(Rejected {
                diagnostics,
                files_read,
            })
        }
    }
}

/// The search index's files, when the site has search. Only a build that writes makes them
/// (with the sitemap and feeds), so `prepare` (and so `check` and the preview of `serve`)
/// leaves them out: the index is the slowest stage of a build.
fn search_index(site: &Site) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    #[cfg(feature = "search")]
    if site.config.search {
        return search::index(site).map_err(|d| vec![d]);
    }
    let _ = site;
    Ok(Vec::new())
}

/// The files that tell other programs about the site: the feeds, the sitemap and
/// robots.txt, for the rendered pages at the output paths `pages`. Cheap enough for the
/// preview to make on every rebuild, unlike the search index.
pub fn syndication<'a>(
    site: &Site,
    pages: impl IntoIterator<Item = &'a str> + Send,
) -> Vec<OutputFile> {
    let (mut files, feeds) = rayon::join(|| sitemap::sitemap(site, pages), || feed::feeds(site));
    files.extend(feeds);
    files
}

/// What a build keeps between runs: the parsed content files, the Markdown bodies rendered
/// for the routes of the last run, and the theme. `build` and `check` start with an empty
/// cache; the preview keeps one and tells it what changed.
#[derive(Default)]
pub struct Cache {
    /// Content files, read and parsed.
    pub sources: SourceCache,
    /// Rendered bodies by source path, valid for `routes` (links resolve through them).
    articles: HashMap<PathBuf, Arc<Article>>,
    routes: Option<Planned>,
    /// The files bodies were rendered against (bundles and `static/`).
    media: Option<Media>,
    /// The theme and its compiled templates; `None`: load them again.
    theme: Option<LoadedTheme>,
    /// Keep bodies for the next run.
    keep: bool,
}

/// The routes of a run, with the print of what they were planned from and the problems
/// planning found.
struct Planned {
    inputs_print: u64,
    routes: Routes,
    errors: Vec<Diagnostic>,
}

/// A theme with its compiled templates, shared by a run and the cache it came from.
pub type LoadedTheme = Arc<(Theme, Templates)>;

impl Cache {
    /// A cache that keeps what a run reads and renders for the next run (the preview's).
    /// `Cache::default()` is a build's one-shot cache: it hands documents over without
    /// copying them and keeps no bodies.
    pub fn keeping() -> Self {
        Cache {
            sources: SourceCache::keeping(),
            keep: true,
            ..Cache::default()
        }
    }

    /// Forgets the theme: its templates or static files changed.
    pub fn forget_theme(&mut self) {
        self.theme = None;
    }

    /// Forgets a content file (relative to `root`): it changed, appeared or vanished.
    pub fn forget(&mut self, root: &Path, path: &Path) {
        self.sources.forget(root, path);
        self.articles.remove(&root.join(path));
        self.articles.remove(path);
    }

    /// Forgets everything: `site.yaml` changed, or the watcher lost track.
    pub fn forget_all(&mut self) {
        *self = if self.keep {
            Cache::keeping()
        } else {
            Cache::default()
        };
    }

    /// Keeps `article` as the body of `source` (the preview patched it in).
    pub fn keep_article(&mut self, source: &Path, article: Arc<Article>) {
        self.articles.insert(source.to_path_buf(), article);
    }

    /// The routes of the last run.
    pub fn routes(&self) -> Option<&Routes> {
        self.routes.as_ref().map(|planned| &planned.routes)
    }

    /// The files of bundles and `static/` of the last run.
    pub fn media(&self) -> Option<&Media> {
        self.media.as_ref()
    }
}

/// Everything up to rendering: the site indexed, the theme loaded, and every problem found on
/// the way. Each stage runs when what it needs is there, so that one run reports the errors
/// of independent files and stages together, with the warnings beside them.
pub struct Prepared {
    /// The indexed site (of the documents that parsed, when some did not).
    pub site: Site,
    /// The theme and its templates, when they load.
    pub theme: Option<LoadedTheme>,
    /// Errors and warnings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many content files were read.
    pub files_read: usize,
    /// Drafts left out (built only with `drafts`).
    pub drafts_left_out: usize,
}

/// A prepared site without errors: ready to render.
pub struct Ready {
    /// The indexed site.
    pub site: Site,
    /// The theme's files and its compiled templates.
    pub theme: LoadedTheme,
}

impl Prepared {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The site ready to render, if nothing failed; and the diagnostics (warnings only then).
    pub fn ready(self) -> (Option<Ready>, Vec<Diagnostic>) {
        let failed = self.has_errors();
        match self.theme {
            Some(theme) if !failed => (
                Some(Ready {
                    site: self.site,
                    theme,
                }),
                self.diagnostics,
            ),
            _ => (None, self.diagnostics),
        }
    }
}

/// The one pipeline of `build`, `check` and `serve`, up to rendering:
///
/// ```text
/// site.yaml → content files (through `cache`) → routes → Markdown bodies → Site → warnings
///           → theme and templates
/// ```
///
/// A stage whose input is broken still runs on what is sound (a site.yaml that does not load
/// gives way to the defaults; a file that does not parse is left out of the site), so that
/// every problem comes out of one run. Only rendering needs a site without errors.
pub fn prepare_site(options: &BuildOptions, cache: &mut Cache) -> Prepared {
    let mut diagnostics = Vec::new();
    let config = load_config(options).unwrap_or_else(|errors| {
        diagnostics.extend(errors);
        cache.forget_all();
        fallback_config(options)
    });
    let mut loaded = cache.sources.load(&options.root, &config.taxonomies);
    let incomplete = !loaded.diagnostics.is_empty();
    diagnostics.extend(loaded.diagnostics);
    let files_read = loaded.sources.briefings.len()
        + loaded.sources.term_pages.len()
        + loaded.sources.pages.len();
    let (briefings, drafts): (Vec<Arc<Briefing>>, Vec<Arc<Briefing>>) = loaded
        .briefings
        .into_iter()
        .partition(|b| options.drafts || !b.draft);
    let draft_paths: Vec<PathBuf> = drafts.iter().map(|b| b.source.clone()).collect();
    let unparsed = unparsed(
        &loaded.sources,
        &briefings,
        &drafts,
        &loaded.term_pages,
        &loaded.pages,
    );
    let inputs_print = routes::inputs_print(
        briefings.iter().map(|b| &**b),
        &loaded.term_pages,
        &loaded.pages,
        &draft_paths,
        &unparsed,
        &config.taxonomies,
    );
    let planned = match cache.routes.take() {
        // The same inputs make the same routes: most rebuilds keep them as they are.
        Some(kept) if kept.inputs_print == inputs_print => kept,
        earlier => {
            let (mut routes, errors) = routes::plan(
                briefings.iter().map(|b| &**b),
                &loaded.term_pages,
                &loaded.pages,
                &draft_paths,
            );
            routes.set_taxonomies(&config.taxonomies);
            let routes = routes.with_unparsed(unparsed);
            if earlier.is_none_or(|earlier| earlier.routes != routes) {
                // Links resolve through the routes: bodies rendered for others are stale.
                cache.articles.clear();
            }
            Planned {
                inputs_print,
                routes,
                errors,
            }
        }
    };
    diagnostics.extend(planned.errors.iter().cloned());
    let media = Media::new(&loaded.sources.files, loaded.sources.statics.clone());
    if cache.media.as_ref() != Some(&media) {
        // Images are measured from the files: bodies rendered for other files are stale.
        cache.articles.clear();
    }
    let routes = &planned.routes;
    let context = Linking {
        routes,
        prefix: &config.base_url.path,
        media: &media,
    };
    let mut briefings = render_bodies(briefings, |b| (&b.body, &b.source), &context, cache);
    let mut term_pages =
        render_bodies(loaded.term_pages, |p| (&p.body, &p.source), &context, cache);
    let mut pages = render_bodies(loaded.pages, |p| (&p.body, &p.source), &context, cache);
    if !cache.keep {
        // A one-shot run renders each body once: without their hold on the files' texts,
        // the texts go with the sources at the end of this stage, before pages are made.
        let bodies = briefings
            .iter_mut()
            .filter_map(|(briefing, _)| Arc::get_mut(briefing).map(|b| &mut b.body))
            .chain(term_pages.iter_mut().map(|(page, _)| &mut page.body))
            .chain(pages.iter_mut().map(|(page, _)| &mut page.body));
        bodies.for_each(load::Body::forget_text);
    }
    cache.routes = Some(planned);
    cache.media = Some(media);
    let theme = load_theme(options, &config, cache, &mut diagnostics);
    let (mut site, errors) = index::site(config, briefings, &term_pages, pages, options.today);
    diagnostics.extend(errors);
    site.files = index::bundle_files(&site, std::mem::take(&mut loaded.sources.files));
    diagnostics.extend(render::redirect::collisions(&site));
    diagnostics.extend(check_links(options, &site, &term_pages, theme.as_ref()));
    diagnostics.extend(lint::warnings(&lint::Inputs {
        site: &site,
        term_pages: &term_pages,
        left_out: &drafts,
        sources: &loaded.sources,
        today: options.today,
        incomplete,
    }));
    diagnostic::sort(&mut diagnostics);
    Prepared {
        site,
        theme,
        diagnostics,
        files_read,
        drafts_left_out: drafts.len(),
    }
}

/// The theme and its compiled templates, from `cache` or loaded; problems go to `diagnostics`.
fn load_theme(
    options: &BuildOptions,
    config: &Config,
    cache: &mut Cache,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<LoadedTheme> {
    if cache.theme.is_none() {
        let loaded = theme::load(&options.root, config).and_then(|theme| {
            let templates = render::compile(&theme.templates, &config.strings)?;
            Ok((theme, templates))
        });
        match loaded {
            Ok(theme) => cache.theme = Some(Arc::new(theme)),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    cache.theme.clone()
}

/// `site.yaml` when it does not load: the defaults, with the command line's options, so that
/// the other stages can still look for problems.
fn fallback_config(options: &BuildOptions) -> Config {
    let mut config = Config::default();
    config.search &= options.search && cfg!(feature = "search");
    if let Some(url) = options
        .base_url
        .as_deref()
        .and_then(|u| BaseUrl::parse(u).ok())
    {
        config.base_url = url;
    }
    config
}

/// Stage 1: `site.yaml`, with `--base-url` applied.
pub fn load_config(options: &BuildOptions) -> Result<Config, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    config.search &= options.search && cfg!(feature = "search");
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|message| {
            let location = Location {
                path: PathBuf::from("--base-url"),
                line: 1,
                column: 1,
                source_line: None,
            };
            vec![Diagnostic::error(
                location,
                Problem::BadConfig {
                    key: "base_url",
                    message,
                },
            )]
        })?;
    }
    Ok(config)
}

/// What every body of a site is rendered against.
struct Linking<'a> {
    routes: &'a Routes,
    prefix: &'a str,
    media: &'a Media,
}

/// Renders the Markdown body of each document that `cache` does not hold for these routes,
/// in parallel, keeping the input order. Link problems stay in each article for the link pass.
fn render_bodies<T: Sync + Send>(
    documents: Vec<T>,
    body_of: impl Fn(&T) -> (&load::Body, &PathBuf) + Sync,
    linking: &Linking,
    cache: &mut Cache,
) -> Vec<(T, Arc<Article>)> {
    let known = &cache.articles;
    let rendered: Vec<(T, Arc<Article>, bool)> = documents
        .into_par_iter()
        .map(|document| {
            let (body, source) = body_of(&document);
            if let Some(article) = known.get(source) {
                return (document, Arc::clone(article), false);
            }
            let links = LinkContext {
                source,
                routes: linking.routes,
                prefix: linking.prefix,
                media: Some(linking.media),
            };
            let article = Arc::new(markdown::render(body, &links));
            (document, article, true)
        })
        .collect();
    // Only bodies rendered in this run are new to the cache.
    if cache.keep {
        for (document, article, _) in rendered.iter().filter(|(_, _, fresh)| *fresh) {
            let (_, source) = body_of(document);
            cache.articles.insert(source.clone(), Arc::clone(article));
        }
    }
    rendered
        .into_iter()
        .map(|(document, article, _)| (document, article))
        .collect()
}

/// The content files that were read but did not parse: links to them are not reported as
/// pointing nowhere, since the file's own errors say what is wrong.
fn unparsed(
    sources: &load::Sources,
    briefings: &[Arc<Briefing>],
    drafts: &[Arc<Briefing>],
    term_pages: &[load::TermPage],
    pages: &[load::Page],
) -> Vec<PathBuf> {
    let parsed_count = briefings.len() + drafts.len() + term_pages.len() + pages.len();
    let read_count = sources.briefings.len() + sources.term_pages.len() + sources.pages.len();
    if parsed_count == read_count {
        // Every document comes from one file read: all of them parsed.
        return Vec::new();
    }
    let parsed: std::collections::HashSet<&Path> = briefings
        .iter()
        .chain(drafts)
        .map(|b| b.source.as_path())
        .chain(term_pages.iter().map(|p| p.source.as_path()))
        .chain(pages.iter().map(|p| p.source.as_path()))
        .collect();
    sources
        .briefings
        .iter()
        .chain(sources.term_pages.iter().map(|(_, source)| source))
        .chain(&sources.pages)
        .map(|source| source.path.as_path())
        .filter(|path| !parsed.contains(path))
        .map(Path::to_path_buf)
        .collect()
}

/// The link pass over every body of the site, briefings and term pages alike: fragments need
/// every body's ids, root-relative links every output path.
fn check_links(
    options: &BuildOptions,
    site: &Site,
    term_pages: &[(load::TermPage, Arc<Article>)],
    theme: Option<&LoadedTheme>,
) -> Vec<Diagnostic> {
    let mut paths = render::output_paths(site);
    match theme {
        Some(theme) => paths.extend(theme.0.assets.iter().map(|asset| asset.path.clone())),
        None => paths.extend(theme::asset_paths(&options.root, &site.config)),
    }
    let briefings = site
        .entries()
        .iter()
        .map(|entry| (entry.briefing.source.as_path(), &*entry.article));
    let term_pages = term_pages
        .iter()
        .map(|(page, article)| (page.source.as_path(), &**article));
    let pages = site
        .pages
        .iter()
        .map(|entry| (entry.page.source.as_path(), &*entry.article));
    links::check(
        briefings.chain(term_pages).chain(pages),
        &paths.into_iter().collect(),
    )
}

/// The outcome of `apogee check`.
#[derive(Debug, Clone)]
pub struct CheckReport {
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many source files were read.
    pub files_read: usize,
    /// Drafts whose warnings and links were not checked (no `--drafts`).
    pub drafts_left_out: usize,
}

impl CheckReport {
    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Whether the site would build (with `--strict`, also: has no warnings).
    pub fn passed(&self) -> bool {
        self.count(Severity::Error) == 0
    }
}

/// Runs every stage up to rendering, templates included, and writes nothing: every error
/// of every stage that can run, with the warnings. With `strict`, warnings count as errors.
pub fn check(options: &BuildOptions, strict: bool) -> CheckReport {
    let prepared = prepare_site(options, &mut Cache::default());
    let files_read = prepared.files_read;
    // Drafts are parsed whatever the options: their errors are in, their warnings are not.
    let drafts_left_out = if options.drafts {
        0
    } else {
        prepared.drafts_left_out
    };
    let (ready, mut diagnostics) = prepared.ready();
    // Every page is rendered to find the templates' errors, and dropped at once: check holds
    // no output in memory.
    let render_all = |ready: &Ready| {
        let jobs = render::jobs(&ready.site);
        render::render_each(&ready.site, &ready.theme.1, &jobs, drop)
    };
    if let Some(ready) = ready
        && let Err(errors) = render_all(&ready)
    {
        diagnostics.extend(errors);
        diagnostic::sort(&mut diagnostics);
    }
    if strict {
        for diagnostic in &mut diagnostics {
            diagnostic.severity = Severity::Error;
        }
    }
    CheckReport {
        diagnostics,
        files_read,
        drafts_left_out,
    }
}
