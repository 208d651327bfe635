//! Full-text search: the Pagefind index of the `/search/` page (`render::search`), built in
//! memory from the indexed briefings (with the `search` cargo feature).
//!
//! Each briefing goes to Pagefind as a custom record: its title, body and sources as plain
//! text, its link, and its filters from [`crate::render::metadata::search_filters`]
//! (rocket, country, outcome, year) — the same text and facets Pagefind used to dig out of
//! each rendered page, without rendering, serialising and re-parsing the whole page for it
//! (that re-parse was most of the index's cost). The page's frame, its badges and facts
//! (covered by the filters) and its lists of other briefings (whose titles would make it match
//! searches for those) are thus never indexed. The index and Pagefind's own UI files go to
//! `/pagefind/`, so that search works from the built folder with nothing loaded from
//! elsewhere. Only briefings are indexed: they are what readers search for; term and list
//! pages would only repeat their titles.

pub use indexer::index;

/// The plain text of some HTML: tags dropped (each one a word break), the entities that
/// rendering writes decoded, runs of white space made one space.
pub fn plain_text(html: &str, out: &mut String) {
    let mut in_tag = false;
    let mut pending_space = !out.is_empty();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let mut step = c.len_utf8();
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                pending_space = true;
            }
            _ if in_tag => {}
            c if c.is_whitespace() => pending_space = true,
            '&' => {
                let (decoded, length) = entity(rest);
                push(out, decoded, &mut pending_space);
                step = length;
            }
            c => {
                let mut buffer = [0; 4];
                push(out, c.encode_utf8(&mut buffer), &mut pending_space);
            }
        }
        rest = &rest[step..];
    }
}

fn push(out: &mut String, text: &str, pending_space: &mut bool) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(text);
}

/// The character an entity at the start of `text` stands for, and the entity's length; a
/// lone `&` stands for itself.
fn entity(text: &str) -> (&'static str, usize) {
    const NAMED: [(&str, &str); 6] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
    ];
    NAMED
        .iter()
        .find(|(name, _)| text.starts_with(name))
        .map_or(("&", 1), |(name, value)| (*value, name.len()))
}

mod indexer {
    use std::collections::BTreeMap;

    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;
    use rayon::prelude::*;

    use crate::diagnostic::{Diagnostic, Location, Problem};
    use crate::index::routes::BUNDLE_DIR;
    use crate::index::{Entry, Site};
    use crate::render::OutputFile;
    use crate::render::metadata::search_filters;
    use crate::render::xml::escape;

    /// What Pagefind is told about one briefing.
    struct Record {
        url: String,
        content: String,
        meta: BTreeMap<String, String>,
        filters: BTreeMap<String, Vec<String>>,
    }

    /// The index and UI files of Pagefind for every briefing of `site`.
    pub fn index(site: &Site) -> Result<Vec<OutputFile>, Diagnostic> {
        // Making the records is the part that parallelises; Pagefind takes them one by one.
        let records: Vec<Record> = site
            .entries()
            .par_iter()
            .map(|entry| record(site, entry))
            .collect();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(failure)?;
        let files = runtime
            .block_on(build(&site.config.language, records))
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

    /// The briefing's title, body and sources as plain text (what its page shows of it), with its filters.
    fn record(site: &Site, entry: &Entry) -> Record {
        let briefing = &entry.briefing;
        let mut content = String::with_capacity(entry.article.html.len());
        // Titles are plain text, not HTML: escaped first, so that `Minotaur <IV>` keeps `<IV>`.
        super::plain_text(&escape(&briefing.title), &mut content);
        super::plain_text(&entry.article.html, &mut content);
        if !briefing.sources.is_empty() {
            super::plain_text("Sources", &mut content);
            for source in &briefing.sources {
                super::plain_text(&escape(&source.title), &mut content);
            }
        }
        let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for filter in search_filters(site, entry) {
            // Pagefind's UI inserts filter values as markup: a name reaches it escaped once,
            // so that `Minotaur <IV>` shows as written and no name can add an element.
            filters
                .entry(filter.facet.to_owned())
                .or_default()
                .push(crate::render::xml::escape(&filter.value));
        }
        Record {
            // Relative to the site's root: the search page gives Pagefind's UI the base path.
            url: format!("/{}", entry.path),
            content,
            meta: BTreeMap::from([("title".to_owned(), briefing.title.clone())]),
            filters,
        }
    }

    async fn build(
        language: &str,
        records: Vec<Record>,
    ) -> Result<Vec<pagefind::api::SyntheticFile>, String> {
        let options = PagefindServiceConfig::builder()
            .force_language(language.to_owned())
            .build();
        let mut index = PagefindIndex::new(Some(options)).map_err(message)?;
        for record in records {
            index
                .add_custom_record(
                    record.url,
                    record.content,
                    language.to_owned(),
                    Some(record.meta),
                    Some(record.filters),
                    None,
                )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_and_decodes_what_rendering_escapes() {
        let mut out = String::from("Title");
        plain_text(
            "<h2 id=\"why\">Why</h2>\n<p>Fish &amp; chips,<em>hot</em> &lt;3 &#39;n&#39; R&D</p>",
            &mut out,
        );
        assert_eq!(out, "Title Why Fish & chips, hot <3 'n' R&D");
    }
}
