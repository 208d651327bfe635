//! The launch records as open data: `/<taxonomy>/<slug>/record.json` for each rocket and
//! country, and `/<taxonomy>/records.csv` with one row per term. The fields are a public
//! contract (documented in the README): add fields, never rename them.
//!
//! Days are UTC (`YYYY-MM-DD`); `success_rate` is successes over flights from 0 to 1, rounded
//! to four decimals, `null` (empty in CSV) before the first flight.

use serde::Serialize;

use super::{OutputFile, Renderer};
use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::index::record::LaunchRecord;
use crate::index::routes;
use crate::index::taxonomy::{Taxonomy, Term};
use crate::vocabulary::TaxonomyKind;

#[derive(Serialize)]
struct RecordJson<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    /// Rockets only: the operating country's name, or null. Absent for countries.
    #[serde(skip_serializing_if = "Option::is_none")]
    country: Option<Option<String>>,
    flights: usize,
    successes: usize,
    failures: usize,
    partial_failures: usize,
    upcoming: usize,
    success_rate: Option<f64>,
    first_flight: Option<String>,
    last_flight: Option<String>,
    briefings: Vec<BriefingJson<'a>>,
}

#[derive(Serialize)]
struct BriefingJson<'a> {
    url: String,
    title: &'a str,
    date: String,
    outcome: Option<&'static str>,
}

/// The CSV header; rockets have a `country` column after `url`.
const CSV_COLUMNS: [&str; 12] = [
    "name",
    "slug",
    "url",
    "flights",
    "successes",
    "failures",
    "partial_failures",
    "upcoming",
    "success_rate",
    "first_flight",
    "last_flight",
    "briefings",
];

fn rate(record: &LaunchRecord) -> Option<f64> {
    record
        .success_rate()
        .map(|rate| (rate * 10_000.0).round() / 10_000.0)
}

fn data_error(path: &str, message: String) -> Diagnostic {
    Diagnostic::error(
        Location::file(std::path::Path::new(path)),
        Problem::Template { message },
    )
}

impl<'a> Renderer<'a> {
    fn country_name(&self, term: &Term) -> Option<String> {
        self.country_link(term).map(|link| link.name)
    }

    /// `/<taxonomy>/<slug>/record.json`.
    pub(super) fn record_json(
        &self,
        kind: TaxonomyKind,
        term: &'a Term,
    ) -> Result<OutputFile, Diagnostic> {
        let path = routes::record_json_path(kind, &term.slug);
        let empty = LaunchRecord::default();
        let record = self.site.records.get(kind, &term.slug).unwrap_or(&empty);
        let briefings = term
            .briefings
            .iter()
            .rev()
            .map(|&i| {
                let entry = self.site.entry(i);
                BriefingJson {
                    url: self.site.config.base_url.permalink(&entry.path),
                    title: &entry.briefing.title,
                    date: entry.briefing.date.utc_day().to_string(),
                    outcome: entry.briefing.outcome.map(|o| o.key()),
                }
            })
            .collect();
        let json = RecordJson {
            name: &term.name,
            slug: &term.slug,
            url: self
                .site
                .config
                .base_url
                .permalink(&routes::term_path(kind, &term.slug)),
            country: (kind == TaxonomyKind::Rockets).then(|| self.country_name(term)),
            flights: record.flights,
            successes: record.successes,
            failures: record.failures,
            partial_failures: record.partial_failures,
            upcoming: record.upcoming,
            success_rate: rate(record),
            first_flight: record.first_flight.map(|d| d.to_string()),
            last_flight: record.last_flight.map(|d| d.to_string()),
            briefings,
        };
        let mut bytes =
            serde_json::to_vec_pretty(&json).map_err(|e| data_error(&path, e.to_string()))?;
        bytes.push(b'\n');
        Ok(OutputFile { path, bytes })
    }

    /// `/<taxonomy>/records.csv`: one row per term, by slug.
    pub(super) fn records_csv(&self, taxonomy: &Taxonomy) -> Result<OutputFile, Diagnostic> {
        let kind = taxonomy.kind;
        let path = routes::records_csv_path(kind);
        let with_country = kind == TaxonomyKind::Rockets;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<&str> = CSV_COLUMNS.to_vec();
        if with_country {
            header.insert(3, "country");
        }
        let fail = |e: csv::Error| data_error(&path, e.to_string());
        writer.write_record(&header).map_err(fail)?;
        let empty = LaunchRecord::default();
        for term in &taxonomy.terms {
            let record = self.site.records.get(kind, &term.slug).unwrap_or(&empty);
            let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
            let mut row = vec![
                term.name.clone(),
                term.slug.clone(),
                self.site
                    .config
                    .base_url
                    .permalink(&routes::term_path(kind, &term.slug)),
                record.flights.to_string(),
                record.successes.to_string(),
                record.failures.to_string(),
                record.partial_failures.to_string(),
                record.upcoming.to_string(),
                rate(record).map(|r| r.to_string()).unwrap_or_default(),
                day(record.first_flight),
                day(record.last_flight),
                term.briefings.len().to_string(),
            ];
            if with_country {
                row.insert(3, self.country_name(term).unwrap_or_default());
            }
            writer.write_record(&row).map_err(fail)?;
        }
        let bytes = writer
            .into_inner()
            .map_err(|e| data_error(&path, e.to_string()))?;
        Ok(OutputFile { path, bytes })
    }
}
