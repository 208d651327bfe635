//! Bundles: a briefing or page written as a folder, `<stem>/index.md`, with its images and
//! files beside it. This module finds and reads those files, and lists the site's `static/`
//! files that content may point at (`/img/x.png`).
//!
//! It decides neither where the files are published (the bundle's page path, from `routes`)
//! nor whether a link to one is right (`index::media`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// Whether the document at `source` is a bundle (its file is `index.md`).
pub fn is_bundle(source: &Path) -> bool {
    source.file_name().is_some_and(|name| name == BUNDLE_INDEX)
}

/// Every file (but Markdown) in the folders of the bundles among `documents` (paths
/// under `root`), sorted by path. A folder that is a bundle of its own inside another
/// keeps its files.
pub fn read_files(root: &Path, documents: &[&PathBuf]) -> (Vec<LocalFile>, Vec<Diagnostic>) {
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
            match std::fs::read(entry.path()) {
                Ok(bytes) => files.push(LocalFile {
                    dimensions: dimensions(&bytes),
                    path: shown,
                    bytes,
                }),
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
pub fn static_files(root: &Path) -> BTreeMap<String, Option<(u32, u32)>> {
    let folder = root.join("static");
    WalkDir::new(&folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| {
            let path = entry.path().strip_prefix(&folder).ok()?;
            let parts: Vec<String> = path
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            let size = if is_image(entry.path()) {
                image_header(entry.path()).and_then(|bytes| dimensions(&bytes))
            } else {
                None
            };
            Some((parts.join("/"), size))
        })
        .collect()
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
    fn svg_sizes_come_from_attributes_or_the_view_box() {
        let sized = br#"<?xml version="1.0"?><svg xmlns="x" width="640" height="360px">"#;
        assert_eq!(dimensions(sized), Some((640, 360)));
        let boxed = br#"<svg viewBox="0 0 800 450" xmlns="x"></svg>"#;
        assert_eq!(dimensions(boxed), Some((800, 450)));
        assert_eq!(dimensions(b"<svg width=\"100%\">"), None);
        assert_eq!(dimensions(b"not an image"), None);
    }
}
