//! Located problems in a writer's files, and every message apogee can say about them.
//!
//! Every stage that finds something wrong in the content reports a [`Diagnostic`]: a
//! [`Problem`] (what is wrong, with the data its message needs) at a [`Location`] (file, line,
//! column and the text of that line, captured when the problem is found so that printing
//! never goes back to the disk). All messages are written here, in one enum, so that their
//! wording stays consistent. This module does not decide when to stop a build: stages collect
//! diagnostics and `build` decides. How a diagnostic is printed (text, colour, JSON) is in
//! `report`.

mod report;

pub use report::JsonDiagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::vocabulary::{TaxonomyKind, slugify};

/// How bad a problem is: errors fail a build, warnings are reported by `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Worth a look; the build goes on.
    Warning,
}

/// Where a problem is: a file relative to the site root, a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// The text of the line, for the snippet under the message.
    pub source_line: Option<String>,
}

impl Location {
    /// A problem with a whole file (it cannot be read, it is empty...).
    pub fn file(path: &Path) -> Self {
        Location {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            source_line: None,
        }
    }

    /// A position in `text`, the full contents of the file at `path`.
    pub fn in_text(path: &Path, text: &str, line: usize, column: usize) -> Self {
        let source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            source_line,
        }
    }

    /// The position of byte `offset` of `text`.
    pub fn at_offset(path: &Path, text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Location::in_text(path, text, line, column)
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Everything apogee can find wrong in a site, with the data each message needs.
// Each variant's `#[error]` message is its documentation.
#[allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the file is not valid UTF-8 (save it as UTF-8)")]
    NotUtf8,
    #[error("the file is empty: a briefing needs front matter between `---` lines, then its text")]
    EmptyFile,
    #[error("no front matter: the file must start with a line `---`, then YAML keys, then `---`")]
    NoFrontMatter,
    #[error("the front matter is not closed: add a line `---` after its last key")]
    UnclosedFrontMatter,
    #[error("malformed YAML: {message}")]
    Yaml { message: String },
    #[error("unknown string `{key}` in `strings` (see the theme's list of strings)")]
    UnknownString { key: String, known: Vec<String> },
    #[error("quote the {key}: it contains `: `")]
    UnquotedColon { key: String, quoted: String },
    #[error("YAML does not allow tabs: indent with spaces")]
    YamlTab,
    #[error("`{key}` is given twice{}", first_line.map_or(String::new(), |line| format!(" (first on line {line})")))]
    DuplicateKey {
        key: String,
        first_line: Option<usize>,
    },
    #[error("{what} is larger than {limit}")]
    TooLarge { what: &'static str, limit: String },
    #[error("the YAML holds more than {limit} values once its aliases (`*name`) are expanded")]
    YamlExpansion { limit: usize },
    #[error("`{key}` lists {count} entries: at most {limit} are allowed")]
    ListTooLong {
        key: String,
        count: usize,
        limit: usize,
    },
    #[error("unknown key `{key}`")]
    UnknownKey {
        key: String,
        known: Vec<&'static str>,
    },
    #[error("missing `{key}`: every {kind} needs one")]
    MissingKey {
        key: &'static str,
        kind: &'static str,
    },
    #[error("`{key}` {message}")]
    WrongType { key: String, message: String },
    #[error(
        "`{value}` is not a date: write YYYY-MM-DD (2023-08-24) or an RFC 3339 date-time with offset (2023-08-24T06:50:00+09:00)"
    )]
    BadDate { value: String },
    #[error(
        "`{value}` is not an outcome: use one of success, failure, partial, scheduled, unknown"
    )]
    BadOutcome { value: String },
    #[error("`{key}` is empty")]
    EmptyValue { key: &'static str },
    #[error("the slug `{slug}` {reason}")]
    BadSlug { slug: String, reason: &'static str },
    #[error("the slug `{slug}` is also used by {}: every page needs its own URL", other.display())]
    DuplicateSlug { slug: String, other: PathBuf },
    #[error("the alias `{alias}` of `{term}` names another {kind} already ({}): an alias may fold into one term only", other.display())]
    AliasConflict {
        alias: String,
        term: String,
        kind: &'static str,
        other: PathBuf,
    },
    #[error("`{name}` has no usable slug: a term name needs at least one letter or digit")]
    EmptyTermSlug { name: String },
    #[error("the link `{target}` points nowhere: no file {}", resolved.display())]
    BrokenLink { target: String, resolved: PathBuf },
    #[error("the link `{target}` names a page's file without `.md`, so it would lead nowhere")]
    LinkWithoutMd { target: String, suggestion: String },
    #[error("the link `{target}` points to no heading: {} has no id `{fragment}`", page.as_ref().map_or("this page".to_owned(), |p| p.display().to_string()))]
    BrokenFragment {
        target: String,
        fragment: String,
        /// The target document; `None` for the page itself.
        page: Option<PathBuf>,
        near: Option<String>,
    },
    #[error("the link `{target}` points to no page of the site")]
    BrokenSitePath {
        target: String,
        near: Option<String>,
    },
    #[error("the link `{target}` points to a draft ({}), which is built only with --drafts", resolved.display())]
    LinkToDraft { target: String, resolved: PathBuf },
    #[error("template error: {message}")]
    Template { message: String },
    #[error("cannot read: {message}")]
    Unreadable { message: String },
    #[error("unknown taxonomy `{name}`: apogee knows rockets, countries, satellites and tags")]
    UnknownTaxonomy { name: String },
    #[error("the theme `{name}` does not exist (no folder themes/{name})")]
    UnknownTheme { name: String, known: Vec<String> },
    #[error("`{key}` {message}")]
    BadConfig { key: &'static str, message: String },
    #[error("`{name}` is a new {}, but close to the known `{known}`", kind.singular().to_lowercase())]
    NearDuplicateTerm {
        name: String,
        kind: TaxonomyKind,
        known: String,
    },
    #[error("`{name}` is not a known {} yet: no page in content/{}/ names it", kind.singular().to_lowercase(), kind.name())]
    NewTerm {
        name: String,
        kind: TaxonomyKind,
        near: Option<String>,
    },
    #[error("no briefing uses this {}", kind.singular().to_lowercase())]
    UnusedTermPage { kind: TaxonomyKind },
    #[error("this rocket has no `country`: its page cannot link to the country that flies it")]
    RocketWithoutCountry,
    #[error("this briefing cites no `sources`")]
    NoSources,
    #[error("the source URL `{url}` is not a web address")]
    SourceNotHttp { url: String },
    #[error("no `outcome`, though the launch date has passed")]
    MissingOutcome,
    #[error("{} has the same title and date", other.display())]
    DuplicateBriefing { other: PathBuf },
    #[error("{} already exists: apogee new never overwrites a file", path.display())]
    AlreadyExists { path: PathBuf },
    #[error("the title has no letters or digits to make a file name of")]
    TitleWithoutSlug,
    #[error("cannot write: {message}")]
    Unwritable { message: String },
    #[error(
        "`base_url` has no host, so feeds, the sitemap and canonical links point at {}",
        crate::vocabulary::LOCAL_HOST
    )]
    NoHost,
    #[error("the search index could not be built: {message}")]
    SearchIndex { message: String },
    #[error("`{path}` cannot be redirected from: it {reason}")]
    BadRedirect { path: String, reason: &'static str },
    #[error("the redirect from `{path}` would replace the page {}", owner.display())]
    RedirectCollision { path: String, owner: PathBuf },
    #[error("this file would be published as {path}, which is the page of {}", owner.display())]
    FileCollision { path: String, owner: PathBuf },
    #[error("the page slug `{slug}` is taken by the site's own {what}")]
    ReservedSlug { slug: String, what: String },
    #[error("the file `{target}` is not there: no file {}", resolved.display())]
    MissingFile {
        target: String,
        resolved: PathBuf,
        bundle: bool,
    },
    #[error("the image `{target}` has no alt text")]
    MissingAlt { target: String },
    #[error("apogee reads its settings from site.yaml, not from {name}")]
    MisnamedConfig { name: &'static str },
    #[error("apogee does not read this file: Markdown is read only from {folders}")]
    StrayMarkdown { folders: String },
    #[error("{} is not an apogee site: it has neither site.yaml nor a content/ folder", root.display())]
    NotASite { root: PathBuf },
    #[error("{} is not empty: apogee init starts a site only in an empty or new folder", root.display())]
    NotEmpty { root: PathBuf },
    #[error(
        "the slug `{}…` is {bytes} bytes long: folder names may have at most {} bytes",
        shorten(slug),
        crate::vocabulary::MAX_SLUG_BYTES
    )]
    SlugTooLong { slug: String, bytes: usize },
    #[error(
        "`{name}` makes a slug of {bytes} bytes: folder names may have at most {} bytes",
        crate::vocabulary::MAX_SLUG_BYTES
    )]
    NameTooLong { name: String, bytes: usize },
    #[error(
        "the source URL `{url}` uses `{scheme}:`, which a page must not link to: only http, https and mailto are allowed"
    )]
    SourceScheme { url: String, scheme: String },
    #[error(
        "`{value}` has the UTC offset {offset}, which no place uses: offsets run from -12:00 to +14:00"
    )]
    BadOffset { value: String, offset: String },
    #[error("this symlink leads outside the site, to {}: apogee reads only files inside the site", target.display())]
    SymlinkOutside { target: PathBuf },
    #[error(
        "the link `{target}` points into content/{taxonomy}/, but the taxonomy `{taxonomy}` is not enabled in site.yaml"
    )]
    TaxonomyNotEnabled {
        target: String,
        taxonomy: &'static str,
    },
    #[error("the template `{name}` {reason}")]
    TemplateLimit { name: String, reason: String },
}

/// The first characters of a long value, for a message that must stay readable.
fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

impl Problem {
    /// A stable identifier for machines (`check --format json`, tests).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotUtf8 => "not-utf8",
            Problem::EmptyFile => "empty-file",
            Problem::NoFrontMatter => "no-front-matter",
            Problem::UnclosedFrontMatter => "unclosed-front-matter",
            Problem::Yaml { .. } => "malformed-yaml",
            Problem::UnquotedColon { .. } => "unquoted-colon",
            Problem::YamlTab => "yaml-tab",
            Problem::DuplicateKey { .. } => "duplicate-key",
            Problem::TooLarge { .. } => "too-large",
            Problem::YamlExpansion { .. } => "yaml-expansion",
            Problem::ListTooLong { .. } => "list-too-long",
            Problem::UnknownKey { .. } => "unknown-key",
            Problem::UnknownString { .. } => "unknown-string",
            Problem::MissingKey { .. } => "missing-key",
            Problem::WrongType { .. } => "wrong-type",
            Problem::BadDate { .. } => "bad-date",
            Problem::BadOutcome { .. } => "bad-outcome",
            Problem::EmptyValue { .. } => "empty-value",
            Problem::BadSlug { .. } => "bad-slug",
            Problem::DuplicateSlug { .. } => "duplicate-slug",
            Problem::AliasConflict { .. } => "alias-conflict",
            Problem::EmptyTermSlug { .. } => "empty-term-slug",
            Problem::BrokenLink { .. } => "broken-link",
            Problem::LinkToDraft { .. } => "link-to-draft",
            Problem::LinkWithoutMd { .. } => "link-without-md",
            Problem::BrokenFragment { .. } => "broken-fragment",
            Problem::BrokenSitePath { .. } => "broken-site-path",
            Problem::Template { .. } => "template",
            Problem::Unreadable { .. } => "unreadable",
            Problem::UnknownTaxonomy { .. } => "unknown-taxonomy",
            Problem::UnknownTheme { .. } => "unknown-theme",
            Problem::BadConfig { .. } => "bad-config",
            Problem::NearDuplicateTerm { .. } => "near-duplicate-term",
            Problem::NewTerm { .. } => "new-term",
            Problem::UnusedTermPage { .. } => "unused-term-page",
            Problem::RocketWithoutCountry => "rocket-without-country",
            Problem::NoSources => "no-sources",
            Problem::SourceNotHttp { .. } => "source-not-http",
            Problem::MissingOutcome => "missing-outcome",
            Problem::DuplicateBriefing { .. } => "duplicate-briefing",
            Problem::AlreadyExists { .. } => "already-exists",
            Problem::TitleWithoutSlug => "title-without-slug",
            Problem::Unwritable { .. } => "unwritable",
            Problem::NoHost => "no-host",
            Problem::SearchIndex { .. } => "search-index",
            Problem::MisnamedConfig { .. } => "misnamed-config",
            Problem::MissingFile { .. } => "missing-file",
            Problem::MissingAlt { .. } => "missing-alt",
            Problem::BadRedirect { .. } => "bad-redirect",
            Problem::RedirectCollision { .. } => "redirect-collision",
            Problem::ReservedSlug { .. } => "reserved-slug",
            Problem::FileCollision { .. } => "file-collision",
            Problem::StrayMarkdown { .. } => "stray-markdown",
            Problem::NotASite { .. } => "not-a-site",
            Problem::NotEmpty { .. } => "not-empty",
            Problem::SlugTooLong { .. } => "slug-too-long",
            Problem::NameTooLong { .. } => "name-too-long",
            Problem::SourceScheme { .. } => "source-scheme",
            Problem::BadOffset { .. } => "bad-offset",
            Problem::SymlinkOutside { .. } => "symlink-outside",
            Problem::TaxonomyNotEnabled { .. } => "taxonomy-not-enabled",
            Problem::TemplateLimit { .. } => "template-limit",
        }
    }

    /// A hint on how to fix it, with a did-you-mean where one fits.
    pub fn help(&self) -> Option<String> {
        match self {
            Problem::UnknownString { key, known } => {
                did_you_mean(key, known.iter().map(String::as_str)).map(|near| format!("did you mean `{near}`?"))
            }
            Problem::UnknownKey { key, known } => Some(match did_you_mean(key, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("known keys: {}", known.join(", ")),
            }),
            Problem::UnquotedColon { key, quoted } => Some(format!(
                "in YAML, `: ` after a key starts its value; write the value in quotes: {key}: {quoted}"
            )),
            Problem::TooLarge { .. } => {
                Some("split it: apogee reads no larger input, so that one file cannot take all memory".to_owned())
            }
            Problem::YamlExpansion { .. } => {
                Some("write the values out instead of repeating them with `&anchor` and `*alias`".to_owned())
            }
            Problem::ListTooLong { .. } => {
                Some("shorten it: apogee reads no longer list, so that one file cannot hold up a build".to_owned())
            }
            Problem::DuplicateKey { .. } => Some("keep one of the two: the later one would win".to_owned()),
            Problem::BadOutcome { value } => {
                did_you_mean(value, crate::vocabulary::OUTCOMES.iter().copied()).map(|near| format!("did you mean `{near}`?"))
            }
            Problem::UnknownTaxonomy { name } => {
                did_you_mean(name, ["rockets", "countries", "satellites", "tags"]).map(|near| format!("did you mean `{near}`?"))
            }
            Problem::UnknownTheme { name, known } => did_you_mean(name, known.iter().map(String::as_str))
                .map(|near| format!("did you mean `{near}`?"))
                .or_else(|| Some("leave `theme` out to use the default theme".to_owned())),
            Problem::BrokenLink { .. } => {
                Some("link to a briefing by its file, relative to this one, or from content/ with `@/`".to_owned())
            }
            Problem::LinkWithoutMd { suggestion, .. } => Some(format!("did you mean `{suggestion}`?")),
            Problem::BrokenFragment { near: Some(near), .. } => Some(format!("did you mean `#{near}`?")),
            Problem::BrokenFragment { near: None, .. } => Some(
                "a fragment names a heading's id (`## Reaction` is `#reaction`), a footnote, or an `id` in the text"
                    .to_owned(),
            ),
            Problem::BrokenSitePath { near: Some(near), .. } => Some(format!("did you mean `/{near}`?")),
            Problem::BrokenSitePath { near: None, .. } => Some(
                "a link starting with `/` is read from the site's root (apogee adds the path of `base_url`); link to another briefing by its file instead"
                    .to_owned(),
            ),
            Problem::MissingFile { bundle: true, .. } => Some(
                "put the file beside the page's index.md (or under static/ and write its path from the site root, `/img/x.png`)"
                    .to_owned(),
            ),
            Problem::MissingFile { bundle: false, .. } => Some(
                "only a bundle publishes the files beside it: make this page a folder, `<name>/index.md`, with the file in it; or put the file under static/ and write `/path/from/static`"
                    .to_owned(),
            ),
            Problem::MissingAlt { .. } => Some(
                "describe the image between the brackets, ![a Chollima-1 on its pad](pad.jpg), for readers who cannot see it"
                    .to_owned(),
            ),
            Problem::FileCollision { .. } => Some("rename the file, or move it into a subfolder of the bundle".to_owned()),
            Problem::RedirectCollision { .. } => {
                Some("remove it from `redirect_from`: a redirect may only stand where no page is".to_owned())
            }
            Problem::BadSlug { .. } | Problem::DuplicateSlug { .. } | Problem::ReservedSlug { .. } => {
                Some("set `slug:` in the front matter, or rename the file".to_owned())
            }
            Problem::NearDuplicateTerm { name, kind, known } => Some(format!(
                "did you mean `{known}`? If `{name}` is another {}, give it a page: content/{}/{}.md",
                kind.singular().to_lowercase(),
                kind.name(),
                slugify(name)
            )),
            Problem::NewTerm { name, kind, near } => Some(match near {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("it gets its own page; describe it in content/{}/{}.md", kind.name(), slugify(name)),
            }),
            Problem::UnusedTermPage { kind } => {
                Some(format!("name it in a briefing's `{}:`, or delete the page", kind.name()))
            }
            Problem::RocketWithoutCountry => Some("add `country: <name>` to the front matter".to_owned()),
            Problem::NoSources => {
                Some("add `sources:` above this line, with `- title: <publisher>` and `url: https://...`".to_owned())
            }
            Problem::SourceNotHttp { .. } => Some("write the full address, starting with https://".to_owned()),
            Problem::MissingOutcome => {
                Some("add `outcome:` success, failure, partial or unknown".to_owned())
            }
            Problem::DuplicateBriefing { .. } => {
                Some("merge the two, or change one title so that readers can tell them apart".to_owned())
            }
            Problem::AlreadyExists { .. } => {
                Some("edit that file, or choose another title or --date".to_owned())
            }
            Problem::SlugTooLong { .. } => Some("set a shorter `slug:`".to_owned()),
            Problem::NameTooLong { .. } => Some("shorten the name; a term page's `aliases:` can keep the long form".to_owned()),
            Problem::SourceScheme { .. } => Some("link to the web page of the source, starting with https://".to_owned()),
            Problem::SymlinkOutside { .. } => Some("copy the file into the site, or remove the link".to_owned()),
            Problem::TaxonomyNotEnabled { taxonomy, .. } => {
                Some(format!("add `{taxonomy}` to `taxonomies:` in site.yaml, or remove the link"))
            }
            Problem::EmptyTermSlug { .. } => Some("use letters or digits in the name, or remove it".to_owned()),
            Problem::NoHost => Some(
                "set `base_url: https://your.host/` in site.yaml, or pass --base-url when publishing"
                    .to_owned(),
            ),
            Problem::MisnamedConfig { name } if name.ends_with(".toml") || name.ends_with(".json") => {
                Some("did you mean site.yaml? Write the settings as YAML in site.yaml (see the README's site.yaml keys)".to_owned())
            }
            Problem::MisnamedConfig { name } => Some(format!("did you mean site.yaml? Rename {name} to site.yaml")),
            Problem::StrayMarkdown { .. } => Some(
                "move it into one of those folders (a briefing, a term page, or a page in content/pages/), or out of content/"
                    .to_owned(),
            ),
            Problem::NotASite { .. } => Some(
                "run apogee in the folder that holds site.yaml and content/, pass --root, or start a new site with `apogee init`"
                    .to_owned(),
            ),
            Problem::NotEmpty { .. } => Some("name a new folder: apogee init my-archive".to_owned()),
            _ => None,
        }
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&word, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

/// The closest of `candidates` that is a likely misspelling of `word`: a different name
/// within a small edit distance of it, compared by slug (`Noth Korea` → `North Korea`,
/// `Chollima-l` → `Chollima-1`). Stricter than [`did_you_mean`], because it warns about
/// names that may be right: short names need an exact length change (`Iran` is not a typo
/// of `Iraq`), one edit is allowed up to 12 characters (`South Korea` is not a typo of
/// `North Korea`), and names that differ only in words with digits are variants
/// (`Falcon 1`, `Falcon 9`; `Long March 2C`, `Long March 2D`).
pub fn near_duplicate<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates = candidates
        .into_iter()
        .map(|candidate| (slugify(candidate), candidate));
    near_duplicate_by_slug(&slugify(word), candidates)
}

/// [`near_duplicate`] for callers that know the slugs already (`word` is one, each
/// candidate comes as `(slug, name)`): comparing many names with many, slugs are made once
/// and a length check comes before any edit distance.
pub fn near_duplicate_by_slug<'a, S: AsRef<str>>(
    word: &str,
    candidates: impl IntoIterator<Item = (S, &'a str)>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter_map(|(slug, candidate)| {
            let slug = slug.as_ref();
            if word.len().abs_diff(slug.len()) > 2 || variants(word, slug) {
                return None;
            }
            let distance = strsim::damerau_levenshtein(word, slug);
            let allowed = match word.len().min(slug.len()) {
                0..=2 => 0,
                3..=5 if word.len() == slug.len() => 0,
                3..=12 => 1,
                _ => 2,
            };
            (distance > 0 && distance <= allowed).then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Spellings indexed for [`near_duplicate_by_slug`] when many names are each compared with
/// many: every slug is filed under each string left by deleting up to two of its characters,
/// and two slugs within two edits (transpositions included) always share one, so a lookup
/// meets only the spellings that can be near, not every spelling. Slugs longer than
/// [`NearIndex::INDEXED_LEN`] would have too many deletions to file; they are few, and met
/// by every lookup.
#[derive(Debug, Default)]
pub struct NearIndex<'a> {
    spellings: Vec<(String, &'a str)>,
    by_deletion: HashMap<String, Vec<usize>>,
    long: Vec<usize>,
}

impl<'a> NearIndex<'a> {
    /// The longest slug filed under its deletions (about 800 strings at this length).
    pub const INDEXED_LEN: usize = 40;

    /// Indexes `(slug, spelling)` pairs; lookups return their positions in this order.
    pub fn new(spellings: Vec<(String, &'a str)>) -> Self {
        let mut index = NearIndex {
            spellings,
            ..NearIndex::default()
        };
        for (position, (slug, _)) in index.spellings.iter().enumerate() {
            if slug.len() > Self::INDEXED_LEN {
                index.long.push(position);
                continue;
            }
            for deleted in deletions(slug) {
                index.by_deletion.entry(deleted).or_default().push(position);
            }
        }
        index
    }

    /// The positions of the spellings that may be within two edits of `slug`, in order.
    pub fn candidates(&self, slug: &str) -> Vec<usize> {
        if slug.len() > Self::INDEXED_LEN {
            return (0..self.spellings.len()).collect();
        }
        let mut found: Vec<usize> = deletions(slug)
            .iter()
            .filter_map(|deleted| self.by_deletion.get(deleted))
            .flatten()
            .chain(&self.long)
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The slug and spelling at `position`.
    pub fn get(&self, position: usize) -> (&str, &'a str) {
        let (slug, spelling) = &self.spellings[position];
        (slug, spelling)
    }
}

/// `slug` with up to two of its characters deleted, every way (slugs are ASCII).
fn deletions(slug: &str) -> HashSet<String> {
    let mut found = HashSet::from([slug.to_owned()]);
    let mut once = Vec::with_capacity(slug.len());
    for at in 0..slug.len() {
        let shorter = [&slug[..at], &slug[at + 1..]].concat();
        if found.insert(shorter.clone()) {
            once.push(shorter);
        }
    }
    for shorter in once {
        for at in 0..shorter.len() {
            found.insert([&shorter[..at], &shorter[at + 1..]].concat());
        }
    }
    found
}

/// Whether two slugs of as many words differ only in words that hold digits on both sides.
fn variants(a: &str, b: &str) -> bool {
    let has_digit = |word: &str| word.bytes().any(|byte| byte.is_ascii_digit());
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('-').collect(), b.split('-').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .filter(|(x, y)| x != y)
            .all(|(x, y)| has_digit(x) && has_digit(y))
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What.
    pub problem: Problem,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Location, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            problem,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, problem: Problem) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location,
            problem,
        }
    }

    /// The first line as editors and terminals parse it: `path:line:column: error: message`.
    pub fn headline(&self) -> String {
        let Location {
            path, line, column, ..
        } = &self.location;
        format!(
            "{}:{line}:{column}: {}: {}",
            path.display(),
            self.severity.word(),
            self.problem
        )
    }
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Puts diagnostics in the order a reader expects: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (
            &a.location.path,
            a.location.line,
            a.location.column,
            a.severity,
        )
            .cmp(&(
                &b.location.path,
                b.location.line,
                b.location.column,
                b.severity,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_character_columns() {
        let text = "one\ntwo é x\nthree";
        let at = Location::at_offset(Path::new("f.md"), text, text.find('x').unwrap());
        assert_eq!((at.line, at.column), (2, 7));
        assert_eq!(at.source_line.as_deref(), Some("two é x"));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("rocket", ["rockets", "countries"]),
            Some("rockets")
        );
        assert_eq!(
            did_you_mean("sucess", ["success", "failure"]),
            Some("success")
        );
        assert_eq!(
            did_you_mean("exploded", ["success", "failure", "partial"]),
            None
        );
    }

    #[test]
    fn the_near_index_finds_every_name_within_two_edits_and_only_those() {
        let names = [
            "Chollima-1",
            "Chollima-l",
            "Cholima-1",
            "Chollmia-1",
            "Chollima-12x",
            "Falcon 9",
            "North Korea",
            "Noth Korea",
            "Long March 2C",
            "a-name-far-longer-than-forty-characters-in-all",
        ];
        let index = NearIndex::new(names.iter().map(|n| (slugify(n), *n)).collect());
        for word in names {
            let slug = slugify(word);
            let candidates: Vec<&str> = index
                .candidates(&slug)
                .into_iter()
                .map(|position| index.get(position).1)
                .collect();
            for other in names {
                let within_two = strsim::damerau_levenshtein(&slug, &slugify(other)) <= 2;
                let long = slugify(other).len() > NearIndex::INDEXED_LEN;
                if within_two || long {
                    assert!(
                        candidates.contains(&other),
                        "{word}: {other} in {candidates:?}"
                    );
                }
            }
            if word != "Falcon 9" && slug.len() <= NearIndex::INDEXED_LEN {
                assert!(!candidates.contains(&"Falcon 9"), "{word}: {candidates:?}");
            }
        }
    }

    #[test]
    fn near_duplicates_are_typos_not_other_names() {
        let known = [
            "Chollima-1",
            "North Korea",
            "Iran",
            "Falcon 9",
            "H3",
            "Japan",
            "Long March 2C",
            "United States",
        ];
        assert_eq!(near_duplicate("Chollima-l", known), Some("Chollima-1"));
        assert_eq!(near_duplicate("Falcon9", known), Some("Falcon 9"));
        assert_eq!(
            near_duplicate("Unitde Statse", known),
            Some("United States")
        );
        assert_eq!(near_duplicate("Noth Korea", known), Some("North Korea"));
        assert_eq!(near_duplicate("Japn", known), Some("Japan"));
        for other in [
            "Iraq",
            "Falcon 1",
            "Falcon 9R",
            "South Korea",
            "Long March 2D",
            "H2",
            "North Korea",
            "north korea",
            "Nuri",
        ] {
            assert_eq!(near_duplicate(other, known), None, "{other}");
        }
    }
}
