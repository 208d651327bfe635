//! Rendering the indexed site into pages in memory with Tera: the view structs that templates
//! see (their fields are the theme's contract), and one function per kind of page.
//!
//! Rendering never reads the disk: templates arrive loaded (`theme`), and pages leave as
//! bytes for `output` to write.

pub mod archive;
pub mod chart;
pub mod feed;
pub(crate) mod jobs;
pub mod metadata;
mod opendata;
mod page;
mod records;
pub mod redirect;
mod search;
pub mod sitemap;
mod templates;
pub mod xml;

use crate::index::routes::NOT_FOUND_PATH;
pub use jobs::{Job, home_page_count, jobs};
pub use records::{ListOrder, RELATED, SATELLITE_MENTIONS};
pub use templates::{Templates, compile};

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
mod context;

pub use context::{PageContext, print_bytes};
use context::{Part, PartPrints, PerBriefing};

use crate::diagnostic::Diagnostic;
use crate::index::markdown::{Article, Heading};
use crate::index::reads::{self, Reads};
use crate::index::record;
use crate::index::routes;
use crate::index::taxonomy::{Taxonomy, Term};
use crate::index::{Entry, Site};
use crate::load::Extra;
use crate::load::i18n::Strings;
use crate::vocabulary::Outcome;
use crate::vocabulary::TaxonomyKind;

/// A briefing with fewer headings than this gets no table of contents: a short one reads
/// faster without.
pub const TOC_MIN_HEADINGS: usize = 3;

/// The `extra` of pages that have none of their own.
static NO_EXTRA: std::sync::LazyLock<Extra> = std::sync::LazyLock::new(Extra::default);

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path in the output folder, with `/` separators (`rockets/h3/index.html`).
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

// ---- The views: what templates see -------------------------------------------------------

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    root: &'a str,
    extra: &'a Extra,
}

#[derive(Clone, Serialize)]
struct NavLink {
    title: String,
    url: String,
    current: bool,
}

/// When a header link is the current page's.
enum NavCurrent {
    /// On the home page.
    Home,
    /// On the pages of a taxonomy.
    Section(TaxonomyKind),
    /// On this site path and the pages under it.
    Under(&'static str),
    /// On this site path alone.
    At(String),
}

impl NavCurrent {
    fn holds(&self, site_path: &str, section: Option<TaxonomyKind>) -> bool {
        match self {
            NavCurrent::Home => site_path.is_empty(),
            NavCurrent::Section(kind) => section == Some(*kind),
            NavCurrent::Under(path) => site_path.starts_with(path),
            NavCurrent::At(path) => site_path == path,
        }
    }
}

#[derive(Serialize)]
pub(crate) struct PageMeta<'a> {
    title: String,
    url: String,
    description: String,
    /// The absolute URL (canonical link, OpenGraph).
    permalink: String,
    /// A standalone page's `extra` (empty on other pages).
    pub(crate) extra: &'a Extra,
    /// The image for link previews (`og:image`), absolute.
    pub(crate) image: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct DateView {
    machine: String,
    display: String,
    year: i16,
    /// For a date with a time: the launch time in UTC (`13:42 UTC`).
    time_utc: Option<String>,
    /// For a date with a time: the UTC day and time (`21 November 2023, 13:42 UTC`).
    display_utc: Option<String>,
    /// For a date with a time: the instant in UTC, for `<time datetime>`.
    machine_utc: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct OutcomeView {
    key: &'static str,
    label: String,
}

#[derive(Serialize, Clone)]
struct TermLink {
    name: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct CountedTermLink {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
pub(crate) struct BriefingCard<'a> {
    title: &'a str,
    url: String,
    date: DateView,
    outcome: Option<OutcomeView>,
    upcoming: bool,
    draft: bool,
    summary: &'a str,
    rockets: Vec<TermLink>,
    countries: Vec<TermLink>,
    launched_by: Option<TermLink>,
}

#[derive(Serialize)]
struct CitationView<'a> {
    title: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct BriefingView<'a> {
    #[serde(flatten)]
    card: OwnCard<'a>,
    /// The body's HTML; its print where only prints are taken (see [`Renderer::body`]).
    content: PerBriefing<&'a str>,
    /// Its headings of levels 2 and 3 when it has three or more (else empty).
    toc: &'a [Heading],
    satellites: &'a [String],
    tags: &'a [String],
    sources: Vec<CitationView<'a>>,
    /// Each satellite with the other briefings that name it.
    satellite_links: Vec<records::SatelliteLink>,
    /// Whether another briefing names one of its satellites.
    satellites_elsewhere: bool,
    extra: &'a Extra,
    /// The terms of each taxonomy `site.yaml` declares, where the briefing names some.
    taxonomies: Vec<DeclaredTerms>,
}

/// A briefing's card on its own page, whose fields the page's view takes as its own; where
/// only prints are taken, the card's print (a field of its own, since a view can only take
/// the fields of a map).
#[derive(Serialize)]
#[serde(untagged)]
enum OwnCard<'a> {
    View(Box<BriefingCard<'a>>),
    Print { card_print: u64 },
}

#[derive(Serialize)]
struct DeclaredTerms {
    name: &'static str,
    title: String,
    singular: String,
    terms: Vec<TermLink>,
}

#[derive(Serialize)]
struct Neighbour<'a> {
    title: &'a str,
    url: String,
    date: DateView,
}

#[derive(Serialize)]
struct TaxonomyView {
    name: &'static str,
    title: String,
    singular: String,
}

#[derive(Serialize)]
struct TermSummary {
    name: String,
    url: String,
    count: usize,
    country: Option<TermLink>,
    /// Rockets and countries: the launch record.
    record: Option<records::RecordView>,
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    url: String,
    description: Option<&'a str>,
    aliases: &'a [String],
    count: usize,
    country: Option<TermLink>,
    rockets: Vec<CountedTermLink>,
    /// Rockets and countries: the launch record, its charts and tables.
    record: Option<records::RecordPage>,
    extra: &'a Extra,
}

#[derive(Serialize)]
struct PageNumber {
    number: usize,
    url: String,
    current: bool,
    /// Stands for the pages left out between its neighbours (shown as `…`).
    gap: bool,
}

/// Where a page stands in a paginated list, for its pager and its "101–200 of 3345".
#[derive(Serialize)]
pub(crate) struct Pagination {
    current: usize,
    total: usize,
    previous_url: Option<String>,
    next_url: Option<String>,
    /// The first and last pages, and those around the current one, with gaps between:
    /// a pager with a link to every page would grow with the archive on every page.
    pages: Vec<PageNumber>,
    /// The position (from 1) of the first and last item this page lists, and how many
    /// items the whole list has.
    first_item: usize,
    last_item: usize,
    items: usize,
}

/// How many pages on each side of the current one the pager links to.
const PAGER_REACH: usize = 2;

/// The page numbers a pager shows: 1, the last, and those within [`PAGER_REACH`] of
/// `current`; `None` where pages are left out. A gap of a single page shows that page.
fn pager_numbers(current: usize, total: usize) -> Vec<Option<usize>> {
    let near = |n: usize| n == 1 || n == total || n.abs_diff(current) <= PAGER_REACH;
    let shown = |n: usize| near(n) || (n > 1 && n < total && near(n - 1) && near(n + 1));
    let mut numbers = Vec::new();
    for n in 1..=total {
        if shown(n) {
            numbers.push(Some(n));
        } else if numbers.last() != Some(&None) {
            numbers.push(None);
        }
    }
    numbers
}

// ---- Rendering ---------------------------------------------------------------------------

/// The output path of every file a build of `site` makes from its content, without making
/// them: its pages, feeds, sitemap and robots.txt (the theme's files and the search index
/// aside). What root-relative links in bodies may name.
pub fn output_paths(site: &Site) -> Vec<String> {
    let mut paths: Vec<String> = jobs(site).iter().map(|job| job.path(site)).collect();
    paths.extend(feed::paths(site));
    paths.extend(sitemap::PATHS.iter().map(|path| (*path).to_owned()));
    paths
}

/// Renders every page of `site`.
pub fn render_site(site: &Site, templates: &Templates) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_jobs(site, templates, &jobs(site))
}

/// Renders the pages of `jobs` (made by [`jobs`] from the same site), in parallel.
pub fn render_jobs(
    site: &Site,
    templates: &Templates,
    jobs: &[Job],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_each(site, templates, jobs, |file| file)
}

/// A page's print (see [`prints`]) and the briefings its view was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Print {
    /// The page's output path.
    pub path: String,
    /// The hash of everything its template sees.
    pub print: u64,
    /// The briefings read to make what its template sees.
    pub reads: Reads,
}

impl Print {
    /// The print of a file made without a template (a data file, a feed), by its bytes.
    pub fn of_file(file: &OutputFile, reads: Reads) -> Print {
        Print {
            path: file.path.clone(),
            print: context::print_bytes(&file.bytes),
            reads,
        }
    }
}

/// The print of every page of `jobs`: a hash of everything its template would see (the
/// template's name and its whole context) or, for data files, of the file itself. Two
/// builds give a page the same print exactly when the page would come out the same, so
/// the preview re-renders the pages whose print changed and no others. Each print comes
/// with the briefings it was made from, so that the next print pass can skip the pages none
/// of whose briefings changed.
pub fn prints(
    site: &Site,
    templates: &Templates,
    jobs: &[Job],
) -> Result<Vec<Print>, Vec<Diagnostic>> {
    let renderer = Renderer::new(site, templates, Mode::Print);
    // A page is made on one thread, as noting its reads requires.
    let results: Vec<Result<Print, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let (made, reads) = reads::noting(|| renderer.render(job));
            made.map(|made| match made {
                Made::Print { path, print } => Print { path, print, reads },
                Made::File(file) => Print::of_file(&file, reads),
            })
        })
        .collect();
    let mut made = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(print) => made.push(print),
            Err(diagnostic) if !diagnostics.contains(&diagnostic) => diagnostics.push(diagnostic),
            Err(_) => {}
        }
    }
    if diagnostics.is_empty() {
        Ok(made)
    } else {
        Err(diagnostics)
    }
}

/// Whether a [`Renderer`] runs templates or only takes the print of what they would see.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Render,
    Print,
}

/// One job done: the file, or only its print (see [`prints`]).
pub(crate) enum Made {
    File(OutputFile),
    Print { path: String, print: u64 },
}

impl Made {
    /// The file made, when the job was rendered (not only printed).
    fn file(self) -> Option<OutputFile> {
        match self {
            Made::File(file) => Some(file),
            Made::Print { .. } => None,
        }
    }
}

/// Renders the pages of `jobs` in parallel and hands each to `sink` as soon as it is made,
/// so that a page can be written and dropped rather than held until every page is done.
/// Returns what `sink` returned, in the order of `jobs`, or every rendering error.
pub fn render_each<T: Send>(
    site: &Site,
    templates: &Templates,
    jobs: &[Job],
    sink: impl Fn(OutputFile) -> T + Sync,
) -> Result<Vec<T>, Vec<Diagnostic>> {
    let renderer = Renderer::new(site, templates, Mode::Render);
    let results: Vec<Result<Option<T>, Diagnostic>> = jobs
        .par_iter()
        .map(|job| renderer.render(job).map(|made| made.file().map(&sink)))
        .collect();
    let mut done = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(value) => done.extend(value),
            Err(diagnostic) if !diagnostics.contains(&diagnostic) => diagnostics.push(diagnostic),
            Err(_) => {}
        }
    }
    if diagnostics.is_empty() {
        Ok(done)
    } else {
        Err(diagnostics)
    }
}

/// Renders one page at a time; the modules of other kinds of pages (`archive`, `search`)
/// render through it so that every page shares the same context.
pub(crate) struct Renderer<'a> {
    pub(crate) site: &'a Site,
    templates: &'a Templates,
    mode: Mode,
    /// In print mode: the prints of each briefing's parts, shared by every page.
    parts: Option<PartPrints>,
    /// The header links, made once for every page (which one is current varies), with the
    /// briefings they were made from.
    nav: OnceLock<(Vec<(NavLink, NavCurrent)>, Reads)>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, templates: &'a Templates, mode: Mode) -> Self {
        Renderer {
            site,
            templates,
            mode,
            parts: (mode == Mode::Print).then(|| PartPrints::new(site.briefing_count())),
            nav: OnceLock::new(),
        }
    }

    /// A part of a page that depends on briefing `index` alone: made by `make`, or in print
    /// mode its print, made once for every page that shows it.
    fn per_briefing<T: Serialize>(
        &self,
        index: usize,
        part: Part,
        make: impl FnOnce() -> T,
    ) -> PerBriefing<T> {
        match &self.parts {
            Some(parts) => PerBriefing::Print(parts.get(index, part, make)),
            None => PerBriefing::View(make()),
        }
    }

    /// `value` as `view` makes it for a template, or in print mode only its print.
    fn view_or_print<T: Serialize>(
        &self,
        value: &T,
        view: impl FnOnce(&T) -> String,
    ) -> PerBriefing<String> {
        match self.mode {
            Mode::Render => PerBriefing::View(view(value)),
            Mode::Print => PerBriefing::Print(context::print_of(value)),
        }
    }

    /// The HTML of a body, or in print mode its print. A body is the largest value a page
    /// shows, and the same between rebuilds unless its file changed: the print is kept with
    /// the body, so that only edited bodies are hashed again.
    fn body(&self, article: &'a Article) -> PerBriefing<&'a str> {
        match self.mode {
            Mode::Render => PerBriefing::View(&article.html),
            Mode::Print => PerBriefing::Print(
                article
                    .html_print
                    .get_or_init(|| context::print_of(&article.html)),
            ),
        }
    }

    fn render(&self, job: &Job) -> Result<Made, Diagnostic> {
        match *job {
            Job::Home(number) => self.home(number),
            Job::Briefing(index) => self.briefing(index),
            Job::TermList(kind, order) => self.term_list(self.taxonomy(kind), order),
            Job::Term(kind, index, page) => {
                self.term(self.taxonomy(kind), &self.taxonomy(kind).terms[index], page)
            }
            Job::RecordJson(kind, index) => self
                .record_json(kind, &self.taxonomy(kind).terms[index])
                .map(Made::File),
            Job::RecordsCsv(kind) => self.records_csv(self.taxonomy(kind)).map(Made::File),
            Job::NotFound => self.not_found(),
            Job::Archive => archive::archive_page(self),
            Job::ArchiveYear(year, page) => archive::year_page(self, year, page),
            Job::Search => search::search_page(self),
            Job::Page(index) => page::standalone(self, index),
            Job::Redirect(index) => Ok(Made::File(redirect::page(self.site, index))),
            Job::File(index) => {
                let file = &self.site.files[index];
                Ok(Made::File(OutputFile {
                    path: file.path.clone(),
                    bytes: file.bytes.clone(),
                }))
            }
        }
    }

    fn taxonomy(&self, kind: TaxonomyKind) -> &'a Taxonomy {
        self.site
            .taxonomy(kind)
            .expect("jobs are made from the site's own taxonomies")
    }

    pub(crate) fn link(&self, site_path: &str) -> String {
        self.site.config.base_url.link(site_path)
    }

    /// The context every page shares, with the page's own title and description.
    pub(crate) fn context(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
        section: Option<TaxonomyKind>,
    ) -> PageContext {
        let config = &self.site.config;
        let mut context = PageContext::new(self.mode == Mode::Print);
        context.insert(
            "site",
            &SiteView {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                root: &config.base_url.path,
                extra: &config.extra,
            },
        );
        let (nav, made_from) = self.nav.get_or_init(|| reads::noting(|| self.nav_links()));
        reads::replay(made_from);
        let nav: Vec<NavLink> = nav
            .iter()
            .map(|(link, current)| NavLink {
                current: current.holds(site_path, section),
                ..link.clone()
            })
            .collect();
        context.insert("nav", &nav);
        context.insert("page", &self.page_meta(site_path, title, description));
        context.insert("feeds", &metadata::feed_links(self.site, None));
        context.insert("article", &None::<metadata::ArticleMeta>);
        context.insert("noindex", &false);
        context
    }

    /// The header links: home, the taxonomies, the archive and search, the menu's pages.
    fn nav_links(&self) -> Vec<(NavLink, NavCurrent)> {
        let link = |title: String, path: &str| NavLink {
            title,
            url: self.link(path),
            current: false,
        };
        let mut nav = vec![(
            link(self.strings().get("home").to_owned(), ""),
            NavCurrent::Home,
        )];
        nav.extend(self.site.taxonomies.iter().map(|t| {
            (
                link(self.taxonomy_title(t.kind), &routes::taxonomy_path(t.kind)),
                NavCurrent::Section(t.kind),
            )
        }));
        nav.extend(
            metadata::nav_links(self.site)
                .into_iter()
                .map(|(key, path, under)| {
                    let current = if under {
                        NavCurrent::Under(path)
                    } else {
                        NavCurrent::At(path.to_owned())
                    };
                    (link(self.strings().get(key).to_owned(), path), current)
                }),
        );
        nav.extend(page::menu(self.site).into_iter().map(|entry| {
            (
                link(entry.page.title.clone(), &entry.path),
                NavCurrent::At(entry.path.clone()),
            )
        }));
        nav
    }

    /// What `page` tells templates about the page being rendered.
    pub(crate) fn page_meta(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
    ) -> PageMeta<'a> {
        let config = &self.site.config;
        let description = if description.is_empty() {
            &config.description
        } else {
            description
        };
        PageMeta {
            title: title.to_owned(),
            url: self.link(site_path),
            description: description.to_owned(),
            permalink: config.base_url.permalink(site_path),
            extra: &NO_EXTRA,
            image: None,
        }
    }

    /// The absolute URL of the first image of `article`, for link previews (`og:image`).
    pub(crate) fn preview_image(&self, article: &Article) -> Option<String> {
        let first = article.images.first()?;
        if first.starts_with("https://") || first.starts_with("http://") {
            return Some(first.clone());
        }
        // Local images are paths from the output root; others (`data:`...) make no preview.
        (!first.contains(':')).then(|| self.site.config.base_url.permalink(first))
    }

    pub(crate) fn finish(
        &self,
        template: &str,
        site_path: &str,
        context: &PageContext,
    ) -> Result<Made, Diagnostic> {
        self.made(template, format!("{site_path}index.html"), context)
    }

    /// The page at output path `path`: `template` rendered with `context`, or its print.
    fn made(
        &self,
        template: &str,
        path: String,
        context: &PageContext,
    ) -> Result<Made, Diagnostic> {
        if let Some(print) = context.print(template) {
            return Ok(Made::Print { path, print });
        }
        let html = self.templates.render(template, context.tera())?;
        Ok(Made::File(OutputFile {
            path,
            bytes: html.into_bytes(),
        }))
    }

    /// The pager of page `current` of `total`, over a list of `items` items of which the
    /// page shows `shown`; `url` gives the link of each page number.
    pub(crate) fn pagination(
        &self,
        current: usize,
        total: usize,
        shown: std::ops::Range<usize>,
        items: usize,
        url: impl Fn(usize) -> String,
    ) -> Pagination {
        Pagination {
            current,
            total,
            previous_url: (current > 1).then(|| url(current - 1)),
            next_url: (current < total).then(|| url(current + 1)),
            pages: pager_numbers(current, total)
                .into_iter()
                .map(|n| match n {
                    Some(number) => PageNumber {
                        number,
                        url: url(number),
                        current: number == current,
                        gap: false,
                    },
                    None => PageNumber {
                        number: 0,
                        url: String::new(),
                        current: false,
                        gap: true,
                    },
                })
                .collect(),
            first_item: shown.start + 1,
            last_item: shown.end,
            items,
        }
    }

    fn term_link(&self, kind: TaxonomyKind, name: &str) -> TermLink {
        match self.site.taxonomy(kind).and_then(|t| t.resolve(name)) {
            Some(term) => TermLink {
                name: term.name.clone(),
                url: Some(self.link(&routes::term_path(kind, &term.slug))),
            },
            None => TermLink {
                name: name.to_owned(),
                url: None,
            },
        }
    }

    fn term_links(&self, kind: TaxonomyKind, names: &[String]) -> Vec<TermLink> {
        let mut links: Vec<TermLink> = Vec::new();
        for name in names {
            let link = self.term_link(kind, name);
            if !links.iter().any(|l| l.url.is_some() && l.url == link.url) {
                links.push(link);
            }
        }
        links
    }

    pub(crate) fn strings(&self) -> &'a Strings {
        &self.site.config.strings
    }

    /// `text` (a title or a description) of page `number` of `total`, in the site's language
    /// (`key` is `title_page` or `description_page`).
    pub(crate) fn paged(&self, key: &str, text: &str, number: usize, total: usize) -> String {
        self.strings().counted(
            key,
            number as i64,
            &[("text", text), ("total", &total.to_string())],
        )
    }

    /// A taxonomy's name in the site's language (`Rockets`, `Fusées`).
    pub(crate) fn taxonomy_title(&self, kind: TaxonomyKind) -> String {
        // A declared taxonomy is named in site.yaml, in the site's own language.
        if let TaxonomyKind::Declared(declaration) = kind {
            return declaration.title.clone();
        }
        self.strings().get(kind.name()).to_owned()
    }

    /// What one term of a taxonomy is called (`Rocket`).
    pub(crate) fn taxonomy_singular(&self, kind: TaxonomyKind) -> String {
        if let TaxonomyKind::Declared(declaration) = kind {
            return declaration.singular.clone();
        }
        self.strings()
            .get(&format!("{}_one", kind.name()))
            .to_owned()
    }

    pub(crate) fn outcome(&self, outcome: Outcome) -> OutcomeView {
        OutcomeView {
            key: outcome.key(),
            label: self
                .strings()
                .get(&format!("outcome_{}", outcome.key()))
                .to_owned(),
        }
    }

    pub(crate) fn date(&self, entry: &Entry) -> DateView {
        let date = &entry.briefing.date;
        let strings = self.strings();
        let utc = date.utc();
        DateView {
            machine: date.machine(),
            display: strings.day(date.day()),
            year: date.year(),
            time_utc: utc.map(|at| strings.time_utc(at.time())),
            display_utc: utc.map(|at| strings.day_and_time_utc(at.date(), at.time())),
            machine_utc: utc.map(|at| format!("{}Z", at.strftime("%Y-%m-%dT%H:%M:%S"))),
        }
    }

    fn card(&self, entry: &'a Entry) -> BriefingCard<'a> {
        let briefing = &entry.briefing;
        BriefingCard {
            title: &briefing.title,
            url: self.link(&entry.path),
            date: self.date(entry),
            outcome: briefing.outcome.map(|o| self.outcome(o)),
            upcoming: entry.upcoming,
            draft: briefing.draft,
            summary: entry.summary(),
            rockets: self.term_links(TaxonomyKind::Rockets, &briefing.rockets),
            countries: self.term_links(TaxonomyKind::Countries, &briefing.countries),
            launched_by: briefing
                .launched_by
                .as_deref()
                .map(|name| self.term_link(TaxonomyKind::Countries, name)),
        }
    }

    pub(crate) fn cards(
        &self,
        indices: impl IntoIterator<Item = usize>,
    ) -> Vec<PerBriefing<BriefingCard<'a>>> {
        indices
            .into_iter()
            .map(|i| self.per_briefing(i, Part::Card, || self.card(self.site.entry(i))))
            .collect()
    }

    fn home(&self, number: usize) -> Result<Made, Diagnostic> {
        let per_page = self.site.config.paginate.max(1);
        let total = home_page_count(self.site);
        let start = (number - 1) * per_page;
        let end = (start + per_page).min(self.site.briefing_count());
        let site_path = routes::home_page_path(number);
        let title = if number == 1 {
            self.site.config.title.clone()
        } else {
            self.strings().counted(
                "latest_briefings_page",
                number as i64,
                &[("total", &total.to_string())],
            )
        };
        let mut context = self.context(&site_path, &title, "", None);
        context.insert("briefings", &self.cards(start..end));
        let page_url = |n: usize| self.link(&routes::home_page_path(n));
        let pagination = self.pagination(
            number,
            total,
            start..end,
            self.site.briefing_count(),
            page_url,
        );
        context.insert("pagination", &pagination);
        self.finish("index.html", &site_path, &context)
    }

    fn neighbour(&self, index: usize) -> Option<PerBriefing<Neighbour<'a>>> {
        let entry = self.site.get(index)?;
        Some(self.per_briefing(index, Part::Neighbour, || Neighbour {
            title: &entry.briefing.title,
            url: self.link(&entry.path),
            date: self.date(entry),
        }))
    }

    fn briefing(&self, index: usize) -> Result<Made, Diagnostic> {
        let entry = self.site.entry(index);
        let briefing = &entry.briefing;
        let mut context = self.context(&entry.path, &briefing.title, entry.summary(), None);
        let meta = PageMeta {
            image: self.preview_image(&entry.article),
            ..self.page_meta(&entry.path, &briefing.title, entry.summary())
        };
        context.insert("page", &meta);
        let satellite_links = self.satellite_links(index, true);
        let view = BriefingView {
            card: match self.per_briefing(index, Part::Card, || self.card(entry)) {
                PerBriefing::View(card) => OwnCard::View(Box::new(card)),
                PerBriefing::Print(card_print) => OwnCard::Print { card_print },
            },
            content: self.body(&entry.article),
            toc: if entry.article.outline.len() >= TOC_MIN_HEADINGS {
                &entry.article.outline
            } else {
                &[]
            },
            satellites: &briefing.satellites,
            tags: &briefing.tags,
            sources: briefing
                .sources
                .iter()
                .map(|c| CitationView {
                    title: &c.title,
                    url: c.url.as_deref(),
                })
                .collect(),
            satellites_elsewhere: satellite_links
                .iter()
                .any(records::SatelliteLink::is_elsewhere),
            satellite_links,
            extra: &briefing.extra,
            taxonomies: self.declared_terms(briefing),
        };
        context.insert("briefing", &view);
        context.insert(
            "article",
            &metadata::article(
                self.site,
                entry,
                self.view_or_print(
                    &metadata::news_article(self.site, entry),
                    metadata::script_safe,
                ),
            ),
        );
        context.insert("related", &self.related(index));
        // The list is newest first: the older briefing comes after this one.
        context.insert("previous", &self.neighbour(index + 1));
        context.insert(
            "next",
            &index.checked_sub(1).and_then(|i| self.neighbour(i)),
        );
        self.finish("briefing.html", &entry.path, &context)
    }

    fn declared_terms(&self, briefing: &crate::load::Briefing) -> Vec<DeclaredTerms> {
        briefing
            .declared
            .iter()
            .filter(|(kind, names)| !names.is_empty() && self.site.taxonomy(*kind).is_some())
            .map(|(kind, names)| DeclaredTerms {
                name: kind.name(),
                title: self.taxonomy_title(*kind),
                singular: self.taxonomy_singular(*kind),
                terms: self.term_links(*kind, names),
            })
            .collect()
    }

    fn taxonomy_view(&self, kind: TaxonomyKind) -> TaxonomyView {
        TaxonomyView {
            name: kind.name(),
            title: self.taxonomy_title(kind),
            singular: self.taxonomy_singular(kind),
        }
    }

    fn country_link(&self, term: &Term) -> Option<TermLink> {
        let slug = term.country.as_deref()?;
        let country = self.site.taxonomy(TaxonomyKind::Countries)?.get(slug)?;
        Some(TermLink {
            name: country.name.clone(),
            url: Some(self.link(&routes::term_path(TaxonomyKind::Countries, slug))),
        })
    }

    fn term_list(
        &self,
        taxonomy: &'a Taxonomy,
        order: records::ListOrder,
    ) -> Result<Made, Diagnostic> {
        let kind = taxonomy.kind;
        let site_path = order.path(kind);
        let keeps_records = record::keeps_records(kind);
        let strings = self.strings();
        let noun = self.taxonomy_singular(kind).to_lowercase();
        let (title, description) = if keeps_records {
            let title = match order {
                records::ListOrder::Name => self.taxonomy_title(kind),
                _ => format!(
                    "{}, {}",
                    self.taxonomy_title(kind),
                    strings.get(order.caption())
                ),
            };
            let description = strings.fill("term_list_description_records", &[("noun", &noun)]);
            (title, description)
        } else {
            let description = strings.fill("term_list_description", &[("noun", &noun)]);
            (self.taxonomy_title(kind), description)
        };
        let mut context = self.context(&site_path, &title, &description, Some(kind));
        let terms: Vec<TermSummary> = self
            .ordered_terms(taxonomy, order)
            .into_iter()
            .map(|term| TermSummary {
                name: term.name.clone(),
                url: self.link(&routes::term_path(kind, &term.slug)),
                count: term.briefings.len(),
                country: self.country_link(term),
                record: self
                    .site
                    .records
                    .get(kind, &term.slug)
                    .map(|r| self.record_view(r)),
            })
            .collect();
        context.insert("taxonomy", &self.taxonomy_view(kind));
        context.insert("terms", &terms);
        if keeps_records {
            context.insert("orders", &self.order_links(kind, order));
            context.insert("order_caption", strings.get(order.caption()));
            context.insert("records_csv", &self.link(&routes::records_csv_path(kind)));
        }
        self.finish("term_list.html", &site_path, &context)
    }

    /// Page `number` of a term: the first carries the header, record, description and
    /// charts; every page lists its share of the briefings (or of the launch history).
    fn term(&self, taxonomy: &Taxonomy, term: &'a Term, number: usize) -> Result<Made, Diagnostic> {
        let kind = taxonomy.kind;
        let total = jobs::term_page_count(term);
        let count = term.briefings.len();
        let shown = jobs::list_page_range(count, number);
        let site_path = routes::term_page_path(kind, &term.slug, number);
        let mut description = self.strings().counted(
            "term_description",
            count as i64,
            &[
                ("kind", &self.taxonomy_singular(kind)),
                ("name", &term.name),
            ],
        );
        let title = if number == 1 {
            term.name.clone()
        } else {
            description = self.paged("description_page", &description, number, total);
            self.paged("title_page", &term.name, number, total)
        };
        let mut context = self.context(&site_path, &title, &description, Some(kind));
        let rockets = match (kind, self.site.taxonomy(TaxonomyKind::Rockets)) {
            (TaxonomyKind::Countries, Some(rockets)) if number == 1 => rockets
                .by_name()
                .into_iter()
                .filter(|rocket| rocket.country.as_deref() == Some(term.slug.as_str()))
                .map(|rocket| CountedTermLink {
                    name: rocket.name.clone(),
                    url: self.link(&routes::term_path(TaxonomyKind::Rockets, &rocket.slug)),
                    count: rocket.briefings.len(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let view = TermView {
            name: &term.name,
            url: self.link(&routes::term_path(kind, &term.slug)),
            description: term.description.as_deref(),
            aliases: &term.aliases,
            count,
            country: self.country_link(term),
            rockets,
            record: self.record_page(kind, term, number, shown.clone()),
            extra: &term.extra,
        };
        context.insert("taxonomy", &self.taxonomy_view(kind));
        context.insert("term", &view);
        context.insert(
            "feeds",
            &metadata::feed_links(self.site, Some((kind, term))),
        );
        context.insert(
            "briefings",
            &self.cards(term.briefings[shown.clone()].iter().copied()),
        );
        let pagination = self.pagination(number, total, shown, count, |n| {
            self.link(&routes::term_page_path(kind, &term.slug, n))
        });
        context.insert("pagination", &pagination);
        self.finish("term.html", &site_path, &context)
    }

    fn not_found(&self) -> Result<Made, Diagnostic> {
        let title = self.strings().get("not_found_title");
        let mut context = self.context("404/", title, "", None);
        // Served at any missing address: it has no URL of its own to be found at.
        context.insert("noindex", &true);
        self.made("404.html", NOT_FOUND_PATH.to_owned(), &context)
    }
}
