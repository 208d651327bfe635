//! Redirect pages: for every `redirect_from` path of a briefing or standalone page, a small
//! HTML page at the old address that sends readers (meta refresh), search engines
//! (canonical link, `noindex`) and text browsers (a plain link) to the new one.
//!
//! They are written by apogee itself rather than by a theme template, so that a theme can
//! never break them; they are in no sitemap or feed. A redirect standing where another
//! output file is, or where another redirect is, is an error: it would replace that file; so
//! is a bundle's file that would replace a page.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::xml::escape;
use super::{OutputFile, jobs};
use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::index::Site;
use crate::render::Job;

/// The redirects and bundle files of `site` that would replace another output file (a
/// bundle holding an `index.html` beside its `index.md`), or each other.
pub fn collisions(site: &Site) -> Vec<Diagnostic> {
    if site.redirects.is_empty() && site.files.is_empty() {
        return Vec::new();
    }
    let owners: BTreeMap<String, &PathBuf> = site
        .entries()
        .iter()
        .map(|entry| (format!("{}index.html", entry.path), &entry.briefing.source))
        .chain(
            site.pages
                .iter()
                .map(|entry| (format!("{}index.html", entry.path), &entry.page.source)),
        )
        .collect();
    let mut taken: BTreeMap<String, PathBuf> = jobs(site)
        .into_iter()
        .filter(|job| !matches!(job, Job::Redirect(_) | Job::File(_)))
        .map(|job| {
            let path = job.path(site);
            // A page of apogee's own (a list, the archive) is named by its address.
            let owner = owners
                .get(&path)
                .map(|source| (*source).clone())
                .unwrap_or_else(|| PathBuf::from(format!("/{path}")));
            (path, owner)
        })
        .collect();
    let mut errors = Vec::new();
    for file in &site.files {
        if let Some(owner) = taken.get(&file.path) {
            let problem = Problem::FileCollision {
                path: file.path.clone(),
                owner: owner.clone(),
            };
            errors.push(Diagnostic::error(Location::file(&file.source), problem));
        }
    }
    taken.extend(
        site.files
            .iter()
            .map(|file| (file.path.clone(), file.source.clone())),
    );
    for redirect in &site.redirects {
        if let Some(owner) = taken.get(&redirect.file) {
            let problem = Problem::RedirectCollision {
                path: redirect.old.clone(),
                owner: owner.clone(),
            };
            errors.push(Diagnostic::error(Location::file(&redirect.source), problem));
            continue;
        }
        taken.insert(redirect.file.clone(), redirect.source.clone());
    }
    errors
}

/// The redirect page at `index` of the site's redirects.
pub(super) fn page(site: &Site, index: usize) -> OutputFile {
    let redirect = &site.redirects[index];
    let link = escape(&site.config.base_url.link(&redirect.target));
    let canonical = escape(&site.config.base_url.permalink(&redirect.target));
    let title = escape(&redirect.title);
    let language = escape(&site.config.language);
    let html = format!(
        "<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={link}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{link}\">{title}</a>.</p>\n</body>\n</html>\n"
    );
    OutputFile {
        path: redirect.file.clone(),
        bytes: html.into_bytes(),
    }
}
