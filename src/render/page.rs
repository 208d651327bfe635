//! Standalone pages (`content/pages/`): the page itself and its place in the navigation.
//!
//! A standalone page is rendered with `page.html`; its `extra` is `page.extra`. It is in the
//! sitemap like every HTML page, and in no feed or search facet. This module does not decide
//! its URL (`routes`) nor read its file (`load::page`).

use super::{Made, PageMeta, Renderer};
use crate::diagnostic::Diagnostic;
use crate::index::{PageEntry, Site};

/// The pages with a `menu` number, in navigation order (by number, then title).
pub(crate) fn menu(site: &Site) -> Vec<&PageEntry> {
    let mut entries: Vec<&PageEntry> = site
        .pages
        .iter()
        .filter(|entry| entry.page.menu.is_some())
        .collect();
    entries.sort_by(|a, b| {
        (a.page.menu, &a.page.title, &a.path).cmp(&(b.page.menu, &b.page.title, &b.path))
    });
    entries
}

/// `/<slug>/`: one standalone page.
pub(super) fn standalone(renderer: &Renderer, index: usize) -> Result<Made, Diagnostic> {
    let entry = &renderer.site.pages[index];
    let page = &entry.page;
    let description = page.description.as_deref().unwrap_or_default();
    let mut context = renderer.context(&entry.path, &page.title, description, None);
    let meta = PageMeta {
        extra: &page.extra,
        image: renderer.preview_image(&entry.article),
        ..renderer.page_meta(&entry.path, &page.title, description)
    };
    context.insert("page", &meta);
    context.insert("content", &entry.article.html);
    renderer.finish("page.html", &entry.path, &context)
}
