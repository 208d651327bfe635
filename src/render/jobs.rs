//! The pages of a site as jobs: which pages there are and where each lands. A job is
//! small and `Copy`, so the preview can fingerprint and re-render pages one by one.

use super::records;
use crate::index::Site;
use crate::index::taxonomy::Term;
use crate::index::{record, routes};
use crate::vocabulary::TaxonomyKind;

/// Every page of `site`, as the jobs that render them.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((1..=home_page_count(site)).map(Job::Home));
    jobs.extend((0..site.briefing_count()).map(Job::Briefing));
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
        for (index, term) in taxonomy.terms.iter().enumerate() {
            jobs.extend((1..=term_page_count(term)).map(|page| Job::Term(kind, index, page)));
        }
    }
    jobs.push(Job::NotFound);
    jobs.push(Job::Archive);
    for (year, indices) in &site.years {
        jobs.extend((1..=list_page_count(indices.len())).map(|page| Job::ArchiveYear(*year, page)));
    }
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
    site.briefing_count()
        .div_ceil(site.config.paginate.max(1))
        .max(1)
}

/// How many briefings (cards, or rows of a launch history) one page of a term or of a year
/// lists: enough that most terms and years fit on one page, few enough that a page stays
/// well under 200 KB however large the archive grows.
pub const LIST_PAGE_SIZE: usize = 100;

/// How many pages a list of `count` briefings takes (at least one, even when empty).
pub fn list_page_count(count: usize) -> usize {
    count.div_ceil(LIST_PAGE_SIZE).max(1)
}

/// How many pages the page of `term` takes.
pub fn term_page_count(term: &Term) -> usize {
    list_page_count(term.briefings.len())
}

/// The slice of a list of `count` briefings that page `number` (from 1) shows.
pub fn list_page_range(count: usize, number: usize) -> std::ops::Range<usize> {
    let start = (number.max(1) - 1) * LIST_PAGE_SIZE;
    start.min(count)..(start + LIST_PAGE_SIZE).min(count)
}

/// One page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    /// Page `n` (from 1) of the latest briefings.
    Home(usize),
    /// The briefing at this index of `Site::briefings`.
    Briefing(usize),
    /// The list of every term of a taxonomy, in one of its orders.
    TermList(TaxonomyKind, records::ListOrder),
    /// Page `n` (from 1) of the term at this index of its taxonomy's `terms`.
    Term(TaxonomyKind, usize, usize),
    /// The `record.json` of the term at this index.
    RecordJson(TaxonomyKind, usize),
    /// The `records.csv` of a taxonomy.
    RecordsCsv(TaxonomyKind),
    /// The 404 page.
    NotFound,
    /// The years of the archive.
    Archive,
    /// Page `n` (from 1) of one year of the archive.
    ArchiveYear(i16, usize),
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
            Job::Briefing(index) => site.entry(index).path.clone(),
            Job::TermList(kind, order) => order.path(kind),
            Job::RecordJson(kind, index) => {
                let term = site.taxonomy(kind).map(|t| &t.terms[index]);
                return routes::record_json_path(kind, term.map_or("", |t| t.slug.as_str()));
            }
            Job::RecordsCsv(kind) => return routes::records_csv_path(kind),
            Job::Term(kind, index, page) => {
                let term = site.taxonomy(kind).map(|t| &t.terms[index]);
                routes::term_page_path(kind, term.map_or("", |t| t.slug.as_str()), page)
            }
            Job::NotFound => return routes::NOT_FOUND_PATH.to_owned(),
            Job::Archive => routes::ARCHIVE_PATH.to_owned(),
            Job::ArchiveYear(year, page) => routes::year_page_path(year, page),
            Job::Search => routes::SEARCH_PATH.to_owned(),
            Job::Page(index) => site.pages[index].path.clone(),
            Job::Redirect(index) => return site.redirects[index].file.clone(),
            Job::File(index) => return site.files[index].path.clone(),
        };
        format!("{folder}index.html")
    }
}
