//! Redirect pages: for every `redirect_from` path of a briefing or standalone page, a small
//! HTML page at the old address that sends readers (meta refresh), search engines
//! (canonical link, `noindex`) and text browsers (a plain link) to the new one.
//!
//! They are written by apogee itself rather than by a theme template, so that a theme can
//! never break them; they are in no sitemap or feed. A redirect standing where a real page
//! is, or where another redirect is, is an error: it would replace that page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::OutputFile;
use super::xml::escape;
use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::index::Site;
use crate::index::routes;

/// One old address and where it leads.
struct Redirect<'a> {
    old: &'a str,
    source: &'a Path,
    title: &'a str,
    site_path: &'a str,
}

fn redirects(site: &Site) -> Vec<Redirect<'_>> {
    let briefings = site.briefings.iter().flat_map(|entry| {
        entry.briefing.redirect_from.iter().map(|old| Redirect {
            old,
            source: &entry.briefing.source,
            title: &entry.briefing.title,
            site_path: &entry.path,
        })
    });
    let pages = site.pages.iter().flat_map(|entry| {
        entry.page.redirect_from.iter().map(|old| Redirect {
            old,
            source: &entry.page.source,
            title: &entry.page.title,
            site_path: &entry.path,
        })
    });
    briefings.chain(pages).collect()
}

/// The output files of every redirect page, so that the sitemap can leave them out.
pub fn redirect_files(site: &Site) -> Vec<String> {
    redirects(site)
        .iter()
        .map(|redirect| routes::redirect_file(redirect.old))
        .collect()
}

/// The redirect pages of `site`, checked against the `rendered` pages they may not replace.
pub(super) fn pages(
    site: &Site,
    rendered: &[OutputFile],
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let owners: BTreeMap<&str, PathBuf> = site
        .briefings
        .iter()
        .map(|entry| (entry.path.as_str(), entry.briefing.source.clone()))
        .chain(
            site.pages
                .iter()
                .map(|entry| (entry.path.as_str(), entry.page.source.clone())),
        )
        .collect();
    let mut taken: BTreeMap<String, PathBuf> = rendered
        .iter()
        .map(|file| {
            let site_path = file.path.strip_suffix("index.html").unwrap_or(&file.path);
            // A page of apogee's own (a list, the archive) is owned by the site, not a file.
            let owner = owners
                .get(site_path)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(format!("/{site_path}")));
            (file.path.clone(), owner)
        })
        .collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for redirect in redirects(site) {
        let path = routes::redirect_file(redirect.old);
        if let Some(owner) = taken.get(&path) {
            let problem = Problem::RedirectCollision {
                path: redirect.old.to_owned(),
                owner: owner.clone(),
            };
            errors.push(Diagnostic::error(Location::file(redirect.source), problem));
            continue;
        }
        taken.insert(path.clone(), redirect.source.to_path_buf());
        files.push(OutputFile {
            path,
            bytes: page(site, &redirect).into_bytes(),
        });
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn page(site: &Site, redirect: &Redirect) -> String {
    let link = escape(&site.config.base_url.link(redirect.site_path));
    let canonical = escape(&site.config.base_url.permalink(redirect.site_path));
    let title = escape(redirect.title);
    let language = escape(&site.config.language);
    format!(
        "<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={link}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{link}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}
