//! The content files of a site, read and parsed, kept between builds.
//!
//! A build starts with an empty cache and fills it; the preview keeps its cache and tells it
//! which paths changed ([`SourceCache::forget`]), so that a rebuild reads and parses those
//! files alone. The cache walks
//! `content/` again only when files appear or vanish. It holds what loading makes (texts and
//! validated documents, or their diagnostics) and nothing of later stages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::{Briefing, Listing, Page, Source, Sources, TermPage, bundle, list, read_source};
use super::{parse_briefing_with, parse_page, parse_term_page};
use crate::diagnostic::Diagnostic;
use crate::vocabulary::TaxonomyKind;

/// Parsed content files by path, and the listing they came from.
#[derive(Debug, Default)]
pub struct SourceCache {
    /// Keep what is read for the next load (the preview); a one-shot cache (a build) hands
    /// its documents over instead of copying them.
    keep: bool,
    /// The files found by the last walk, for these taxonomies; `None`: walk again.
    listing: Option<(Vec<TaxonomyKind>, Listing)>,
    files: HashMap<PathBuf, Cached>,
    /// Bundle files and `static/` image sizes, read again only when a file changes.
    kept: bundle::Kept,
}

#[derive(Debug, Clone)]
struct Cached {
    source: Source,
    parsed: Parsed,
}

#[derive(Debug, Clone)]
enum Parsed {
    /// Shared with the sites built from it: a rebuild copies no briefing.
    Briefing(Arc<Briefing>),
    TermPage(Box<TermPage>),
    Page(Box<Page>),
    Broken(Vec<Diagnostic>),
}

/// What a content file is, by the folder it is in.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Briefing,
    TermPage(TaxonomyKind),
    Page,
}

/// Every content file of a site as documents, in the listing's order (sorted by path).
#[derive(Debug, Default)]
pub struct Loaded {
    /// The text of every file read, to locate warnings in.
    pub sources: Sources,
    /// Briefings that parsed, drafts included.
    pub briefings: Vec<Arc<Briefing>>,
    /// Term pages that parsed.
    pub term_pages: Vec<TermPage>,
    /// Standalone pages that parsed.
    pub pages: Vec<Page>,
    /// Files that could not be walked, read or parsed.
    pub diagnostics: Vec<Diagnostic>,
}

impl SourceCache {
    /// A cache that keeps what it reads between loads.
    pub fn keeping() -> Self {
        SourceCache {
            keep: true,
            kept: bundle::Kept::keeping(),
            ..SourceCache::default()
        }
    }

    /// Forgets what is kept of `path` (relative to `root`, or absolute): the next load reads
    /// it again. A path the last walk did not find, or one that is gone, means files
    /// appeared or vanished: the next load walks `content/` again.
    pub fn forget(&mut self, root: &Path, path: &Path) {
        let full = root.join(path);
        let listed = self.listing.as_ref().is_some_and(|(_, listing)| {
            listing.briefings.contains(&full)
                || listing.pages.contains(&full)
                || listing.term_pages.iter().any(|(_, p)| *p == full)
        });
        if !listed || !full.is_file() {
            self.listing = None;
        }
        self.files.remove(&full);
    }

    /// Forgets everything: the next load starts afresh.
    pub fn forget_all(&mut self) {
        *self = if self.keep {
            SourceCache::keeping()
        } else {
            SourceCache::default()
        };
    }

    /// The text of a cached file, if it is kept.
    pub fn source(&self, root: &Path, path: &Path) -> Option<&Source> {
        self.files
            .get(&root.join(path))
            .map(|cached| &cached.source)
    }

    /// Every content file of the site under `root`: those kept as they are, the others read
    /// and parsed (in parallel).
    pub fn load(&mut self, root: &Path, taxonomies: &[TaxonomyKind]) -> Loaded {
        let mut diagnostics = Vec::new();
        let stale_listing = self
            .listing
            .as_ref()
            .is_none_or(|(kinds, _)| kinds != taxonomies);
        if stale_listing {
            let declared_anew = self
                .listing
                .as_ref()
                .is_some_and(|(kinds, _)| kinds != taxonomies);
            if declared_anew {
                // Briefings read the keys of declared taxonomies: parse them again.
                self.files.clear();
            }
            let (listing, errors) = list(root, taxonomies);
            diagnostics.extend(errors);
            self.files.retain(|path, _| {
                listing.briefings.contains(path)
                    || listing.pages.contains(path)
                    || listing.term_pages.iter().any(|(_, p)| p == path)
            });
            self.listing = Some((taxonomies.to_vec(), listing));
        }
        let Some((_, listing)) = &self.listing else {
            return Loaded::default();
        };
        let wanted = listing
            .briefings
            .iter()
            .map(|path| (Kind::Briefing, path))
            .chain(
                listing
                    .term_pages
                    .iter()
                    .map(|(kind, path)| (Kind::TermPage(*kind), path)),
            )
            .chain(listing.pages.iter().map(|path| (Kind::Page, path)));
        // One lookup per file (hashing a path is not free at 10k files); what is kept is
        // shared, not copied (texts and documents are behind `Arc`s).
        let mut found: Vec<Option<Cached>> = Vec::new();
        let mut missing: Vec<(usize, Kind, &PathBuf)> = Vec::new();
        for (kind, path) in wanted {
            let kept = self.files.get(path).cloned();
            if kept.is_none() {
                missing.push((found.len(), kind, path));
            }
            found.push(kept);
        }
        let read: Vec<(usize, &PathBuf, Result<Cached, Diagnostic>)> = missing
            .into_par_iter()
            .map(|(at, kind, path)| (at, path, read_and_parse(root, path, kind, taxonomies)))
            .collect();
        for (at, path, cached) in read {
            match cached {
                Ok(cached) => {
                    if self.keep {
                        self.files.insert(path.clone(), cached.clone());
                    }
                    found[at] = Some(cached);
                }
                // Unreadable files are not kept: the next build tries them again.
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let keep = self.keep;
        let mut found = found.into_iter();
        let mut take = || found.next().flatten();
        let mut loaded = Loaded::default();
        for _ in &listing.briefings {
            let Some(cached) = take() else {
                continue;
            };
            loaded.sources.briefings.push(cached.source);
            match cached.parsed {
                Parsed::Briefing(briefing) => loaded.briefings.push(briefing),
                Parsed::Broken(errors) => loaded.diagnostics.extend(errors),
                Parsed::TermPage(_) | Parsed::Page(_) => {}
            }
        }
        for (kind, _) in &listing.term_pages {
            let Some(cached) = take() else {
                continue;
            };
            loaded.sources.term_pages.push((*kind, cached.source));
            match cached.parsed {
                Parsed::TermPage(page) => loaded.term_pages.push(*page),
                Parsed::Broken(errors) => loaded.diagnostics.extend(errors),
                Parsed::Briefing(_) | Parsed::Page(_) => {}
            }
        }
        for _ in &listing.pages {
            let Some(cached) = take() else {
                continue;
            };
            loaded.sources.pages.push(cached.source);
            match cached.parsed {
                Parsed::Page(page) => loaded.pages.push(*page),
                Parsed::Broken(errors) => loaded.diagnostics.extend(errors),
                Parsed::Briefing(_) | Parsed::TermPage(_) => {}
            }
        }
        // The files of bundles are read on every load: they are few, and an edited image
        // must show in the next build.
        let documents: Vec<&PathBuf> = listing.briefings.iter().chain(&listing.pages).collect();
        let (files, unreadable) = bundle::read_files(root, &documents, &mut self.kept);
        loaded.diagnostics.extend(unreadable);
        loaded.sources.files = files;
        loaded.sources.statics = bundle::static_files(root, &mut self.kept);
        loaded.sources.stray = listing.stray.clone();
        if !keep {
            self.listing = None;
        }
        loaded.diagnostics.extend(diagnostics);
        loaded
    }
}

fn read_and_parse(
    root: &Path,
    path: &Path,
    kind: Kind,
    taxonomies: &[TaxonomyKind],
) -> Result<Cached, Diagnostic> {
    let source = read_source(root, path)?;
    let parsed = match kind {
        Kind::Briefing => {
            parse_briefing_with(&source, taxonomies).map(|b| Parsed::Briefing(Arc::new(b)))
        }
        Kind::TermPage(kind) => {
            parse_term_page(kind, &source).map(|p| Parsed::TermPage(Box::new(p)))
        }
        Kind::Page => parse_page(&source).map(|p| Parsed::Page(Box::new(p))),
    };
    Ok(Cached {
        source,
        parsed: parsed.unwrap_or_else(Parsed::Broken),
    })
}
