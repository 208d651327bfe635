//! Watching a site's sources for changes: `content/`, `templates/`, `themes/`, `static/` and
//! `site.yaml`, through notify with notify-debouncer-full.
//!
//! The debouncer turns an editor's burst of events (write to a temp file, rename it over the
//! original, touch metadata) into one batch, pairs the two halves of a rename so both names
//! arrive, and drops files that were created and removed inside the window. This module
//! reduces each batch to the set of site files that changed; deciding what to rebuild is
//! the rebuild loop's job.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load;
use crate::load::config;

/// The folders under the site root whose changes rebuild the site.
pub const WATCHED_FOLDERS: &[&str] = &[load::CONTENT_DIR, "templates", "themes", "static"];

/// How long the sources must stay quiet before a batch is delivered. Short, because it is
/// part of the time from a save to the browser; an editor's save takes a few milliseconds.
const QUIET: Duration = Duration::from_millis(20);

/// One batch of changes, with paths relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Site files created, modified, removed or renamed (both names of a rename).
    pub paths: BTreeSet<PathBuf>,
    /// The watcher lost track (overflow, error): assume anything may have changed.
    pub rescan: bool,
}

impl Changes {
    /// True when nothing the site is made of changed.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Adds `other` to this batch.
    pub fn merge(&mut self, other: Changes) {
        self.paths.extend(other.paths);
        self.rescan |= other.rescan;
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    base: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching those of the watched folders that exist now and were not watched yet
    /// (a site may create `templates/` while it is being previewed).
    pub fn watch_new_folders(&mut self) -> notify::Result<()> {
        for folder in WATCHED_FOLDERS {
            let path = self.base.join(folder);
            if !self.watched.contains(folder) && path.is_dir() {
                self.debouncer.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(folder);
            }
        }
        Ok(())
    }
}

/// Starts watching the site at `root`, sending each non-empty batch of changes to `changes`.
pub fn start(root: &Path, changes: Sender<Changes>) -> notify::Result<Watcher> {
    let base = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let handler_base = base.clone();
    let handler = move |result: DebounceEventResult| {
        let batch = match result {
            Ok(events) => {
                let mut batch = Changes::default();
                for event in events.iter().filter(|event| is_change(&event.kind)) {
                    batch.rescan |= event.need_rescan();
                    batch.paths.extend(
                        event
                            .paths
                            .iter()
                            .filter_map(|path| site_path(&handler_base, path)),
                    );
                }
                batch
            }
            Err(_) => Changes {
                paths: BTreeSet::new(),
                rescan: true,
            },
        };
        if !batch.is_empty() {
            let _ = changes.send(batch);
        }
    };
    let mut debouncer = new_debouncer(QUIET, Some(Duration::from_millis(5)), handler)?;
    // The root itself, not recursively: site.yaml (saved atomically, so a watch on the file
    // would follow the old inode) and the watched folders appearing or disappearing.
    debouncer.watch(&base, RecursiveMode::NonRecursive)?;
    let mut watcher = Watcher {
        debouncer,
        base,
        watched: BTreeSet::new(),
    };
    watcher.watch_new_folders()?;
    Ok(watcher)
}

/// Reads and opens are not changes (the build itself reads every file); a write is.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// `path` relative to the site root, if it is part of the site's sources and not an
/// editor's temporary file.
pub fn site_path(base: &Path, path: &Path) -> Option<PathBuf> {
    let relative = path.strip_prefix(base).ok()?;
    if relative
        .components()
        .any(|part| load::is_ignored(part.as_os_str()))
    {
        return None;
    }
    let first = relative.components().next()?.as_os_str();
    let watched = WATCHED_FOLDERS.iter().any(|folder| first == *folder)
        || relative == Path::new(config::FILE_NAME);
    watched.then(|| relative.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_are_kept_relative() {
        let base = Path::new("/site");
        let kept = site_path(base, Path::new("/site/content/briefings/2024/a.md"));
        assert_eq!(kept, Some(PathBuf::from("content/briefings/2024/a.md")));
        assert_eq!(
            site_path(base, Path::new("/site/site.yaml")),
            Some(PathBuf::from("site.yaml"))
        );
        assert_eq!(
            site_path(base, Path::new("/site/templates")),
            Some(PathBuf::from("templates"))
        );
    }

    #[test]
    fn editor_files_and_other_folders_are_dropped() {
        let base = Path::new("/site");
        for path in [
            "/site/content/briefings/.a.md.swp",
            "/site/content/briefings/a.md~",
            "/site/content/briefings/.#a.md",
            "/site/content/briefings/4913",
            "/site/public/index.html",
            "/site/target/debug/apogee",
            "/site/README.md",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(site_path(base, Path::new(path)), None, "{path}");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Remove(
            notify::event::RemoveKind::File
        )));
    }
}
