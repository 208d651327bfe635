//! Loading: everything read from disk before anything is indexed. `site.yaml` ([`config`]),
//! the Markdown files of `content/` (discovery, here), their front matter ([`front_matter`],
//! through the one YAML module [`yaml`], with [`date`]s), and the theme's templates and assets
//! ([`theme`]).
//!
//! Discovery walks `content/briefings/**`, `content/<taxonomy>/*.md` and `content/pages/**`
//! (and notes the Markdown it does not read); `front_matter` and [`page`] turn each file into
//! a validated document ([`Briefing`], [`TermPage`], [`Page`]) or located diagnostics;
//! [`bundle`] reads the files beside a bundle's `index.md`.
//! This module never renders Markdown and never decides URLs beyond a document's slug.

pub mod bundle;
pub mod cache;
pub mod config;
pub mod date;
pub mod front_matter;
pub mod i18n;
pub mod page;
pub mod theme;
pub mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::date::LaunchDate;
use crate::vocabulary::{Outcome, TaxonomyKind};

pub use front_matter::{parse_briefing, parse_briefing_with, parse_term_page};
pub use page::{Page, parse_page};

/// The folder under the site root that holds all content.
pub const CONTENT_DIR: &str = "content";
/// The folder under `content/` that holds briefings, at any depth.
pub const BRIEFINGS_DIR: &str = "briefings";

/// The folder under `content/` that holds standalone pages (About, Methodology), at any depth.
pub const PAGES_DIR: &str = "pages";

/// The free mapping of `extra:` (front matter, `site.yaml`), handed to templates as is: the
/// one place where keys apogee does not know are allowed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Extra(pub serde_json::Map<String, serde_json::Value>);

// JSON values hold no NaN (serde_json turns a non-finite number into null), so equality is
// an equivalence.
impl Eq for Extra {}

/// Whether `root` looks like a site: it has a `site.yaml` (or a misnamed configuration file,
/// which loading then reports) or a `content/` folder. Anything else is a wrong folder, and
/// building it would make an empty site there.
pub fn is_site(root: &Path) -> bool {
    root.join(config::FILE_NAME).is_file()
        || root.join(CONTENT_DIR).is_dir()
        || config::misnamed(root).is_some()
}

/// One Markdown file, read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Relative to the site root (`content/briefings/2023/x.md`): shown in diagnostics.
    pub path: PathBuf,
    /// The text, BOM stripped and line endings normalised to `\n`; shared, since the
    /// preview's cache hands the same sources to every rebuild.
    pub text: std::sync::Arc<str>,
}

/// Every content file of a site, sorted by path.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    /// `content/briefings/**/*.md`.
    pub briefings: Vec<Source>,
    /// `content/<taxonomy>/*.md`, for each configured taxonomy.
    pub term_pages: Vec<(TaxonomyKind, Source)>,
    /// `content/pages/**/*.md`.
    pub pages: Vec<Source>,
    /// Markdown files under `content/` that no folder apogee reads holds (not read).
    pub stray: Vec<PathBuf>,
    /// The files of bundles (briefings and pages written as `<stem>/index.md`), by path.
    pub files: Vec<bundle::LocalFile>,
    /// The files of the site's `static/` folder, as paths from the output root, with the
    /// dimensions of the images among them.
    pub statics: std::collections::BTreeMap<String, Option<(u32, u32)>>,
}

/// A work cited by a briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Publisher and title, as the writer gave them.
    pub title: String,
    /// Where to read it, when known.
    pub url: Option<String>,
}

/// The Markdown body of a document and where it starts in its file.
#[derive(Debug, Clone)]
pub struct Body {
    /// The file's text, shared with its [`Source`] (a body is most of a file: it is not
    /// copied), and where the body starts in it.
    text: std::sync::Arc<str>,
    start: usize,
    /// The 1-based line of the file on which the body starts.
    pub first_line: usize,
}

impl Body {
    /// `markdown`, on line `first_line` of its file.
    pub fn new(markdown: &str, first_line: usize) -> Body {
        Body {
            text: markdown.into(),
            start: 0,
            first_line,
        }
    }

    /// The body of `text` from byte `start` (a character boundary), on line `first_line`.
    pub(crate) fn within(text: &std::sync::Arc<str>, start: usize, first_line: usize) -> Body {
        Body {
            text: std::sync::Arc::clone(text),
            start: start.min(text.len()),
            first_line,
        }
    }

    /// The Markdown text after the front matter.
    pub fn markdown(&self) -> &str {
        self.text.get(self.start..).unwrap_or_default()
    }

    /// Lets go of the text, once the body is rendered and nothing will read it again (a
    /// build, whose documents are not kept): the file's text can then be freed.
    pub fn forget_text(&mut self) {
        self.text = std::sync::Arc::from("");
        self.start = 0;
    }
}

impl PartialEq for Body {
    fn eq(&self, other: &Body) -> bool {
        let same_text =
            std::sync::Arc::ptr_eq(&self.text, &other.text) && self.start == other.start;
        self.first_line == other.first_line && (same_text || self.markdown() == other.markdown())
    }
}

impl Eq for Body {}

/// A validated briefing: everything its front matter says, and its Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// The last part of its URL.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// When it flew or will fly.
    pub date: LaunchDate,
    /// Rocket names as written.
    pub rockets: Vec<String>,
    /// Country names as written (launcher and reacting countries).
    pub countries: Vec<String>,
    /// Satellite names as written.
    pub satellites: Vec<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// The names under the key of each taxonomy `site.yaml` declares, in its order.
    pub declared: Vec<(TaxonomyKind, Vec<String>)>,
    /// The country that flew it, when the writer said.
    pub launched_by: Option<String>,
    /// What happened.
    pub outcome: Option<Outcome>,
    /// One sentence for lists and feeds, when the writer gave one.
    pub summary: Option<String>,
    /// Works cited.
    pub sources: Vec<Citation>,
    /// Built only with `--drafts`.
    pub draft: bool,
    /// Free fields for templates.
    pub extra: Extra,
    /// Old site paths (`/old/url/`) that redirect here.
    pub redirect_from: Vec<String>,
    /// The Markdown text.
    pub body: Body,
}

impl Briefing {
    /// The names listed under the key of `kind` (`rockets:`...), as written.
    pub fn listed(&self, kind: TaxonomyKind) -> &[String] {
        match kind {
            TaxonomyKind::Rockets => &self.rockets,
            TaxonomyKind::Countries => &self.countries,
            TaxonomyKind::Satellites => &self.satellites,
            TaxonomyKind::Tags => &self.tags,
            TaxonomyKind::Declared(_) => self
                .declared
                .iter()
                .find(|(declared, _)| *declared == kind)
                .map_or(&[], |(_, names)| names.as_slice()),
        }
    }

    /// The names this briefing gives in `kind`; `launched_by` counts as a country.
    pub fn term_names(&self, kind: TaxonomyKind) -> Vec<&str> {
        let mut names: Vec<&str> = self.listed(kind).iter().map(String::as_str).collect();
        if kind == TaxonomyKind::Countries {
            names.extend(self.launched_by.as_deref());
        }
        names
    }
}

#[cfg(test)]
impl Briefing {
    /// A minimal valid briefing for unit tests: `slug` at `path`, dated 2023-01-01.
    pub fn sample(path: &str, slug: &str) -> Briefing {
        Briefing {
            source: PathBuf::from(path),
            slug: slug.into(),
            title: slug.into(),
            date: LaunchDate::parse("2023-01-01").expect("a valid date"),
            rockets: vec![],
            countries: vec![],
            satellites: vec![],
            tags: vec![],
            declared: vec![],
            launched_by: None,
            outcome: None,
            summary: None,
            sources: vec![],
            draft: false,
            extra: Extra::default(),
            redirect_from: vec![],
            body: Body::new("", 1),
        }
    }
}

/// A page about one term (`content/rockets/chollima-1.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermPage {
    /// The file, relative to the site root.
    pub source: PathBuf,
    /// The taxonomy its folder names.
    pub kind: TaxonomyKind,
    /// The file stem: the term's slug.
    pub slug: String,
    /// The display name, when given.
    pub name: Option<String>,
    /// Other spellings that fold into this term.
    pub aliases: Vec<String>,
    /// Rockets only: the country that flies it.
    pub country: Option<String>,
    /// Free fields for templates.
    pub extra: Extra,
    /// The description.
    pub body: Body,
}

/// The content files of a site, found but not read: briefings, then term pages with their
/// taxonomy, each sorted by path (paths start with `root` as given).
#[derive(Debug, Default, Clone)]
pub struct Listing {
    /// `content/briefings/**/*.md`.
    pub briefings: Vec<PathBuf>,
    /// `content/<taxonomy>/*.md`.
    pub term_pages: Vec<(TaxonomyKind, PathBuf)>,
    /// `content/pages/**/*.md`.
    pub pages: Vec<PathBuf>,
    /// Markdown files under `content/` outside the folders above: apogee does not read them.
    pub stray: Vec<PathBuf>,
}

/// Finds every content file under `root` without reading it; folders that cannot be walked
/// become diagnostics.
pub fn list(root: &Path, taxonomies: &[TaxonomyKind]) -> (Listing, Vec<Diagnostic>) {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut diagnostics = Vec::new();
    let briefings = markdown_files(
        &root.join(CONTENT_DIR).join(BRIEFINGS_DIR),
        None,
        &canonical_root,
        root,
        &mut diagnostics,
    );
    let term_pages = list_term_pages(root, taxonomies, &canonical_root, &mut diagnostics);
    let pages = markdown_files(
        &root.join(CONTENT_DIR).join(PAGES_DIR),
        None,
        &canonical_root,
        root,
        &mut diagnostics,
    );
    let read: Vec<&PathBuf> = briefings
        .iter()
        .chain(&pages)
        .chain(term_pages.iter().map(|(_, path)| path))
        .collect();
    let stray = stray_markdown(root, &read, &canonical_root);
    let listing = Listing {
        briefings,
        term_pages,
        pages,
        stray,
    };
    (listing, diagnostics)
}

/// The `.md` files under `content/` that discovery did not pick: `content/about.md`, a page
/// of a taxonomy the site does not configure, a term page in a subfolder. Each earns a
/// warning, so that a writer does not wonder where a page went.
fn stray_markdown(root: &Path, read: &[&PathBuf], canonical_root: &Path) -> Vec<PathBuf> {
    let content = root.join(CONTENT_DIR);
    let mut ignored = Vec::new();
    let mut all = markdown_files(&content, None, canonical_root, root, &mut ignored);
    let read: std::collections::BTreeSet<&PathBuf> = read.iter().copied().collect();
    all.retain(|path| !read.contains(path));
    all.into_iter().map(|path| relative(root, &path)).collect()
}

/// The folders of `content/` whose Markdown apogee reads, for the stray file warning.
pub fn read_folders(taxonomies: &[TaxonomyKind]) -> Vec<String> {
    let mut folders = vec![
        format!("{CONTENT_DIR}/{BRIEFINGS_DIR}/"),
        format!("{CONTENT_DIR}/{PAGES_DIR}/"),
    ];
    folders.extend(
        taxonomies
            .iter()
            .map(|kind| format!("{CONTENT_DIR}/{}/", kind.name())),
    );
    folders
}

fn list_term_pages(
    root: &Path,
    taxonomies: &[TaxonomyKind],
    canonical_root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(TaxonomyKind, PathBuf)> {
    let mut term_pages = Vec::new();
    for &kind in taxonomies {
        let folder = root.join(CONTENT_DIR).join(kind.name());
        for path in markdown_files(&folder, Some(1), canonical_root, root, diagnostics) {
            term_pages.push((kind, path));
        }
    }
    term_pages
}

/// Finds and reads every content file under `root`. Unreadable files become diagnostics;
/// the rest are returned sorted by path so that every later stage is deterministic.
pub fn discover(root: &Path, taxonomies: &[TaxonomyKind]) -> (Sources, Vec<Diagnostic>) {
    let (listing, mut diagnostics) = list(root, taxonomies);
    let briefings = read_all(root, &listing.briefings, &mut diagnostics);
    let term_pages = read_term_pages(root, &listing.term_pages, &mut diagnostics);
    let pages = read_all(root, &listing.pages, &mut diagnostics);
    let documents: Vec<&PathBuf> = listing.briefings.iter().chain(&listing.pages).collect();
    let mut kept = bundle::Kept::default();
    let (files, unreadable) = bundle::read_files(root, &documents, &mut kept);
    diagnostics.extend(unreadable);
    (
        Sources {
            briefings,
            term_pages,
            pages,
            files,
            statics: bundle::static_files(root, &mut kept),
            stray: listing.stray,
        },
        diagnostics,
    )
}

/// Finds and reads the term pages (`content/<taxonomy>/*.md`) only: what `apogee new` needs
/// to know the names of a site.
pub fn discover_term_pages(
    root: &Path,
    taxonomies: &[TaxonomyKind],
) -> (Vec<(TaxonomyKind, Source)>, Vec<Diagnostic>) {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut diagnostics = Vec::new();
    let paths = list_term_pages(root, taxonomies, &canonical_root, &mut diagnostics);
    let term_pages = read_term_pages(root, &paths, &mut diagnostics);
    (term_pages, diagnostics)
}

/// Reads `paths` in parallel, in order; unreadable files go to `diagnostics`.
fn read_all(root: &Path, paths: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<Source> {
    let read: Vec<Result<Source, Diagnostic>> =
        paths.par_iter().map(|p| read_source(root, p)).collect();
    let mut sources = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(source) => sources.push(source),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    sources
}

fn read_term_pages(
    root: &Path,
    paths: &[(TaxonomyKind, PathBuf)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(TaxonomyKind, Source)> {
    let read: Vec<(TaxonomyKind, Result<Source, Diagnostic>)> = paths
        .par_iter()
        .map(|(kind, p)| (*kind, read_source(root, p)))
        .collect();
    let mut term_pages = Vec::with_capacity(read.len());
    for (kind, result) in read {
        match result {
            Ok(source) => term_pages.push((kind, source)),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    term_pages
}

/// The `.md` files under `folder` (relative to `root`), skipping hidden and editor files and
/// anything a symlink leads to outside the site.
fn markdown_files(
    folder: &Path,
    max_depth: Option<usize>,
    canonical_root: &Path,
    root: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut walker = WalkDir::new(folder).follow_links(true).sort_by_file_name();
    if let Some(depth) = max_depth {
        walker = walker.max_depth(depth);
    }
    let mut paths = Vec::new();
    let mut outside = Vec::new();
    let entries = walker.into_iter().filter_entry(|entry| {
        (entry.depth() == 0 || !is_ignored(entry.file_name()))
            && !leads_outside(entry, canonical_root, &mut outside)
    });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| relative(root, folder));
                let problem = Problem::Unreadable {
                    message: error.to_string(),
                };
                diagnostics.push(Diagnostic::error(Location::file(&path), problem));
                continue;
            }
        };
        let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
        if !entry.file_type().is_file() || !is_markdown {
            continue;
        }
        paths.push(entry.path().to_path_buf());
    }
    diagnostics.extend(outside_links(root, outside));
    paths
}

/// Whether `entry` is a symlink to somewhere outside the site (a file, or a folder that
/// would publish what it holds); such entries are remembered in `outside` and not followed.
/// Content, static files and themes all treat them so: an error at the link.
pub(crate) fn leads_outside(
    entry: &walkdir::DirEntry,
    canonical_root: &Path,
    outside: &mut Vec<PathBuf>,
) -> bool {
    if !entry.path_is_symlink() || stays_inside(entry.path(), canonical_root) {
        return false;
    }
    outside.push(entry.path().to_path_buf());
    true
}

/// An error at each symlink of `links` (found under `root`) that leads outside the site.
pub(crate) fn outside_links(root: &Path, links: Vec<PathBuf>) -> Vec<Diagnostic> {
    links
        .into_iter()
        .map(|link| {
            let target = link
                .canonicalize()
                .or_else(|_| std::fs::read_link(&link))
                .unwrap_or_default();
            Diagnostic::error(
                Location::file(&relative(root, &link)),
                Problem::SymlinkOutside { target },
            )
        })
        .collect()
}

/// Hidden files and the droppings of editors (`.#x`, `x~`, `.x.swp`, vim's `4913`).
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name == "4913"
}

fn stays_inside(path: &Path, canonical_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| target.starts_with(canonical_root))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The largest content file apogee reads: a briefing is a few kilobytes, and a file of
/// gigabytes would take all memory before anything could be said about it.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Reads the file at `path` (under `root`) as a source shown relative to `root`; a file
/// larger than [`MAX_FILE_BYTES`] is refused without being read.
pub fn read_source(root: &Path, path: &Path) -> Result<Source, Diagnostic> {
    let shown = relative(root, path);
    let unreadable = |error: std::io::Error| {
        Diagnostic::error(
            Location::file(&shown),
            Problem::Unreadable {
                message: error.to_string(),
            },
        )
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        let problem = Problem::TooLarge {
            what: "the file",
            limit: format!("{} MiB", MAX_FILE_BYTES / 1024 / 1024),
        };
        return Err(Diagnostic::error(Location::file(&shown), problem));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let text = decode(&shown, bytes)?;
    Ok(Source {
        path: shown,
        text: text.into(),
    })
}

/// UTF-8 with an optional BOM and CRLF line endings, as editors on every system save it.
pub fn decode(shown: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|error| {
        let bytes = error.as_bytes();
        let valid = &bytes[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        let line_text = String::from_utf8_lossy(&bytes[line_start..])
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        let mut location = Location::in_text(shown, "", line, column);
        location.source_line = Some(line_text);
        Diagnostic::error(location, Problem::NotUtf8)
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_strips_bom_and_crlf() {
        let text = decode(
            Path::new("a.md"),
            b"\xef\xbb\xbf---\r\ntitle: x\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "---\ntitle: x\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let error = decode(Path::new("a.md"), b"---\ntitle: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!((error.location.line, error.location.column), (2, 11));
        assert_eq!(error.problem, Problem::NotUtf8);
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [".x.md.swp", "x.md~", ".#x.md", "4913", ".hidden.md"] {
            assert!(is_ignored(std::ffi::OsStr::new(name)), "{name}");
        }
        assert!(!is_ignored(std::ffi::OsStr::new("2023-08-24-x.md")));
    }
}
