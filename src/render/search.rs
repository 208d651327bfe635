//! `/search/`: the search page. Its index is made after rendering, by `publish::search`.

use super::{Made, Renderer};
use crate::diagnostic::Diagnostic;
use crate::index::routes::{self, BUNDLE_DIR, SEARCH_PATH};

/// `/search/`: the search box; the theme loads Pagefind's UI from [`BUNDLE_DIR`].
pub(super) fn search_page(renderer: &Renderer) -> Result<Made, Diagnostic> {
    let strings = renderer.strings();
    let description = strings.get("search_description");
    let mut context = renderer.context(SEARCH_PATH, strings.get("search"), description, None);
    context.insert("bundle_url", &renderer.link(BUNDLE_DIR));
    context.insert("archive_url", &renderer.link(routes::ARCHIVE_PATH));
    renderer.finish("search.html", SEARCH_PATH, &context)
}
