//! Writing a rendered site: everything goes into a staging folder next to the output, which
//! is then swapped in, so that a failed or interrupted build leaves the previous output
//! exactly as it was.
//!
//! This module owns the safety rules for the output folder (never the site root, never a
//! folder holding the writer's sources). It writes bytes it is given; it renders nothing.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::render::Page;
use crate::theme::Asset;

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
    /// Rendered pages.
    pub pages: usize,
    /// Copied assets.
    pub assets: usize,
    /// Bytes in all.
    pub bytes: u64,
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

/// Writes `assets` then `pages` (a page wins over an asset of the same path) into a staging
/// folder beside `output`, then swaps it in place of `output`.
pub fn write(
    root: &Path,
    output: &Path,
    pages: &[Page],
    assets: &[Asset],
) -> Result<Written, OutputError> {
    check_target(root, output)?;
    let output = absolute(output);
    let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let staging = parent.join(format!(".{name}.apogee-staging-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    let written = stage(&staging, pages, assets).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&staging);
    })?;
    swap(&staging, &output, &parent, &name)?;
    Ok(written)
}

fn stage(staging: &Path, pages: &[Page], assets: &[Asset]) -> Result<Written, OutputError> {
    std::fs::create_dir_all(staging).map_err(io_error(staging))?;
    let mut written = Written {
        pages: 0,
        assets: 0,
        bytes: 0,
    };
    let files = assets
        .iter()
        .map(|a| (&a.path, &a.bytes, false))
        .chain(pages.iter().map(|p| (&p.path, &p.bytes, true)));
    for (path, bytes, is_page) in files {
        let target = staging.join(safe_relative(path)?);
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(io_error(folder))?;
        }
        std::fs::write(&target, bytes).map_err(io_error(&target))?;
        if is_page {
            written.pages += 1;
        } else {
            written.assets += 1;
        }
        written.bytes += bytes.len() as u64;
    }
    Ok(written)
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

/// Replaces `output` by `staging`: the old output is moved aside first and only removed
/// once the new one is in place; if the swap fails, the old output is moved back.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(io_error(output));
    }
    let old = parent.join(format!(".{name}.apogee-old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io_error(&old))?;
    }
    std::fs::rename(output, &old).map_err(io_error(output))?;
    if let Err(source) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        let _ = std::fs::remove_dir_all(staging);
        return Err(OutputError::Io {
            path: output.to_path_buf(),
            source,
        });
    }
    std::fs::remove_dir_all(&old).map_err(io_error(&old))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_may_not_escape() {
        assert!(safe_relative("a/b/index.html").is_ok());
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
    }
}
