//! The site as the preview server holds it: every output file in memory by its URL path,
//! with its content type, and the state a browser sees between builds (the last good site,
//! the diagnostics of a failed build on top of it, and an id that changes with each build).
//!
//! Snapshots are made from the pages and assets that `build` renders; nothing here reads
//! the disk, and the user's `public/` folder is never involved. Serving them is `http`'s job.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;

use crate::build::Rendered;
use crate::diagnostic::Diagnostic;
use crate::load::theme::Asset;
use crate::render::OutputFile;

/// One file of the site as served.
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// Its bytes, shared between requests without copying.
    pub bytes: Bytes,
    /// The `Content-Type` header.
    pub content_type: &'static str,
}

impl SiteFile {
    /// True for HTML pages, the only files that get the live-reload script.
    pub fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// Every file of one successful build, by its path in the output (`briefings/x/index.html`).
///
/// A rebuild changes a few files of thousands, so a snapshot is a shared base map plus an
/// overlay of what changed since (`None`: removed); the overlay is folded into a new base
/// when it grows, which keeps both the copy per rebuild and the lookups cheap.
#[derive(Debug, Default)]
pub struct Snapshot {
    base: Arc<HashMap<String, SiteFile>>,
    overlay: HashMap<String, Option<SiteFile>>,
}

/// The page the server answers with when a path names nothing.
pub const NOT_FOUND_PAGE: &str = "404.html";

fn site_file(path: &str, bytes: Vec<u8>) -> SiteFile {
    SiteFile {
        bytes: Bytes::from(bytes),
        content_type: content_type(path),
    }
}

impl Snapshot {
    /// Holds the pages and assets of `rendered` with its feeds and sitemap, as the preview
    /// serves them; a page wins over an asset of the same path.
    pub fn from_rendered(rendered: &Rendered) -> Snapshot {
        let assets = rendered
            .theme
            .assets
            .iter()
            .map(|asset| (asset.path.clone(), asset.bytes.clone()));
        let pages = rendered
            .pages
            .iter()
            .map(|page| (page.path.clone(), page.bytes.clone()));
        let paths = rendered.pages.iter().map(|page| page.path.as_str());
        let syndication = crate::build::syndication(&rendered.site, paths)
            .into_iter()
            .map(|file| (file.path, file.bytes));
        Snapshot::from_files(assets.chain(pages).chain(syndication))
    }

    /// Holds `files`, given as (output path, bytes); a later file wins over an earlier one.
    pub fn from_files(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Snapshot {
        let base = files
            .into_iter()
            .map(|(path, bytes)| (path.clone(), site_file(&path, bytes)))
            .collect();
        Snapshot {
            base: Arc::new(base),
            overlay: HashMap::new(),
        }
    }

    /// A copy (sharing every file's bytes) without the files `gone`, with `pages` put in.
    pub fn updated<'a>(
        &self,
        gone: impl IntoIterator<Item = &'a String>,
        pages: Vec<OutputFile>,
    ) -> Snapshot {
        self.with_files(gone, pages.into_iter().map(|page| (page.path, page.bytes)))
    }

    /// A copy with the assets `old` replaced by `new`, leaving alone the paths that pages
    /// take (a page wins over an asset of the same path).
    pub fn with_assets(
        &self,
        old: &[Asset],
        new: &[Asset],
        is_page: impl Fn(&str) -> bool,
    ) -> Snapshot {
        let gone = old
            .iter()
            .map(|asset| &asset.path)
            .filter(|path| !is_page(path));
        let put = new.iter().filter(|asset| !is_page(&asset.path));
        self.with_files(
            gone,
            put.map(|asset| (asset.path.clone(), asset.bytes.clone())),
        )
    }

    fn with_files<'a>(
        &self,
        gone: impl IntoIterator<Item = &'a String>,
        put: impl IntoIterator<Item = (String, Vec<u8>)>,
    ) -> Snapshot {
        let mut overlay = self.overlay.clone();
        for path in gone {
            overlay.insert(path.clone(), None);
        }
        for (path, bytes) in put {
            let file = site_file(&path, bytes);
            overlay.insert(path, Some(file));
        }
        let snapshot = Snapshot {
            base: Arc::clone(&self.base),
            overlay,
        };
        if snapshot.overlay.len() > 64 + snapshot.base.len() / 8 {
            let files = snapshot
                .files()
                .map(|(path, file)| (path.to_owned(), file.clone()))
                .collect();
            return Snapshot {
                base: Arc::new(files),
                overlay: HashMap::new(),
            };
        }
        snapshot
    }

    /// The file at `path` (no leading `/`), if the build made one.
    pub fn get(&self, path: &str) -> Option<&SiteFile> {
        match self.overlay.get(path) {
            Some(changed) => changed.as_ref(),
            None => self.base.get(path),
        }
    }

    /// Every file with its output path, in no particular order.
    pub fn files(&self) -> impl Iterator<Item = (&str, &SiteFile)> {
        let kept = self
            .base
            .iter()
            .filter(|(path, _)| !self.overlay.contains_key(*path));
        let changed = self
            .overlay
            .iter()
            .filter_map(|(path, file)| file.as_ref().map(|file| (path, file)));
        kept.chain(changed)
            .map(|(path, file)| (path.as_str(), file))
    }

    /// How many files it holds.
    pub fn len(&self) -> usize {
        self.files().count()
    }

    /// True when it holds no file.
    pub fn is_empty(&self) -> bool {
        self.files().next().is_none()
    }
}

/// The content type of an output file, from its extension; text types say UTF-8.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map_or("", |(_, extension)| extension)
        .to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        _ => mime_guess::from_ext(&extension)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

/// What the browser sees right now.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The last good build, if there has been one.
    pub site: Option<Arc<Snapshot>>,
    /// The problems of the latest build when it failed: shown over every page.
    pub failure: Option<Arc<[Diagnostic]>>,
    /// Changes with every build, so that pages (and pages reconnecting after a restart) know
    /// when to reload.
    pub build_id: String,
}

impl Preview {
    /// The state after a good build.
    pub fn built(site: Arc<Snapshot>, build_id: String) -> Preview {
        Preview {
            site: Some(site),
            failure: None,
            build_id,
        }
    }

    /// The state after a failed build: the last good site stays, under the diagnostics.
    pub fn failed(&self, diagnostics: Vec<Diagnostic>, build_id: String) -> Preview {
        Preview {
            site: self.site.clone(),
            failure: Some(diagnostics.into()),
            build_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_name_their_charset() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("rockets/h3/record.json"), "application/json");
        assert_eq!(
            content_type("rockets/records.csv"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn updates_remove_replace_and_add_without_touching_the_original() {
        let file = |path: &str, text: &str| (path.to_owned(), text.as_bytes().to_vec());
        let first = Snapshot::from_files([
            file("a/index.html", "a"),
            file("b/index.html", "b"),
            file("style.css", "1"),
        ]);
        let page = |path: &str, text: &str| OutputFile {
            path: path.to_owned(),
            bytes: text.as_bytes().to_vec(),
        };
        let gone = ["b/index.html".to_owned()];
        let second = first.updated(
            &gone,
            vec![page("a/index.html", "A"), page("c/index.html", "c")],
        );
        let text = |snapshot: &Snapshot, path: &str| {
            snapshot
                .get(path)
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        };
        assert_eq!(text(&second, "a/index.html").as_deref(), Some("A"));
        assert_eq!(text(&second, "b/index.html"), None);
        assert_eq!(text(&second, "c/index.html").as_deref(), Some("c"));
        assert_eq!(second.len(), 3);
        assert_eq!(
            text(&first, "a/index.html").as_deref(),
            Some("a"),
            "the published snapshot stays as it was"
        );

        let asset = |path: &str, text: &str| Asset {
            path: path.to_owned(),
            bytes: text.as_bytes().to_vec(),
        };
        let third =
            second.with_assets(&[asset("style.css", "1")], &[asset("site.css", "2")], |p| {
                p.ends_with(".html")
            });
        assert_eq!(text(&third, "style.css"), None);
        assert_eq!(text(&third, "site.css").as_deref(), Some("2"));
    }

    #[test]
    fn a_large_overlay_is_folded_into_the_base() {
        let files = (0..100).map(|n| (format!("{n}/index.html"), vec![b'x']));
        let mut snapshot = Snapshot::from_files(files);
        for round in 0..100 {
            let page = OutputFile {
                path: format!("{round}/index.html"),
                bytes: vec![b'y'],
            };
            snapshot = snapshot.updated([], vec![page]);
        }
        assert!(
            snapshot.overlay.len() <= 64 + 100 / 8,
            "folded: {}",
            snapshot.overlay.len()
        );
        assert_eq!(snapshot.len(), 100);
        assert!(snapshot.files().all(|(_, file)| &file.bytes[..] == b"y"));
    }

    #[test]
    fn later_files_win() {
        let snapshot = Snapshot::from_files([
            ("a.css".to_owned(), b"1".to_vec()),
            ("a.css".to_owned(), b"2".to_vec()),
        ]);
        assert_eq!(snapshot.get("a.css").map(|f| &f.bytes[..]), Some(&b"2"[..]));
        assert!(snapshot.get("b.css").is_none());
    }
}
