//! Writing a rendered site without ever exposing a half-written output.
//!
//! The new site is written into a private folder beside the output (`.<name>.apogee-spare`),
//! which is then exchanged with the output in one atomic rename: a failed or interrupted build
//! leaves the previous output exactly as it was. After the exchange, the spare folder holds
//! the previous output and is kept: the next build brings it up to date in place, writing only
//! the files that differ and removing the ones that went away, so a rebuild costs what
//! changed rather than a full write plus a full delete (deleting thousands of files is the
//! slowest thing a build can ask of many file systems).
//!
//! apogee owns only what it wrote. Every output holds a manifest (`.apogee-manifest`, a JSON
//! list of the paths apogee wrote); anything else in the output (`.git/`, `CNAME`) belongs to
//! the user and is carried into the new output before the exchange (hard-linked, so even a
//! large `.git/` costs one link per file), so it survives every build. A non-empty folder
//! without a manifest is not apogee's and is refused unless the user passes `force` (then its
//! files are kept, and those at paths apogee writes are replaced); an existing file is never
//! an output. A lock file beside the output (`.<name>.apogee-lock`) makes concurrent builds
//! into one output take turns, and the new output is flushed to disk before it is swapped in.
//!
//! A build streams its files into the spare folder as they are rendered ([`Staging::put`],
//! from any thread), so that it holds only the pages in flight; [`Staging::finish`] then adds
//! the assets, removes what the build did not write, carries the user's files and swaps.
//!
//! This module owns the safety rules for the output folder (never the site root, never a
//! folder holding the writer's sources). It writes bytes it is given; it renders nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::load::theme::Asset;
use crate::render::OutputFile;

mod ownership;

pub use ownership::MANIFEST;
use ownership::{
    Foreign, carry, check_clashes, check_owner, foreign_entries, lock, make_durable,
    manifest_bytes, set_aside_unowned_spare, sync_folder_entry,
};

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder would overwrite the writer's own files.
    #[error("refusing to write to {}: {reason}", path.display())]
    Unsafe {
        /// The output folder asked for.
        path: PathBuf,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The file system said no.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// A page or asset path would land outside the output folder.
    #[error("refusing to write {path}: it would land outside the output folder")]
    Escape {
        /// The offending path.
        path: String,
    },
    /// A static file would take the manifest's place.
    #[error(
        "refusing to write {path}: apogee keeps its list of written files there (rename the file in static/)"
    )]
    Reserved {
        /// The offending path.
        path: String,
    },
    /// The output asked for is an existing file, not a folder.
    #[error("refusing to write to {}: it is a file, not a folder (see --output)", path.display())]
    NotAFolder {
        /// The output asked for.
        path: PathBuf,
    },
    /// The output folder holds files and no manifest: apogee did not make it.
    #[error(
        "refusing to write to {}: it is not empty and apogee did not make it (it has no {MANIFEST}){}; pass --force to build there anyway (its files are kept, those at paths apogee writes are replaced)",
        path.display(),
        if *.built_before { ", though an earlier apogee built there" } else { "" }
    )]
    NotApogees {
        /// The output asked for.
        path: PathBuf,
        /// A spare folder beside it says an apogee without manifests built there.
        built_before: bool,
    },
    /// A file apogee did not write sits where the build now writes.
    #[error(
        "refusing to replace {} in the output: apogee did not write it, and the build now writes {path}; move it away (or into static/), or pass --force to replace it",
        output.join(foreign).display()
    )]
    WouldReplace {
        /// The output folder.
        output: PathBuf,
        /// The user's file or folder, relative to the output.
        foreign: String,
        /// What the build writes there.
        path: String,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Rendered HTML pages.
    pub pages: usize,
    /// Other generated files: feeds, sitemap, open data, the search index.
    pub generated: usize,
    /// Copied assets.
    pub assets: usize,
    /// Bytes in all.
    pub bytes: u64,
    /// Files whose bytes differed from the spare folder's, and so were written.
    pub changed: usize,
}

/// Checks that `output` may be replaced wholesale without touching the site's sources.
pub fn check_target(root: &Path, output: &Path) -> Result<(), OutputError> {
    let unsafe_because = |reason| {
        Err(OutputError::Unsafe {
            path: output.to_path_buf(),
            reason,
        })
    };
    let root = absolute(root);
    let target = absolute(output);
    if target == root {
        return unsafe_because("it is the site root");
    }
    if root.starts_with(&target) {
        return unsafe_because("it contains the site root");
    }
    if target.join("content").is_dir() {
        return unsafe_because("it contains a content/ folder, which looks like a site's sources");
    }
    for source_folder in ["content", "templates", "themes", "static"] {
        if target.starts_with(root.join(source_folder)) {
            return unsafe_because("it is inside a folder of the site's sources");
        }
    }
    Ok(())
}

/// The absolute, lexically normalised form of `path` (following symlinks where it exists).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // A parent that exists may be a symlink: resolve it so comparisons with the root hold.
    match (
        normal.parent().and_then(|p| p.canonicalize().ok()),
        normal.file_name(),
    ) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => normal,
    }
}

/// Writes `assets` then `pages` (a page wins over an asset of the same path) into the spare
/// folder beside `output`, then exchanges it with `output`; refuses an output that is not
/// apogee's (see [`Target::open`]).
pub fn write(
    root: &Path,
    output: &Path,
    pages: &[OutputFile],
    assets: &[Asset],
) -> Result<Written, OutputError> {
    let target = Target::open(root, output, false)?;
    let staging = target.stage()?;
    let staged: Vec<Result<Staged, OutputError>> = pages
        .par_iter()
        .map(|page| staging.put(&page.path, &page.bytes))
        .collect();
    let staged = staged.into_iter().collect::<Result<Vec<Staged>, _>>()?;
    staging.finish(staged, assets)
}

/// An output folder that apogee may write, locked for one build: open it before the build
/// starts (so a refused output fails fast and concurrent builds take turns for the whole
/// build), write it once at the end.
#[derive(Debug)]
pub struct Target {
    output: PathBuf,
    spare: PathBuf,
    force: bool,
    /// Held until the target is dropped: the lock of `.<name>.apogee-lock`.
    _lock: std::fs::File,
}

impl Target {
    /// Checks that `output` may be written (see [`check_target`]; not a file; apogee's, empty
    /// or missing unless `force`), then takes its lock, waiting for a build that holds it.
    pub fn open(root: &Path, output: &Path, force: bool) -> Result<Target, OutputError> {
        check_target(root, output)?;
        let output = absolute(output);
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let spare = parent.join(format!(".{name}.apogee-spare"));
        // Checked before the lock too, so that a refused folder gets no lock file beside it.
        check_owner(&output, &spare, force)?;
        std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
        let lock = lock(&parent.join(format!(".{name}.apogee-lock")))?;
        check_owner(&output, &spare, force)?;
        Ok(Target {
            output,
            spare,
            force,
            _lock: lock,
        })
    }

    /// The output folder, absolute.
    pub fn path(&self) -> &Path {
        &self.output
    }

    /// The spare folder made ready to receive this build's files; the output is untouched
    /// until [`Staging::finish`].
    pub fn stage(&self) -> Result<Staging<'_>, OutputError> {
        set_aside_unowned_spare(&self.spare)?;
        let spare = &self.spare;
        if spare.is_file() || spare.is_symlink() {
            std::fs::remove_file(spare).map_err(io_error(spare))?;
        }
        let fresh = !spare.exists();
        std::fs::create_dir_all(spare).map_err(io_error(spare))?;
        Ok(Staging {
            target: self,
            fresh,
        })
    }
}

/// The spare folder beside an output while a build streams its files into it: pages are
/// written as they are rendered (from any thread) and dropped, so that a build holds only the
/// pages in flight; [`Staging::finish`] then removes what the build did not write, carries the
/// user's files and swaps the folder in. Until then the output is untouched.
#[derive(Debug)]
pub struct Staging<'a> {
    target: &'a Target,
    /// The spare folder was made empty for this build: it holds only what the build puts
    /// in it, so nothing in it is stale (a first build, or one after the output was removed).
    fresh: bool,
}

/// What [`Staging::put`] did with one file: enough to count it and to know it is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staged {
    /// Its output path.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Whether its bytes differed from the spare folder's (and so were written).
    pub changed: bool,
}

impl Staging<'_> {
    /// Writes one generated file into the spare folder unless it already holds its bytes.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<Staged, OutputError> {
        safe_relative(path)?;
        if path == MANIFEST {
            return Err(OutputError::Reserved {
                path: MANIFEST.to_owned(),
            });
        }
        let spare = &self.target.spare;
        let changed = write_if_changed(spare, &spare.join(path), bytes)?;
        Ok(Staged {
            path: path.to_owned(),
            bytes: bytes.len() as u64,
            changed,
        })
    }

    /// Adds the `assets` no generated file replaced, removes what the spare folder holds
    /// beyond `staged`, them and the user's files, writes the manifest, carries the user's
    /// files of the output into the spare, makes it durable and exchanges it with the output.
    pub fn finish(self, staged: Vec<Staged>, assets: &[Asset]) -> Result<Written, OutputError> {
        let target = self.target;
        let mut written = Written {
            pages: 0,
            generated: 0,
            assets: 0,
            bytes: 0,
            changed: 0,
        };
        let mut needed: BTreeMap<String, ()> = BTreeMap::new();
        for file in staged {
            if needed.insert(file.path.clone(), ()).is_some() {
                continue;
            }
            if file.path.ends_with(".html") {
                written.pages += 1;
            } else {
                written.generated += 1;
            }
            written.bytes += file.bytes;
            written.changed += usize::from(file.changed);
        }
        let assets: Vec<&Asset> = assets
            .iter()
            .filter(|asset| !needed.contains_key(&asset.path))
            .collect();
        let results: Vec<Result<Staged, OutputError>> = assets
            .par_iter()
            .map(|asset| self.put(&asset.path, &asset.bytes))
            .collect();
        for result in results {
            let file = result?;
            if needed.insert(file.path, ()).is_none() {
                written.assets += 1;
                written.bytes += file.bytes;
                written.changed += usize::from(file.changed);
            }
        }
        let mut foreign = foreign_entries(&target.output)?;
        let written_paths: BTreeSet<String> = needed.keys().cloned().collect();
        check_clashes(&target.output, &mut foreign, &written_paths, target.force)?;
        if !self.fresh {
            remove_stale(&target.spare, &needed, &foreign)?;
        }
        // Written last, so that a spare holding a manifest holds the files it lists.
        let manifest = target.spare.join(MANIFEST);
        write_if_changed(&target.spare, &manifest, &manifest_bytes(needed.keys()))?;
        carry(&target.output, &target.spare, &foreign)?;
        make_durable(&target.spare)?;
        swap_in(&target.spare, &target.output)?;
        sync_folder_entry(&target.output)?;
        Ok(written)
    }
}

/// Removes what `folder` holds beyond `files` and `foreign`: stale files, and folders no
/// file needs.
fn remove_stale(
    folder: &Path,
    files: &BTreeMap<String, ()>,
    foreign: &Foreign,
) -> Result<(), OutputError> {
    // Output paths use `/` on every system; compare in that form.
    let needed_folders: BTreeSet<&str> = files
        .keys()
        .chain(&foreign.files)
        .flat_map(|path| path.match_indices('/').map(|(end, _)| &path[..end]))
        .chain(foreign.folders.iter().map(String::as_str))
        .collect();
    let entries = WalkDir::new(folder).min_depth(1).contents_first(true);
    for entry in entries.into_iter().filter_map(Result::ok) {
        let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        let relative: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        let relative = relative.join("/");
        let stale = if entry.file_type().is_dir() {
            !needed_folders.contains(relative.as_str())
        } else {
            !files.contains_key(&relative)
                && !foreign.files.contains(&relative)
                && relative != MANIFEST
        };
        if !stale {
            continue;
        }
        let removed = if entry.file_type().is_dir() {
            std::fs::remove_dir(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        };
        removed.map_err(io_error(entry.path()))?;
    }
    Ok(())
}

/// Writes `bytes` to `path` (inside the spare folder `within`) unless it already holds them;
/// says whether it wrote.
fn write_if_changed(within: &Path, path: &Path, bytes: &[u8]) -> Result<bool, OutputError> {
    // One look at what stands there (links not followed), rather than one per question: a
    // build writes thousands of files, and each look is a system call.
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path).map_err(io_error(path))?,
        Ok(meta) => {
            let same = meta.is_file()
                && meta.len() == bytes.len() as u64
                && std::fs::read(path).is_ok_and(|existing| existing == bytes);
            if same {
                return Ok(false);
            }
            // A new file, never the old one rewritten in place: the spare may hold a hard
            // link to a file of the user's carried by an earlier build, which must not change.
            std::fs::remove_file(path).map_err(io_error(path))?;
        }
        Err(_) => {}
    }
    if let Some(folder) = path.parent()
        && std::fs::create_dir_all(folder).is_err()
    {
        // Stale files are removed only once every file is written: one of the previous
        // build's files may stand where this one needs a folder.
        remove_files_in_the_way(within, folder);
        std::fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    std::fs::write(path, bytes).map_err(io_error(path))?;
    Ok(true)
}

/// Removes the file that stands, inside the spare folder `within`, where `folder` or one of
/// its parents should be. Nothing at or above `within` is ever touched.
fn remove_files_in_the_way(within: &Path, folder: &Path) {
    let inside = folder
        .ancestors()
        .take_while(|ancestor| *ancestor != within && ancestor.starts_with(within));
    for ancestor in inside {
        if ancestor.is_file() || ancestor.is_symlink() {
            let _ = std::fs::remove_file(ancestor);
            return;
        }
    }
}

/// Puts `spare` in place of `output`; the previous output becomes the spare.
fn swap_in(spare: &Path, output: &Path) -> Result<(), OutputError> {
    if std::fs::symlink_metadata(output).is_err() {
        return std::fs::rename(spare, output).map_err(io_error(output));
    }
    exchange(spare, output).map_err(io_error(output))
}

/// Swaps two paths in one step where the system can (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // Some file systems do not support the exchange: fall back to three renames.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {
            exchange_by_renames(a, b)
        }
        Err(errno) => Err(errno.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    exchange_by_renames(a, b)
}

/// Three renames: `b` is missing for an instant, but never half-written.
fn exchange_by_renames(a: &Path, b: &Path) -> io::Result<()> {
    let aside = b.with_file_name(format!(
        ".{}.apogee-aside-{}",
        b.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::rename(b, &aside)?;
    if let Err(error) = std::fs::rename(a, b) {
        std::fs::rename(&aside, b)?;
        return Err(error);
    }
    std::fs::rename(&aside, a)
}

/// A `/`-separated output path as a relative path that cannot climb out.
fn safe_relative(path: &str) -> Result<PathBuf, OutputError> {
    let relative = PathBuf::from(path);
    if path.is_empty()
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(OutputError::Escape {
            path: path.to_owned(),
        });
    }
    Ok(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_owned(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn rebuilds_write_only_what_changed_and_keep_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let output = root.join("public");
        let first = [
            page("index.html", "1"),
            page("a/index.html", "a"),
            page("gone/index.html", "g"),
        ];
        assert_eq!(write(&root, &output, &first, &[]).unwrap().changed, 3);
        // The spare holds nothing yet: the second build writes everything once.
        let second = [page("index.html", "2"), page("a/index.html", "a")];
        write(&root, &output, &second, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "2"
        );
        assert!(
            !output.join("gone").exists(),
            "stale pages and their folders go"
        );
        // From now on the spare is one build behind: only differences are written.
        let third = [page("index.html", "3"), page("a/index.html", "a")];
        let written = write(&root, &output, &third, &[]).unwrap();
        assert_eq!(written.pages, 2);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "3"
        );
        assert!(written.changed <= 2);
        let fourth = [page("index.html", "3"), page("a/index.html", "a")];
        assert_eq!(
            write(&root, &output, &fourth, &[]).unwrap().changed,
            1,
            "only the file that was behind"
        );
    }

    #[test]
    fn a_file_may_become_a_folder_and_a_folder_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let output = root.join("public");
        let first = [page("a", "file"), page("b/index.html", "in b")];
        write(&root, &output, &first, &[]).unwrap();
        write(&root, &output, &first, &[]).unwrap();
        // The spare now holds `a` as a file and `b` as a folder: swap their kinds.
        let second = [page("a/index.html", "in a"), page("b", "file")];
        write(&root, &output, &second, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(output.join("a/index.html")).unwrap(),
            "in a"
        );
        assert_eq!(std::fs::read_to_string(output.join("b")).unwrap(), "file");
    }

    #[test]
    fn staged_files_are_counted_once_and_a_page_wins_over_an_asset() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(&root).unwrap();
        let output = root.join("public");
        let target = Target::open(&root, &output, false).unwrap();
        let staging = target.stage().unwrap();
        let staged = vec![
            staging.put("index.html", b"home").unwrap(),
            staging.put("style.css", b"generated").unwrap(),
            staging.put("feed.xml", b"feed").unwrap(),
        ];
        assert!(!output.exists(), "nothing shows before the swap");
        let assets = [
            Asset {
                path: "style.css".to_owned(),
                bytes: b"theme".to_vec(),
            },
            Asset {
                path: "favicon.svg".to_owned(),
                bytes: b"icon".to_vec(),
            },
        ];
        let written = staging.finish(staged, &assets).unwrap();
        assert_eq!(
            (written.pages, written.generated, written.assets),
            (1, 2, 1)
        );
        assert_eq!(
            std::fs::read_to_string(output.join("style.css")).unwrap(),
            "generated"
        );
        assert!(output.join("favicon.svg").is_file());
    }

    #[test]
    fn paths_may_not_escape() {
        assert!(safe_relative("a/b/index.html").is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
    }
}
