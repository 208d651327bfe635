//! Full-text search: the Pagefind index of the `/search/` page (`render::search`), built in
//! memory from the rendered briefing pages (with the `search` cargo feature).
//!
//! Pagefind reads each briefing's HTML as it will be served, minus the header, navigation
//! and footer, and its filters from the hidden `data-pagefind-filter` elements that
//! `base.html` writes from [`crate::render::metadata::SearchFilter`]s (rocket, country, outcome,
//! year). The index and Pagefind's own UI files go to `/pagefind/`, so that search works from
//! the built folder with nothing loaded from elsewhere. Only briefings are indexed: they are
//! what readers search for; term and list pages would only repeat their titles.

pub use indexer::index;

mod indexer {
    use std::collections::HashMap;

    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    use crate::diagnostic::{Diagnostic, Location, Problem};
    use crate::index::Site;
    use crate::index::routes::BUNDLE_DIR;
    use crate::render::OutputFile;

    /// Parts of a page left out of the text: the site's frame, the badges and facts that
    /// the filters already cover (they would fill every excerpt), and the lists of other
    /// briefings (their titles would make this page match searches for those).
    const EXCLUDED: [&str; 9] = [
        ".skip-link",
        ".site-header",
        ".site-footer",
        ".pager",
        ".eyebrow",
        ".briefing__meta",
        ".facts",
        ".satellite-links",
        ".related",
    ];

    /// The index and UI files of Pagefind for the briefing pages among `pages`.
    pub fn index(site: &Site, pages: &[OutputFile]) -> Result<Vec<OutputFile>, Diagnostic> {
        let by_path: HashMap<&str, &OutputFile> = pages
            .iter()
            .map(|page| (page.path.as_str(), page))
            .collect();
        let briefing_pages: Vec<&OutputFile> = site
            .briefings
            .iter()
            .filter_map(|entry| {
                by_path
                    .get(format!("{}index.html", entry.path).as_str())
                    .copied()
            })
            .collect();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(failure)?;
        let files = runtime
            .block_on(build(&site.config.language, &briefing_pages))
            .map_err(failure)?;
        Ok(files
            .into_iter()
            .map(|file| {
                let name = file.filename.to_string_lossy().replace('\\', "/");
                OutputFile {
                    path: format!("{BUNDLE_DIR}{name}"),
                    bytes: file.contents,
                }
            })
            .collect())
    }

    async fn build(
        language: &str,
        pages: &[&OutputFile],
    ) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
        let options = PagefindServiceConfig::builder()
            .force_language(language.to_owned())
            .exclude_selectors(EXCLUDED.iter().map(|s| (*s).to_owned()).collect())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(message)?;
        for page in pages {
            let html = String::from_utf8_lossy(&page.bytes).into_owned();
            index
                .add_html_file(Some(page.path.clone()), None, html)
                .await
                .map_err(message)?;
        }
        index.get_files().await.map_err(message)
    }

    /// Pagefind's errors are anyhow's: `{:#}` keeps their chain of causes.
    fn message(error: impl std::fmt::Display) -> String {
        format!("{error:#}")
    }

    fn failure(error: impl std::fmt::Display) -> Diagnostic {
        let location = Location::file(std::path::Path::new(BUNDLE_DIR));
        Diagnostic::error(
            location,
            Problem::SearchIndex {
                message: error.to_string(),
            },
        )
    }
}
