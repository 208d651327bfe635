//! What in an output folder is apogee's: the manifest apogee writes into every output, the
//! user's files found beside it and carried into the next output, the lock that makes builds
//! take turns, and flushing the new output to disk before it is swapped in.
//!
//! It never writes a page; [`super`] does, into the spare folder these functions prepare.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use walkdir::WalkDir;

use super::{OutputError, io_error};

/// The file in every output that lists, as a JSON array, the paths apogee wrote there.
pub const MANIFEST: &str = ".apogee-manifest";

/// The entries of an output that apogee did not write, relative to the output, `/`-separated.
#[derive(Debug, Default)]
pub(super) struct Foreign {
    /// Files and symlinks.
    pub files: BTreeSet<String>,
    /// Folders (kept even when empty).
    pub folders: BTreeSet<String>,
}

/// The manifest listing `paths`.
pub(super) fn manifest_bytes<'a>(paths: impl Iterator<Item = &'a String>) -> Vec<u8> {
    let paths: Vec<&String> = paths.filter(|p| p.as_str() != MANIFEST).collect();
    let mut bytes = serde_json::to_vec_pretty(&paths).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The paths apogee wrote into `folder`, or `None` when it holds no readable manifest.
fn read_manifest(folder: &Path) -> Option<BTreeSet<String>> {
    let bytes = std::fs::read(folder.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Refuses an output that is a file, or a non-empty folder apogee did not make (unless
/// `force`).
pub(super) fn check_owner(output: &Path, spare: &Path, force: bool) -> Result<(), OutputError> {
    let Ok(metadata) = std::fs::metadata(output) else {
        return Ok(());
    };
    if !metadata.is_dir() {
        return Err(OutputError::NotAFolder {
            path: output.to_path_buf(),
        });
    }
    if force || output.join(MANIFEST).is_file() || is_empty_folder(output)? {
        return Ok(());
    }
    Err(OutputError::NotApogees {
        path: output.to_path_buf(),
        built_before: spare.is_dir(),
    })
}

fn is_empty_folder(folder: &Path) -> Result<bool, OutputError> {
    let mut entries = std::fs::read_dir(folder).map_err(io_error(folder))?;
    Ok(entries.next().is_none())
}

/// Takes the lock of the file at `path` (made if missing), waiting while another build holds
/// it. The lock goes with the returned file.
pub(super) fn lock(path: &Path) -> Result<std::fs::File, OutputError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io_error(path))?;
    file.lock().map_err(io_error(path))?;
    Ok(file)
}

/// What `output` holds that apogee did not write (nothing when it does not exist).
pub(super) fn foreign_entries(output: &Path) -> Result<Foreign, OutputError> {
    let mut foreign = Foreign::default();
    if !output.is_dir() {
        return Ok(foreign);
    }
    let owned = read_manifest(output).unwrap_or_default();
    let owned_folders = folders_of(owned.iter());
    for entry in WalkDir::new(output).min_depth(1).sort_by_file_name() {
        let entry = entry.map_err(|e| OutputError::Io {
            path: output.to_path_buf(),
            source: e.into(),
        })?;
        let relative = slash_path(output, entry.path());
        if entry.file_type().is_dir() {
            if !owned_folders.contains(&relative) {
                foreign.folders.insert(relative);
            }
        } else if !owned.contains(&relative) && relative != MANIFEST {
            foreign.files.insert(relative);
        }
    }
    Ok(foreign)
}

/// A user's file or folder of the output where the build wrote one of `written` is an error,
/// unless `force`: then it is dropped from `foreign` (with what it holds), and the build's
/// file replaces it.
pub(super) fn check_clashes(
    output: &Path,
    foreign: &mut Foreign,
    written: &BTreeSet<String>,
    force: bool,
) -> Result<(), OutputError> {
    let written_folders = folders_of(written.iter());
    // A clash is a user's entry at a written path, a user's file where a written file needs
    // a folder, or anything of the user's inside a folder that is now a written file.
    let clashes = |path: &String, is_folder: bool| {
        written.contains(path)
            || (!is_folder && written_folders.contains(path))
            || folders_of(std::iter::once(path))
                .iter()
                .any(|folder| written.contains(folder))
    };
    let first = foreign
        .files
        .iter()
        .map(|f| (f, false))
        .chain(foreign.folders.iter().map(|f| (f, true)))
        .find(|(path, is_folder)| clashes(path, *is_folder));
    let Some((clash, _)) = first else {
        return Ok(());
    };
    if !force {
        let path = written
            .iter()
            .find(|p| {
                *p == clash
                    || p.starts_with(&format!("{clash}/"))
                    || clash.starts_with(&format!("{p}/"))
            })
            .cloned()
            .unwrap_or_else(|| clash.clone());
        return Err(OutputError::WouldReplace {
            output: output.to_path_buf(),
            foreign: clash.clone(),
            path,
        });
    }
    foreign.files.retain(|f| !clashes(f, false));
    foreign.folders.retain(|f| !clashes(f, true));
    Ok(())
}

/// Every folder that holds one of `paths` (`a/b/c` → `a`, `a/b`).
fn folders_of<'a>(paths: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    paths
        .flat_map(|path| {
            path.match_indices('/')
                .map(|(end, _)| path[..end].to_owned())
        })
        .collect()
}

/// `path` relative to `base`, `/`-separated as output paths are.
fn slash_path(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<_> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// A spare folder without a manifest was not made by this apogee (an older one moved the
/// user's files there, or it is a forced output's previous content): it is renamed aside,
/// never emptied.
pub(super) fn set_aside_unowned_spare(spare: &Path) -> Result<(), OutputError> {
    if !spare.is_dir() || spare.join(MANIFEST).is_file() || is_empty_folder(spare)? {
        return Ok(());
    }
    let name = spare
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = name.trim_end_matches("-spare");
    for number in 1.. {
        let aside = spare.with_file_name(format!("{base}-kept-{number}"));
        if std::fs::symlink_metadata(&aside).is_err() {
            return std::fs::rename(spare, &aside).map_err(io_error(spare));
        }
    }
    Ok(())
}

/// Puts every `foreign` entry of `output` into `spare` at the same path: a hard link where
/// the file system allows (a copy elsewhere), skipped when the spare already holds that very
/// file.
pub(super) fn carry(output: &Path, spare: &Path, foreign: &Foreign) -> Result<(), OutputError> {
    for folder in &foreign.folders {
        let target = spare.join(folder);
        if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(&target).map_err(io_error(&target))?;
        }
        std::fs::create_dir_all(&target).map_err(io_error(&target))?;
    }
    for file in &foreign.files {
        let from = output.join(file);
        let to = spare.join(file);
        if same_file(&from, &to) {
            continue;
        }
        match std::fs::symlink_metadata(&to) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&to).map_err(io_error(&to))?,
            Ok(_) => std::fs::remove_file(&to).map_err(io_error(&to))?,
            Err(_) => {}
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        link_or_copy(&from, &to).map_err(io_error(&from))?;
    }
    Ok(())
}

fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let metadata = std::fs::symlink_metadata(from)?;
    if metadata.is_symlink() {
        return copy_symlink(from, to);
    }
    std::fs::copy(from, to).map(|_| ())
}

#[cfg(unix)]
fn copy_symlink(from: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

#[cfg(not(unix))]
fn copy_symlink(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::copy(from, to).map(|_| ())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Flushes `folder`'s files and folders to disk, so that after the exchange a power cut
/// leaves the old output or the new one, not a new one of empty files.
#[cfg(target_os = "linux")]
pub(super) fn make_durable(folder: &Path) -> Result<(), OutputError> {
    // One syncfs flushes everything the build wrote, far cheaper than an fsync per file.
    let handle = std::fs::File::open(folder).map_err(io_error(folder))?;
    rustix::fs::syncfs(&handle).map_err(|e| OutputError::Io {
        path: folder.to_path_buf(),
        source: e.into(),
    })
}

#[cfg(not(target_os = "linux"))]
pub(super) fn make_durable(folder: &Path) -> Result<(), OutputError> {
    for entry in WalkDir::new(folder).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            let file = std::fs::File::open(entry.path()).map_err(io_error(entry.path()))?;
            file.sync_all().map_err(io_error(entry.path()))?;
        }
    }
    Ok(())
}

/// Flushes the folder entry that names `path` (its parent folder), making a rename durable.
pub(super) fn sync_folder_entry(path: &Path) -> Result<(), OutputError> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    #[cfg(unix)]
    {
        let handle = std::fs::File::open(parent).map_err(io_error(parent))?;
        handle.sync_all().map_err(io_error(parent))?;
    }
    Ok(())
}
