//! Bundles: a briefing or page written as a folder, `<stem>/index.md`, with its images and
//! files beside it. This module finds and reads those files, and lists the site's `static/`
//! files that content may point at (`/img/x.png`).
//!
//! It decides neither where the files are published (the bundle's page path, from `routes`)
//! nor whether a link to one is right (`index::media`).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use walkdir::WalkDir;

use super::{is_ignored, relative};
use crate::diagnostic::{Diagnostic, Location, Problem};

/// The file name that makes a folder a bundle.
pub const BUNDLE_INDEX: &str = "index.md";

/// A file of a bundle, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Relative to the site root (`content/briefings/2024/h3/pad.png`).
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Width and height in pixels, for an image apogee can measure.
    pub dimensions: Option<(u32, u32)>,
}

/// What a file was when it was read: it is read again only when this changes, so that the
/// preview does not read every image of the site on every keystroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            modified: metadata.modified().ok(),
            len: metadata.len(),
        })
    }
}

/// The files of bundles and the sizes of `static/` images read by earlier loads, by path,
/// with the stamp they had then. A build starts with none; the preview keeps them.
#[derive(Debug, Default)]
pub struct Kept {
    /// Whether to keep anything: a one-shot build would only copy bytes it never reads again.
    keeping: bool,
    bundles: HashMap<PathBuf, (Stamp, LocalFile)>,
    statics: HashMap<PathBuf, (Stamp, Option<(u32, u32)>)>,
}

impl Kept {
    /// A store that keeps what is read, for the loads to come.
    pub fn keeping() -> Self {
        Kept {
            keeping: true,
            ..Kept::default()
        }
    }
}

/// Whether the document at `source` is a bundle (its file is `index.md`).
pub fn is_bundle(source: &Path) -> bool {
    source.file_name().is_some_and(|name| name == BUNDLE_INDEX)
}

/// Every file (but Markdown) in the folders of the bundles among `documents` (paths
/// under `root`), sorted by path. A folder that is a bundle of its own inside another
/// keeps its files.
pub fn read_files(
    root: &Path,
    documents: &[&PathBuf],
    kept: &mut Kept,
) -> (Vec<LocalFile>, Vec<Diagnostic>) {
    let mut earlier = std::mem::take(&mut kept.bundles);
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for document in documents.iter().filter(|path| is_bundle(path)) {
        let Some(folder) = document.parent() else {
            continue;
        };
        let walker = WalkDir::new(folder)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(is_ignored(entry.file_name())
                        || entry.file_type().is_dir() && entry.path().join(BUNDLE_INDEX).is_file())
            });
        for entry in walker.filter_map(Result::ok) {
            let is_markdown = entry.path().extension().is_some_and(|ext| ext == "md");
            if !entry.file_type().is_file() || is_markdown {
                continue;
            }
            let shown = relative(root, entry.path());
            let stamp = Stamp::of(entry.path());
            if let Some((same, file)) = earlier.remove(&shown).filter(|(s, _)| Some(*s) == stamp) {
                files.push(file.clone());
                kept.bundles.insert(shown, (same, file));
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    let file = LocalFile {
                        dimensions: dimensions(&bytes),
                        path: shown.clone(),
                        bytes,
                    };
                    if let Some(stamp) = stamp.filter(|_| kept.keeping) {
                        kept.bundles.insert(shown, (stamp, file.clone()));
                    }
                    files.push(file);
                }
                Err(error) => diagnostics.push(Diagnostic::error(
                    Location::file(&shown),
                    Problem::Unreadable {
                        message: error.to_string(),
                    },
                )),
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diagnostics)
}

/// The files of the site's `static/` folder, as paths from the output root (`img/x.png`),
/// with the dimensions of those that are images (read from their headers only).
pub fn static_files(root: &Path, kept: &mut Kept) -> BTreeMap<String, Option<(u32, u32)>> {
    let folder = root.join("static");
    let mut earlier = std::mem::take(&mut kept.statics);
    let mut files = BTreeMap::new();
    let entries = WalkDir::new(&folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file());
    for entry in entries {
        let Ok(path) = entry.path().strip_prefix(&folder) else {
            continue;
        };
        let parts: Vec<String> = path
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        let size = if is_image(entry.path()) {
            let stamp = Stamp::of(entry.path());
            let size = match earlier.remove(path).filter(|(s, _)| Some(*s) == stamp) {
                Some((_, size)) => size,
                None => image_header(entry.path()).and_then(|bytes| dimensions(&bytes)),
            };
            if let Some(stamp) = stamp.filter(|_| kept.keeping) {
                kept.statics.insert(path.to_path_buf(), (stamp, size));
            }
            size
        } else {
            None
        };
        files.insert(parts.join("/"), size);
    }
    files
}

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            ["png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp"]
                .contains(&ext.to_ascii_lowercase().as_str())
        })
}

/// The start of a file: enough for the dimensions of every format apogee measures.
fn image_header(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(256 * 1024)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// Width and height of an image in pixels: raster formats from their headers, SVG from the
/// `width`/`height` of its root element, else its `viewBox`.
pub fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    if let Ok(size) = imagesize::blob_size(bytes) {
        return Some((
            u32::try_from(size.width).ok()?,
            u32::try_from(size.height).ok()?,
        ));
    }
    svg_dimensions(std::str::from_utf8(bytes).ok()?)
}

fn svg_dimensions(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attribute = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    let pixels = |value: &str| -> Option<u32> {
        let number = value.trim().trim_end_matches("px");
        number
            .parse::<f64>()
            .ok()
            .filter(|n| *n > 0.0)
            .map(|n| n.round() as u32)
    };
    if let (Some(width), Some(height)) = (attribute("width"), attribute("height")) {
        return Some((pixels(width)?, pixels(height)?));
    }
    let view_box: Vec<&str> = attribute("viewBox")?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .collect();
    match view_box.as_slice() {
        [_, _, width, height] => Some((pixels(width)?, pixels(height)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_file_is_read_again_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let index = root.join("content/briefings/h3/index.md");
        std::fs::create_dir_all(index.parent().unwrap()).unwrap();
        std::fs::write(&index, "---\n---\n").unwrap();
        std::fs::write(
            root.join("content/briefings/h3/a.svg"),
            r#"<svg width="1" height="1">"#,
        )
        .unwrap();
        let mut kept = Kept::keeping();
        let documents = [&index];
        let (first, _) = read_files(root, &documents, &mut kept);
        assert_eq!(first[0].dimensions, Some((1, 1)));
        let (again, _) = read_files(root, &documents, &mut kept);
        assert_eq!(again, first);
        std::fs::write(
            root.join("content/briefings/h3/a.svg"),
            r#"<svg width="20" height="10">"#,
        )
        .unwrap();
        let (changed, _) = read_files(root, &documents, &mut kept);
        assert_eq!(changed[0].dimensions, Some((20, 10)));
        assert_eq!(changed[0].path, PathBuf::from("content/briefings/h3/a.svg"));
    }

    #[test]
    fn svg_sizes_come_from_attributes_or_the_view_box() {
        let sized = br#"<?xml version="1.0"?><svg xmlns="x" width="640" height="360px">"#;
        assert_eq!(dimensions(sized), Some((640, 360)));
        let boxed = br#"<svg viewBox="0 0 800 450" xmlns="x"></svg>"#;
        assert_eq!(dimensions(boxed), Some((800, 450)));
        assert_eq!(dimensions(b"<svg width=\"100%\">"), None);
        assert_eq!(dimensions(b"not an image"), None);
    }
}
