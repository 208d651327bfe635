//! The link pass: every link of every body judged at once, once the whole site is known.
//!
//! Rendering a body ([`crate::index::markdown`]) resolves links to source files and notes
//! what it cannot judge alone: a `#fragment` needs the ids of its target document, known
//! only after every body is rendered, and a root-relative link (`/rockets/h3/`) needs the
//! site's pages, known once the site is indexed. This pass reports every such problem of
//! every file together, located, with a did-you-mean where one is close. It does not decide
//! which pages a site has: the caller hands it their paths.
//!
//! Fragments are checked against the ids of the target's Markdown text (headings, footnotes,
//! `id="…"` in its HTML); fragments of root-relative links are not, because the pages they
//! name (term lists, the archive, search) get their ids from the theme.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::Path;

use crate::diagnostic::{self, Diagnostic, Problem};
use crate::index::markdown::{Article, LinkCheck};

/// Every output file of a site by its path (`rockets/h3/index.html`, `feed.xml`,
/// `css/site.css`): what a root-relative link may name.
#[derive(Debug, Default, Clone)]
pub struct SitePaths(BTreeSet<String>);

impl FromIterator<String> for SitePaths {
    fn from_iter<I: IntoIterator<Item = String>>(paths: I) -> Self {
        SitePaths(paths.into_iter().collect())
    }
}

impl SitePaths {
    /// Whether a link to site path `path` (`rockets/h3/`, `rockets/h3`, `feed.xml`, ``)
    /// reaches a file: a folder is served by its `index.html`.
    pub fn reaches(&self, path: &str) -> bool {
        let path = path.strip_prefix("./").unwrap_or(path);
        if path.split('/').any(|segment| segment == "..") {
            return false;
        }
        if path.is_empty() || path.ends_with('/') {
            return self.0.contains(&format!("{path}index.html"));
        }
        self.0.contains(path) || self.0.contains(&format!("{path}/index.html"))
    }

    /// The page closest to a broken `path`, as a link would name it.
    fn near(&self, path: &str) -> Option<String> {
        let pages = self
            .0
            .iter()
            .filter(|p| p.ends_with("index.html") && *p != "index.html")
            .map(|p| p.trim_end_matches("index.html"));
        diagnostic::did_you_mean(path, pages).map(str::to_owned)
    }
}

/// Every link problem of `documents` (each source file with its rendered body), sorted.
pub fn check<'a>(
    documents: impl IntoIterator<Item = (&'a Path, &'a Article)>,
    site: &SitePaths,
) -> Vec<Diagnostic> {
    let documents: Vec<(&Path, &Article)> = documents.into_iter().collect();
    let mut targets = Targets::new(&documents);
    let mut found = Vec::new();
    for &(source, article) in &documents {
        for link in &article.links {
            let problem =
                match &link.check {
                    LinkCheck::Broken(problem) => Some(problem.clone()),
                    LinkCheck::Fragment {
                        target,
                        page,
                        fragment,
                    } => targets.missing(page, fragment).map(|target_article| {
                        Problem::BrokenFragment {
                            target: target.clone(),
                            fragment: fragment.clone(),
                            page: (page != source).then(|| page.clone()),
                            near: nearest_id(fragment, target_article),
                        }
                    }),
                    LinkCheck::SitePath {
                        target,
                        path,
                        unprefixed,
                    } => (!site.reaches(path)).then(|| Problem::BrokenSitePath {
                        target: target.clone(),
                        near: unprefixed
                            .clone()
                            .filter(|rest| site.reaches(rest))
                            .or_else(|| site.near(path)),
                    }),
                };
            if let Some(problem) = problem {
                found.push(Diagnostic::error(link.location.clone(), problem));
            }
        }
    }
    diagnostic::sort(&mut found);
    found
}

/// The documents that fragments point into, indexed only once a fragment needs them (most
/// builds have few fragments, and the preview runs this pass on every rebuild), and the ids
/// of each, gathered once: a long page with many links to its own headings costs links
/// plus ids, not their product.
struct Targets<'a> {
    documents: &'a [(&'a Path, &'a Article)],
    by_path: Option<HashMap<&'a OsStr, &'a Article>>,
    ids: HashMap<&'a OsStr, HashSet<&'a str>>,
}

impl<'a> Targets<'a> {
    fn new(documents: &'a [(&'a Path, &'a Article)]) -> Self {
        Targets {
            documents,
            by_path: None,
            ids: HashMap::new(),
        }
    }

    /// The document `page` if it has no id `fragment`; `None` if it has one, or if `page`
    /// is no document of this build (a link to it is reported by rendering).
    fn missing(&mut self, page: &Path, fragment: &str) -> Option<&'a Article> {
        let documents = self.documents;
        let by_path = self.by_path.get_or_insert_with(|| {
            documents
                .iter()
                .map(|&(path, article)| (path.as_os_str(), article))
                .collect()
        });
        let (&key, &article) = by_path.get_key_value(page.as_os_str())?;
        let ids = self.ids.entry(key).or_insert_with(|| {
            article
                .heading_ids
                .iter()
                .chain(&article.other_ids)
                .map(String::as_str)
                .collect()
        });
        (!ids.contains(fragment)).then_some(article)
    }
}

/// The id of `article` closest to a `fragment` it does not have.
fn nearest_id(fragment: &str, article: &Article) -> Option<String> {
    let ids = article.heading_ids.iter().chain(&article.other_ids);
    diagnostic::did_you_mean(fragment, ids.map(String::as_str)).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::index::markdown::Link;

    fn article(ids: &[&str], links: Vec<Link>) -> Article {
        Article {
            heading_ids: ids.iter().map(|s| s.to_string()).collect(),
            links,
            ..Article::default()
        }
    }

    fn link(check: LinkCheck) -> Link {
        Link {
            location: Location::file(Path::new("a.md")),
            check,
        }
    }

    fn fragment(page: &str, fragment: &str) -> LinkCheck {
        LinkCheck::Fragment {
            target: format!("{page}#{fragment}"),
            page: page.into(),
            fragment: fragment.into(),
        }
    }

    #[test]
    fn fragments_are_checked_against_the_target_s_ids() {
        let a = article(
            &["context"],
            vec![
                link(fragment("a.md", "contxt")),
                link(fragment("b.md", "why")),
                link(fragment("b.md", "nope")),
            ],
        );
        let b = article(&["why"], vec![]);
        let found = check(
            [(Path::new("a.md"), &a), (Path::new("b.md"), &b)],
            &SitePaths::default(),
        );
        let problems: Vec<&Problem> = found.iter().map(|d| &d.problem).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            matches!(problems[0], Problem::BrokenFragment { page: None, near: Some(near), .. } if near == "context")
        );
        assert!(
            matches!(problems[1], Problem::BrokenFragment { page: Some(page), near: None, .. } if page == Path::new("b.md"))
        );
    }

    #[test]
    fn root_relative_links_must_reach_a_page_or_file() {
        let site: SitePaths = [
            "index.html",
            "rockets/h3/index.html",
            "feed.xml",
            "css/site.css",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        for reached in ["", "rockets/h3/", "rockets/h3", "feed.xml", "css/site.css"] {
            assert!(site.reaches(reached), "{reached}");
        }
        for missed in ["rockets/h2/", "rockets/", "feed.xml/", "rockets/h3/../h3/"] {
            assert!(!site.reaches(missed), "{missed}");
        }
        let a = article(
            &[],
            vec![
                link(LinkCheck::SitePath {
                    target: "/rockets/h4/".into(),
                    path: "rockets/h4/".into(),
                    unprefixed: None,
                }),
                link(LinkCheck::SitePath {
                    target: "/archive/feed.xml".into(),
                    path: "archive/feed.xml".into(),
                    unprefixed: Some("feed.xml".into()),
                }),
            ],
        );
        let found = check([(Path::new("a.md"), &a)], &site);
        let near: Vec<Option<&str>> = found
            .iter()
            .map(|d| match &d.problem {
                Problem::BrokenSitePath { near, .. } => near.as_deref(),
                _ => None,
            })
            .collect();
        assert_eq!(near, vec![Some("rockets/h3/"), Some("feed.xml")]);
    }
}
