//! `apogee init`: a new archive in an empty folder, ready to build. It holds a commented
//! `site.yaml` with every key, the `content/` folders apogee reads, one example briefing with
//! the term pages it names, an About page in the menu, and a `.gitignore` for the output and
//! its spare folder.
//!
//! A folder that holds anything is refused before a single file is written, so that `init`
//! can never overwrite or mix into someone's work. This module does not print: the command
//! line does.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location, Problem};

/// The files of a new site: (path under the new root, text).
const STARTER: &[(&str, &str)] = &[
    ("site.yaml", include_str!("starter/site.yaml")),
    (".gitignore", include_str!("starter/gitignore")),
    (
        "content/briefings/2024-02-17-h3-second-flight.md",
        include_str!("starter/briefing.md"),
    ),
    ("content/rockets/h3.md", include_str!("starter/h3.md")),
    (
        "content/countries/japan.md",
        include_str!("starter/japan.md"),
    ),
    ("content/pages/about.md", include_str!("starter/about.md")),
];

/// A site created by [`init`].
#[derive(Debug, Clone)]
pub struct Initialized {
    /// Every file written, relative to the new site's root, in the order written.
    pub files: Vec<PathBuf>,
}

/// Starts a site in `root`, which must be missing or empty.
pub fn init(root: &Path) -> Result<Initialized, Diagnostic> {
    refuse_unless_empty(root)?;
    let mut files = Vec::with_capacity(STARTER.len());
    for (path, text) in STARTER {
        let full = root.join(path);
        write(&full, text).map_err(|error| {
            Diagnostic::error(
                Location::file(&full),
                Problem::Unwritable {
                    message: error.to_string(),
                },
            )
        })?;
        files.push(PathBuf::from(path));
    }
    Ok(Initialized { files })
}

fn refuse_unless_empty(root: &Path) -> Result<(), Diagnostic> {
    let not_empty = || {
        Diagnostic::error(
            Location::file(root),
            Problem::NotEmpty {
                root: root.to_path_buf(),
            },
        )
    };
    match std::fs::read_dir(root).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(not_empty()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        // A file of that name, or a folder apogee may not read: nothing can be started there.
        Err(_) if root.exists() => Err(not_empty()),
        Err(error) => Err(Diagnostic::error(
            Location::file(root),
            Problem::Unwritable {
                message: error.to_string(),
            },
        )),
    }
}

/// Creates `path` and its folders; a file that appeared meanwhile is left alone.
fn write(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_anything_in_it_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let error = init(dir.path()).unwrap_err();
        assert_eq!(error.problem.code(), "not-empty");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn a_new_folder_gets_every_starter_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("archive");
        let made = init(&root).unwrap();
        assert_eq!(made.files.len(), STARTER.len());
        assert!(root.join("content/rockets/h3.md").is_file());
    }
}
