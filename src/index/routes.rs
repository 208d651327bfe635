//! Where every page lands: the site path of each briefing and term page, and the resolution
//! of links that writers make between source files.
//!
//! Site paths are relative to the site root and end in `/` (`briefings/<slug>/`,
//! `rockets/<slug>/`); `config::BaseUrl` turns them into links. This module finds slug
//! collisions between briefings; term page collisions belong to `taxonomy`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::{Briefing, CONTENT_DIR, Page, TermPage};
use crate::vocabulary::TaxonomyKind;

/// The site path of a briefing.
pub fn briefing_path(slug: &str) -> String {
    format!("briefings/{slug}/")
}

/// The site path of a standalone page.
pub fn page_path(slug: &str) -> String {
    format!("{slug}/")
}

/// The first segments of the site paths apogee's own pages use, besides the taxonomies':
/// a standalone page may not take one.
pub const RESERVED_SEGMENTS: &[&str] = &["briefings", "page", "archive", "search", "pagefind"];

/// The output file of the redirect page standing at `old` (`/old/url/` →
/// `old/url/index.html`, `/old.html` → `old.html`).
pub fn redirect_file(old: &str) -> String {
    let trimmed = old.trim_start_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        trimmed.to_owned()
    } else if trimmed.ends_with('/') || trimmed.is_empty() {
        format!("{trimmed}index.html")
    } else {
        format!("{trimmed}/index.html")
    }
}

/// The site path of a term's page.
pub fn term_path(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.segment())
}

/// The site path of a taxonomy's list page.
pub fn taxonomy_path(kind: TaxonomyKind) -> String {
    format!("{}/", kind.segment())
}

/// The site path of a taxonomy's list page in another order (`rockets/by/flights/`).
pub fn taxonomy_order_path(kind: TaxonomyKind, order: &str) -> String {
    format!("{}/by/{order}/", kind.segment())
}

/// The output file of a term's launch record as JSON.
pub fn record_json_path(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}/{slug}/record.json", kind.segment())
}

/// The output file of a taxonomy's launch records as CSV.
pub fn records_csv_path(kind: TaxonomyKind) -> String {
    format!("{}/records.csv", kind.segment())
}

/// The site path of page `number` of the home page (page 1 is the root).
pub fn home_page_path(number: usize) -> String {
    paged_path("", number)
}

/// The site path of page `number` (from 1) of a paginated list whose first page is at
/// `first` (a site path ending in `/`, or empty for the root): later pages continue at
/// `<first>page/<number>/`.
pub fn paged_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_owned()
    } else {
        format!("{first}page/{number}/")
    }
}

/// The site path of page `number` of a term's page (`rockets/h3/page/2/`).
pub fn term_page_path(kind: TaxonomyKind, slug: &str, number: usize) -> String {
    paged_path(&term_path(kind, slug), number)
}

/// The site path of page `number` of a year of the archive (`archive/2024/page/2/`).
pub fn year_page_path(year: i16, number: usize) -> String {
    paged_path(&year_path(year), number)
}

/// The site path a later page of a paginated list belongs to: `rockets/h3/` for
/// `rockets/h3/page/2/`; any other site path is its own.
pub fn first_page_of(site_path: &str) -> &str {
    let Some(rest) = site_path.strip_suffix('/') else {
        return site_path;
    };
    let Some((before, number)) = rest.rsplit_once('/') else {
        return site_path;
    };
    match before.strip_suffix("page") {
        Some(first)
            if number.parse::<usize>().is_ok() && (first.is_empty() || first.ends_with('/')) =>
        {
            first
        }
        _ => site_path,
    }
}

/// Every source file that becomes a page, by its path relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routes {
    /// Hashed rather than ordered: nothing lists them, and the preview compares two plans of
    /// every file at each rebuild.
    pages: HashMap<PathBuf, String>,
    drafts: BTreeSet<PathBuf>,
    unparsed: BTreeSet<PathBuf>,
    /// The taxonomies of the site, when known: a link into another one's folder says so.
    taxonomies: Vec<TaxonomyKind>,
}

/// The site path of the archive's index.
pub const ARCHIVE_PATH: &str = "archive/";

/// The site path of one year's page.
pub fn year_path(year: i16) -> String {
    format!("{ARCHIVE_PATH}{year}/")
}

/// The site path of the site's feed.
pub const SITE_FEED: &str = "feed.xml";

/// The site path of a term's feed.
pub fn term_feed_path(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}feed.xml", term_path(kind, slug))
}

/// The site path of the search page.
pub const SEARCH_PATH: &str = "search/";

/// The folder of the index and of Pagefind's UI files in the output.
pub const BUNDLE_DIR: &str = "pagefind/";

/// The output path of the 404 page.
pub const NOT_FOUND_PATH: &str = "404.html";

/// Plans the site path of each briefing and term page. `drafts` are files left out of this
/// build, named so that a link to one can say why it fails.
pub fn plan<'a>(
    briefings: impl IntoIterator<Item = &'a Briefing>,
    term_pages: impl IntoIterator<Item = &'a TermPage>,
    pages: impl IntoIterator<Item = &'a Page>,
    drafts: &[PathBuf],
) -> (Routes, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut routes = Routes {
        pages: HashMap::new(),
        drafts: drafts.iter().cloned().collect(),
        unparsed: BTreeSet::new(),
        taxonomies: Vec::new(),
    };
    let mut owners: BTreeMap<&str, &Path> = BTreeMap::new();
    for briefing in briefings {
        if let Some(other) = owners.insert(&briefing.slug, &briefing.source) {
            let problem = Problem::DuplicateSlug {
                slug: briefing.slug.clone(),
                other: other.to_path_buf(),
            };
            diagnostics.push(Diagnostic::error(Location::file(&briefing.source), problem));
            continue;
        }
        routes
            .pages
            .insert(briefing.source.clone(), briefing_path(&briefing.slug));
    }
    for page in term_pages {
        routes
            .pages
            .insert(page.source.clone(), term_path(page.kind, &page.slug));
    }
    let mut page_owners: BTreeMap<&str, &Path> = BTreeMap::new();
    for page in pages {
        if let Some(other) = page_owners.insert(&page.slug, &page.source) {
            let problem = Problem::DuplicateSlug {
                slug: page.slug.clone(),
                other: other.to_path_buf(),
            };
            diagnostics.push(Diagnostic::error(Location::file(&page.source), problem));
            continue;
        }
        routes
            .pages
            .insert(page.source.clone(), page_path(&page.slug));
    }
    (routes, diagnostics)
}

/// A print of everything the routes are made from, in order: the documents' paths and slugs
/// ([`plan`]), drafts, files that did not parse and the taxonomies. Equal prints make equal
/// routes and problems, so a rebuild whose documents kept their paths and slugs keeps its
/// routes without planning or comparing them again.
pub fn inputs_print<'a>(
    briefings: impl IntoIterator<Item = &'a Briefing>,
    term_pages: impl IntoIterator<Item = &'a TermPage>,
    pages: impl IntoIterator<Item = &'a Page>,
    drafts: &[PathBuf],
    unparsed: &[PathBuf],
    taxonomies: &[TaxonomyKind],
) -> u64 {
    let mut hasher = DefaultHasher::new();
    // Each list ends with a mark, so that a document cannot pass for one of the next list.
    for briefing in briefings {
        briefing.source.as_os_str().hash(&mut hasher);
        briefing.slug.hash(&mut hasher);
    }
    hasher.write_u8(1);
    for page in term_pages {
        page.source.as_os_str().hash(&mut hasher);
        page.kind.hash(&mut hasher);
        page.slug.hash(&mut hasher);
    }
    hasher.write_u8(2);
    for page in pages {
        page.source.as_os_str().hash(&mut hasher);
        page.slug.hash(&mut hasher);
    }
    hasher.write_u8(3);
    for path in drafts.iter().chain(unparsed) {
        path.as_os_str().hash(&mut hasher);
    }
    drafts.len().hash(&mut hasher);
    taxonomies.hash(&mut hasher);
    hasher.finish()
}

/// Why a link to a source file cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// No such file among the site's pages (the path it was resolved to).
    Missing(PathBuf),
    /// The file is a draft and drafts are not built.
    Draft(PathBuf),
    /// The link names a page's file without `.md` (the link with it, as it should be written).
    WithoutExtension(String),
    /// The file exists but did not parse: its own errors are reported, not the link.
    Unparsed(PathBuf),
    /// The file is a term page of a taxonomy the site does not enable.
    NotEnabled(TaxonomyKind),
}

/// Where a link written in a body leads, as far as one file can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Another site, a file beside the page, or an address apogee leaves as written.
    Elsewhere,
    /// `#fragment` on the page itself.
    OwnFragment(String),
    /// A page's source file (`x.md`, `@/rockets/h3.md`), with its fragment if any.
    Page {
        /// The source file, relative to the site root.
        source: PathBuf,
        /// Its site path (`briefings/x/`).
        site_path: String,
        /// The fragment, without `#`.
        fragment: Option<String>,
    },
    /// A root-relative link (`/rockets/h3/#record`).
    SitePath {
        /// The site path, without the leading `/`, query or fragment (`rockets/h3/`).
        path: String,
        /// The query and fragment as written (`#record`), kept on the rewritten link.
        rest: String,
    },
}

impl Routes {
    /// The site path of the page made from the source file `source`, if it has one.
    pub fn site_path(&self, source: &Path) -> Option<&str> {
        self.pages.get(source).map(String::as_str)
    }

    /// These routes, knowing the content files that exist but did not parse, so that a link
    /// to one is not said to point nowhere.
    pub fn with_unparsed(mut self, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        self.unparsed.extend(paths);
        self
    }

    /// Tells the routes which taxonomies the site enables, so that a link to a term page of
    /// another taxonomy names the reason it fails.
    pub fn set_taxonomies(&mut self, taxonomies: &[TaxonomyKind]) {
        self.taxonomies = taxonomies.to_vec();
    }

    /// The taxonomy, not enabled, whose content folder holds `target`.
    fn disabled_taxonomy(&self, target: &Path) -> Option<TaxonomyKind> {
        let mut parts = target.components();
        if self.taxonomies.is_empty() || parts.next()? != Component::Normal(CONTENT_DIR.as_ref()) {
            return None;
        }
        let kind = TaxonomyKind::from_name(parts.next()?.as_os_str().to_str()?)?;
        (!self.taxonomies.contains(&kind)).then_some(kind)
    }

    /// Where a link written in `from` leads. Links to source files must name a page of this
    /// build; everything else is judged later (fragments, root-relative paths) or left alone.
    pub fn resolve(&self, from: &Path, link: &str) -> Result<Resolved, LinkError> {
        if link.starts_with("//") {
            return Ok(Resolved::Elsewhere);
        }
        if let Some(fragment) = link.strip_prefix('#') {
            return Ok(if fragment.is_empty() {
                Resolved::Elsewhere
            } else {
                Resolved::OwnFragment(fragment.to_owned())
            });
        }
        if let Some(rooted) = link.strip_prefix('/') {
            let end = rooted.find(['#', '?']).unwrap_or(rooted.len());
            return Ok(Resolved::SitePath {
                path: rooted[..end].to_owned(),
                rest: rooted[end..].to_owned(),
            });
        }
        if link.contains(':') && !link.starts_with("@/") {
            return Ok(Resolved::Elsewhere);
        }
        let (path, fragment) = match link.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (link, None),
        };
        if !path.ends_with(".md") {
            return self.without_extension(from, path, fragment);
        }
        let joined = self.joined(from, path);
        let target = normalize(&joined);
        let Some(site_path) = target.as_ref().and_then(|t| self.pages.get(t)) else {
            let shown = target.unwrap_or(joined);
            return Err(if self.drafts.contains(&shown) {
                LinkError::Draft(shown)
            } else if self.unparsed.contains(&shown) {
                LinkError::Unparsed(shown)
            } else if let Some(kind) = self.disabled_taxonomy(&shown) {
                LinkError::NotEnabled(kind)
            } else {
                LinkError::Missing(shown)
            });
        };
        Ok(Resolved::Page {
            source: target.unwrap_or_default(),
            site_path: site_path.clone(),
            fragment: fragment.filter(|f| !f.is_empty()).map(str::to_owned),
        })
    }

    /// A link without `.md`: a mistake when adding `.md` names a page or a draft
    /// (`[x](2023-11-21-launch)`), else a file apogee leaves alone. `@/` is apogee's own
    /// prefix, so such a link that names nothing points nowhere.
    fn without_extension(
        &self,
        from: &Path,
        path: &str,
        fragment: Option<&str>,
    ) -> Result<Resolved, LinkError> {
        let stem = path.trim_end_matches('/');
        let is_rooted = path.starts_with("@/");
        let has_extension = stem
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains('.'));
        if stem.is_empty() || has_extension && !is_rooted {
            return Ok(Resolved::Elsewhere);
        }
        let with_md = format!("{stem}.md");
        let known = normalize(&self.joined(from, &with_md))
            .is_some_and(|t| self.pages.contains_key(&t) || self.drafts.contains(&t));
        if known {
            let suggestion = match fragment {
                Some(fragment) => format!("{with_md}#{fragment}"),
                None => with_md,
            };
            return Err(LinkError::WithoutExtension(suggestion));
        }
        if is_rooted {
            return Err(LinkError::Missing(self.joined(from, path)));
        }
        Ok(Resolved::Elsewhere)
    }

    fn joined(&self, from: &Path, path: &str) -> PathBuf {
        match path.strip_prefix("@/") {
            Some(rooted) => Path::new(CONTENT_DIR).join(rooted),
            None => from.parent().unwrap_or(Path::new("")).join(path),
        }
    }
}

/// Resolves `.` and `..` without touching the disk; `None` if it climbs above the root.
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Routes {
        let mut pages = HashMap::new();
        pages.insert(
            PathBuf::from("content/briefings/2023/a.md"),
            "briefings/a/".to_owned(),
        );
        pages.insert(
            PathBuf::from("content/briefings/2024/b.md"),
            "briefings/b/".to_owned(),
        );
        pages.insert(
            PathBuf::from("content/rockets/h3.md"),
            "rockets/h3/".to_owned(),
        );
        let drafts = [PathBuf::from("content/briefings/2024/draft.md")]
            .into_iter()
            .collect();
        Routes {
            pages,
            drafts,
            unparsed: BTreeSet::new(),
            taxonomies: Vec::new(),
        }
        .with_unparsed([PathBuf::from("content/briefings/2024/broken.md")])
    }

    fn site_path(resolved: Result<Resolved, LinkError>) -> Option<String> {
        match resolved {
            Ok(Resolved::Page { site_path, .. }) => Some(site_path),
            _ => None,
        }
    }

    #[test]
    fn later_pages_continue_under_page_and_know_their_first() {
        assert_eq!(
            term_page_path(TaxonomyKind::Rockets, "h3", 1),
            "rockets/h3/"
        );
        assert_eq!(
            term_page_path(TaxonomyKind::Rockets, "h3", 2),
            "rockets/h3/page/2/"
        );
        assert_eq!(year_page_path(2024, 3), "archive/2024/page/3/");
        assert_eq!(home_page_path(2), "page/2/");
        assert_eq!(first_page_of("rockets/h3/page/12/"), "rockets/h3/");
        assert_eq!(first_page_of("page/2/"), "");
        assert_eq!(first_page_of("rockets/h3/"), "rockets/h3/");
        assert_eq!(first_page_of("briefings/page/"), "briefings/page/");
        assert_eq!(first_page_of("rockets/mypage/2/"), "rockets/mypage/2/");
    }

    #[test]
    fn relative_and_rooted_links_resolve() {
        let from = Path::new("content/briefings/2024/b.md");
        let routes = routes();
        assert_eq!(
            site_path(routes.resolve(from, "../2023/a.md")),
            Some("briefings/a/".to_owned())
        );
        assert_eq!(
            routes.resolve(from, "./../2023/a.md#why"),
            Ok(Resolved::Page {
                source: "content/briefings/2023/a.md".into(),
                site_path: "briefings/a/".into(),
                fragment: Some("why".into()),
            })
        );
        assert_eq!(
            site_path(routes.resolve(from, "@/rockets/h3.md")),
            Some("rockets/h3/".to_owned())
        );
    }

    #[test]
    fn redirects_land_in_folders_or_named_files() {
        assert_eq!(redirect_file("/old/url/"), "old/url/index.html");
        assert_eq!(redirect_file("/old/url"), "old/url/index.html");
        assert_eq!(redirect_file("/2023/x.html"), "2023/x.html");
    }

    #[test]
    fn other_links_are_left_alone() {
        let from = Path::new("content/briefings/2024/b.md");
        for link in [
            "https://example.org/x.md",
            "image.png",
            "mailto:a@b.c",
            "//cdn.example.org/x",
            "#",
            "notes",
        ] {
            assert_eq!(
                routes().resolve(from, link),
                Ok(Resolved::Elsewhere),
                "{link}"
            );
        }
        assert_eq!(
            routes().resolve(from, "#top"),
            Ok(Resolved::OwnFragment("top".into()))
        );
        assert_eq!(
            routes().resolve(from, "/rockets/h3/?x=1#record"),
            Ok(Resolved::SitePath {
                path: "rockets/h3/".into(),
                rest: "?x=1#record".into()
            })
        );
    }

    #[test]
    fn broken_and_draft_links_are_errors() {
        let from = Path::new("content/briefings/2024/b.md");
        let routes = routes();
        assert_eq!(
            routes.resolve(from, "c.md"),
            Err(LinkError::Missing("content/briefings/2024/c.md".into()))
        );
        assert_eq!(
            routes.resolve(from, "draft.md"),
            Err(LinkError::Draft("content/briefings/2024/draft.md".into()))
        );
        assert_eq!(
            routes.resolve(from, "broken.md"),
            Err(LinkError::Unparsed(
                "content/briefings/2024/broken.md".into()
            ))
        );
        assert!(matches!(
            routes.resolve(from, "../../../../etc/x.md"),
            Err(LinkError::Missing(_))
        ));
        assert_eq!(
            routes.resolve(from, "../2023/a#why"),
            Err(LinkError::WithoutExtension("../2023/a.md#why".into()))
        );
        assert_eq!(
            routes.resolve(from, "@/rockets/h3/"),
            Err(LinkError::WithoutExtension("@/rockets/h3.md".into()))
        );
        assert_eq!(
            routes.resolve(from, "draft"),
            Err(LinkError::WithoutExtension("draft.md".into()))
        );
        assert!(matches!(
            routes.resolve(from, "@/rockets/nope"),
            Err(LinkError::Missing(_))
        ));
    }
}
