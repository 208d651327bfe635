//! The pages of a site as jobs: which pages there are and where each lands. A job is
//! small and `Copy`, so the preview can fingerprint and re-render pages one by one.

use super::records;
use crate::index::Site;
use crate::index::{record, routes};
use crate::vocabulary::TaxonomyKind;

/// Every page of `site`, as the jobs that render them.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((1..=home_page_count(site)).map(Job::Home));
    jobs.extend((0..site.briefings.len()).map(Job::Briefing));
    for taxonomy in &site.taxonomies {
        let kind = taxonomy.kind;
        if record::keeps_records(kind) {
            jobs.extend(
                records::ListOrder::ALL
                    .into_iter()
                    .map(|order| Job::TermList(kind, order)),
            );
            jobs.push(Job::RecordsCsv(kind));
            jobs.extend((0..taxonomy.terms.len()).map(|index| Job::RecordJson(kind, index)));
        } else {
            jobs.push(Job::TermList(kind, records::ListOrder::Name));
        }
        jobs.extend((0..taxonomy.terms.len()).map(|index| Job::Term(kind, index)));
    }
    jobs.push(Job::NotFound);
    jobs.push(Job::Archive);
    jobs.extend(
        crate::index::years(site)
            .into_iter()
            .map(|(year, _)| Job::ArchiveYear(year)),
    );
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.extend((0..site.redirects.len()).map(Job::Redirect));
    jobs.extend((0..site.files.len()).map(Job::File));
    jobs
}

/// How many pages the paginated home page has.
pub fn home_page_count(site: &Site) -> usize {
    site.briefings
        .len()
        .div_ceil(site.config.paginate.max(1))
        .max(1)
}

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Page `n` (from 1) of the latest briefings.
    Home(usize),
    /// The briefing at this index of `Site::briefings`.
    Briefing(usize),
    /// The list of every term of a taxonomy, in one of its orders.
    TermList(TaxonomyKind, records::ListOrder),
    /// The term at this index of its taxonomy's `terms`.
    Term(TaxonomyKind, usize),
    /// The `record.json` of the term at this index.
    RecordJson(TaxonomyKind, usize),
    /// The `records.csv` of a taxonomy.
    RecordsCsv(TaxonomyKind),
    /// The 404 page.
    NotFound,
    /// The years of the archive.
    Archive,
    /// One year of the archive.
    ArchiveYear(i16),
    /// The search page.
    Search,
    /// The standalone page at this index of `Site::pages`.
    Page(usize),
    /// The redirect page at this index of `Site::redirects`.
    Redirect(usize),
    /// The bundle file at this index of `Site::files`, published as it is.
    File(usize),
}

impl Job {
    /// The output path of the page this job renders.
    pub fn path(&self, site: &Site) -> String {
        let folder = match *self {
            Job::Home(number) => routes::home_page_path(number),
            Job::Briefing(index) => site.briefings[index].path.clone(),
            Job::TermList(kind, order) => order.path(kind),
            Job::RecordJson(kind, index) => {
                let term = site.taxonomy(kind).map(|t| &t.terms[index]);
                return routes::record_json_path(kind, term.map_or("", |t| t.slug.as_str()));
            }
            Job::RecordsCsv(kind) => return routes::records_csv_path(kind),
            Job::Term(kind, index) => {
                let term = site.taxonomy(kind).map(|t| &t.terms[index]);
                routes::term_path(kind, term.map_or("", |t| t.slug.as_str()))
            }
            Job::NotFound => return routes::NOT_FOUND_PATH.to_owned(),
            Job::Archive => routes::ARCHIVE_PATH.to_owned(),
            Job::ArchiveYear(year) => routes::year_path(year),
            Job::Search => routes::SEARCH_PATH.to_owned(),
            Job::Page(index) => site.pages[index].path.clone(),
            Job::Redirect(index) => return site.redirects[index].file.clone(),
            Job::File(index) => return site.files[index].path.clone(),
        };
        format!("{folder}index.html")
    }
}
