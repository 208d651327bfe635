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

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diagnostic::{self, Diagnostic, Location, Problem, Severity};
use crate::index::lint;
use crate::index::markdown::{self, Article, LinkContext};
use crate::index::media::Media;
use crate::index::routes::{self, Routes};
use crate::index::{self, Site};
use crate::load::config::{self, BaseUrl, Config};
use crate::load::theme::{self, Theme};
use crate::load::{self, Briefing, Page, Sources, TermPage};
use crate::output::{self, OutputError, Written};
#[cfg(feature = "search")]
use crate::publish::search;
use crate::render::{self, OutputFile};
use crate::render::{feed, sitemap};
use crate::vocabulary::TaxonomyKind;

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
}

/// Builds the site of `options` into `output`: reads, renders, then swaps the new output in.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    output::check_target(&options.root, output)?;
    let mut rendered = prepare(options).map_err(BuildError::Content)?;
    publish(&mut rendered).map_err(|diagnostics| {
        BuildError::Content(Rejected {
            diagnostics,
            files_read: rendered.files_read,
        })
    })?;
    if !rendered.site.config.base_url.has_host() {
        // Only a build writes absolute URLs out; `check` stays quiet about a preview site.
        let location = Location::file(Path::new(config::FILE_NAME));
        rendered
            .warnings
            .push(Diagnostic::warning(location, Problem::NoHost));
        diagnostic::sort(&mut rendered.warnings);
    }
    let written = output::write(
        &options.root,
        output,
        &rendered.pages,
        &rendered.theme.assets,
    )?;
    Ok(BuildReport {
        written,
        briefings: rendered.site.briefings.len(),
        elapsed: started.elapsed(),
        files_read: rendered.files_read,
        warnings: rendered.warnings,
    })
}

/// Every stage but writing. Returns every error found, sorted by file and position.
pub fn prepare(options: &BuildOptions) -> Result<Rendered, Rejected> {
    let mut files_read = 0;
    prepare_counting(options, &mut files_read).map_err(|diagnostics| Rejected {
        diagnostics,
        files_read,
    })
}

fn prepare_counting(
    options: &BuildOptions,
    files_read: &mut usize,
) -> Result<Rendered, Vec<Diagnostic>> {
    let config = load_config(options)?;
    let (mut sources, mut errors) = load::discover(&options.root, &config.taxonomies);
    *files_read = sources.briefings.len() + sources.term_pages.len() + sources.pages.len();
    let files_read = *files_read;
    let mut documents = parse(&sources, &config.taxonomies, &mut errors);
    stop_on_errors(&mut errors)?;
    let routes = plan(options, &mut documents)?;
    let left_out = std::mem::take(&mut documents.drafts);
    let (site, term_pages) = index(options, config, documents, &routes)?;
    let warnings = lint::warnings(&lint::Inputs {
        site: &site,
        term_pages: &term_pages,
        left_out: &left_out,
        sources: &sources,
        today: options.today,
    });
    let mut theme = theme::load(&options.root, &site.config)?;
    theme
        .assets
        .extend(bundle_assets(&site, std::mem::take(&mut sources.files)));
    let templates = render::compile(&theme.templates)?;
    let pages = render::render_site(&site, &templates)?;
    Ok(Rendered {
        site,
        pages,
        theme,
        files_read,
        warnings,
        drafts_left_out: left_out.len(),
    })
}

/// The files of the bundles of the site's briefings and pages, each published beside its
/// page (`content/briefings/h3/pad.png` → `briefings/<slug>/pad.png`). Files of drafts left
/// out are not published.
fn bundle_assets(site: &Site, files: Vec<load::bundle::LocalFile>) -> Vec<theme::Asset> {
    let folders: std::collections::BTreeMap<&Path, &str> = site
        .briefings
        .iter()
        .map(|entry| (&entry.briefing.source, entry.path.as_str()))
        .chain(
            site.pages
                .iter()
                .map(|entry| (&entry.page.source, entry.path.as_str())),
        )
        .filter(|(source, _)| load::bundle::is_bundle(source))
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
            Some(theme::Asset {
                path: format!("{site_path}{}", inside.join("/")),
                bytes: file.bytes,
            })
        })
        .collect()
}

/// Adds the files made from the rendered pages: the sitemap and robots.txt, the feeds, and
/// the search index. Only a build that writes needs them, so `prepare` (and so `check` and
/// the preview of `serve`) leaves them out; the search index is the slowest stage of all.
fn publish(rendered: &mut Rendered) -> Result<(), Vec<Diagnostic>> {
    let site = &rendered.site;
    let syndication = syndication(site, rendered.pages.iter().map(|p| p.path.as_str()));
    #[cfg(feature = "search")]
    if site.config.search {
        let index = search::index(site, &rendered.pages).map_err(|d| vec![d])?;
        rendered.pages.extend(index);
    }
    rendered.pages.extend(syndication);
    Ok(())
}

/// The files that tell other programs about the site: the feeds, the sitemap and
/// robots.txt, for the rendered pages at the output paths `pages`. Cheap enough for the
/// preview to make on every rebuild, unlike the search index.
pub fn syndication<'a>(site: &Site, pages: impl IntoIterator<Item = &'a str>) -> Vec<OutputFile> {
    let mut files = sitemap::sitemap(site, pages);
    files.extend(feed::feeds(site));
    files
}

/// The parsed documents of a site, each with its rendered body when one is already known
/// (a long-running preview keeps them between builds; a build starts with none).
#[derive(Debug, Default)]
pub struct Documents {
    /// Briefings, drafts included until [`plan`] leaves them out.
    pub briefings: Vec<(Briefing, Option<Article>)>,
    /// Term pages.
    pub term_pages: Vec<(TermPage, Option<Article>)>,
    /// Standalone pages.
    pub pages: Vec<(Page, Option<Article>)>,
    /// The files of bundles and `static/` that bodies may point at; `None` leaves local
    /// links and images as written, unchecked.
    pub media: Option<Media>,
    /// Drafts that [`plan`] left out of this build.
    pub drafts: Vec<Briefing>,
}

/// Stage 2: every source parsed, in parallel; the problems of broken files go to `errors`.
pub fn parse(
    sources: &Sources,
    taxonomies: &[TaxonomyKind],
    errors: &mut Vec<Diagnostic>,
) -> Documents {
    let parsed_briefings: Vec<Result<Briefing, Vec<Diagnostic>>> = sources
        .briefings
        .par_iter()
        .map(|source| load::parse_briefing_with(source, taxonomies))
        .collect();
    let parsed_pages: Vec<Result<TermPage, Vec<Diagnostic>>> = sources
        .term_pages
        .par_iter()
        .map(|(kind, source)| load::parse_term_page(*kind, source))
        .collect();
    let parsed_pages_of_site: Vec<Result<Page, Vec<Diagnostic>>> =
        sources.pages.par_iter().map(load::parse_page).collect();
    let pages = collect(parsed_pages_of_site, errors)
        .into_iter()
        .map(|p| (p, None))
        .collect();
    let briefings = collect(parsed_briefings, errors)
        .into_iter()
        .map(|b| (b, None))
        .collect();
    let term_pages = collect(parsed_pages, errors)
        .into_iter()
        .map(|p| (p, None))
        .collect();
    Documents {
        briefings,
        term_pages,
        pages,
        media: Some(Media::new(&sources.files, sources.statics.clone())),
        drafts: Vec::new(),
    }
}

/// Stage 3: drafts moved aside unless asked for, and the site path of every page planned.
pub fn plan(options: &BuildOptions, documents: &mut Documents) -> Result<Routes, Vec<Diagnostic>> {
    set_drafts_aside(options, documents);
    plan_routes(documents)
}

/// Moves drafts from `briefings` to `drafts`, unless the build includes them.
pub fn set_drafts_aside(options: &BuildOptions, documents: &mut Documents) {
    if options.drafts || !documents.briefings.iter().any(|(b, _)| b.draft) {
        return;
    }
    let (drafts, briefings): (Vec<_>, Vec<_>) = std::mem::take(&mut documents.briefings)
        .into_iter()
        .partition(|(b, _)| b.draft);
    documents.briefings = briefings;
    documents.drafts.extend(drafts.into_iter().map(|(b, _)| b));
}

/// The site path of every page, once drafts are set aside; duplicate slugs are errors.
pub fn plan_routes(documents: &Documents) -> Result<Routes, Vec<Diagnostic>> {
    let drafts: Vec<PathBuf> = documents.drafts.iter().map(|b| b.source.clone()).collect();
    let briefings = documents.briefings.iter().map(|(b, _)| b);
    let term_pages = documents.term_pages.iter().map(|(p, _)| p);
    let pages = documents.pages.iter().map(|(p, _)| p);
    let (routes, mut errors) = routes::plan(briefings, term_pages, pages, &drafts);
    stop_on_errors(&mut errors)?;
    Ok(routes)
}

/// Term pages with their rendered descriptions.
pub type DescribedTermPages = Vec<(TermPage, Article)>;

/// Stage 4: bodies rendered (those not already known), then the site indexed. Returns the
/// term pages with their rendered descriptions too (the site keeps only the descriptions).
pub fn index(
    options: &BuildOptions,
    config: Config,
    documents: Documents,
    routes: &Routes,
) -> Result<(Site, DescribedTermPages), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let prefix = config.base_url.path.clone();
    let links = Linking {
        routes,
        prefix: &prefix,
        media: documents.media.as_ref(),
    };
    let briefings = render_bodies(
        documents.briefings,
        |b| (&b.body, &b.source),
        &links,
        &mut errors,
    );
    let term_pages = render_bodies(
        documents.term_pages,
        |p| (&p.body, &p.source),
        &links,
        &mut errors,
    );
    let pages = render_bodies(
        documents.pages,
        |p| (&p.body, &p.source),
        &links,
        &mut errors,
    );
    stop_on_errors(&mut errors)?;
    let (site, index_errors) = index::index(config, briefings, &term_pages, pages, options.today);
    errors.extend(index_errors);
    stop_on_errors(&mut errors)?;
    Ok((site, term_pages))
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

fn collect<T>(results: Vec<Result<T, Vec<Diagnostic>>>, errors: &mut Vec<Diagnostic>) -> Vec<T> {
    let mut values = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(found) => errors.extend(found),
        }
    }
    values
}

fn stop_on_errors(errors: &mut Vec<Diagnostic>) -> Result<(), Vec<Diagnostic>> {
    if errors.iter().any(|d| d.severity == Severity::Error) {
        diagnostic::sort(errors);
        return Err(std::mem::take(errors));
    }
    Ok(())
}

/// What every body of a site is rendered against.
struct Linking<'a> {
    routes: &'a Routes,
    prefix: &'a str,
    media: Option<&'a Media>,
}

/// Renders the Markdown body of each document that has none yet, in parallel, keeping the
/// input order.
fn render_bodies<T: Sync + Send>(
    documents: Vec<(T, Option<Article>)>,
    body_of: impl Fn(&T) -> (&load::Body, &PathBuf) + Sync,
    links: &Linking,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(T, Article)> {
    let documents: Vec<(T, Result<Article, Vec<Diagnostic>>)> = documents
        .into_par_iter()
        .map(|(document, known)| {
            let article = known.map(Ok).unwrap_or_else(|| {
                let (body, source) = body_of(&document);
                let context = LinkContext {
                    source,
                    routes: links.routes,
                    prefix: links.prefix,
                    media: links.media,
                };
                markdown::render(body, &context)
            });
            (document, article)
        })
        .collect();
    let mut rendered = Vec::with_capacity(documents.len());
    for (document, article) in documents {
        match article {
            Ok(article) => rendered.push((document, article)),
            Err(found) => errors.extend(found),
        }
    }
    rendered
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

/// Runs every stage up to rendering, templates included, and writes nothing. With `strict`,
/// warnings count as errors.
pub fn check(options: &BuildOptions, strict: bool) -> CheckReport {
    let (mut diagnostics, files_read, drafts_left_out) = match prepare(options) {
        Ok(rendered) => (
            rendered.warnings,
            rendered.files_read,
            rendered.drafts_left_out,
        ),
        // Drafts are parsed before the stage that failed, so their errors are in.
        Err(rejected) => (rejected.diagnostics, rejected.files_read, 0),
    };
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
