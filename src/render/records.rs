//! The launch-record parts of pages: the record summary, a rocket's timeline and launch
//! history, a country's rockets and launches per year, the sortable term tables, and the
//! satellites and related briefings of a briefing page.
//!
//! Views here are what `term.html`, `term_list.html` and `briefing.html` see under
//! `term.record`, `terms[].record`, `orders`, `briefing.satellite_links` and `related`. The
//! numbers come from [`crate::index::record`]; the SVG from [`crate::render::chart`]; open data pages are
//! in `opendata`.

use serde::Serialize;

use super::context::{Part, PerBriefing};
use super::{DateView, OutcomeView, Renderer};
use crate::index::Entry;
use crate::index::record::{Launch, LaunchRecord, YearTally};
use crate::index::routes;
use crate::index::taxonomy::{Taxonomy, Term};
use crate::load::i18n::Strings;
use crate::render::chart::{self, Mark};
use crate::vocabulary::Outcome;
use crate::vocabulary::TaxonomyKind;

/// How many related briefings a briefing page shows.
pub const RELATED: usize = 5;
/// How many other briefings a briefing page lists for each of its satellites.
pub const SATELLITE_MENTIONS: usize = 10;

#[derive(Serialize)]
pub(super) struct DayView {
    machine: String,
    display: String,
}

impl DayView {
    fn new(strings: &Strings, day: jiff::civil::Date) -> DayView {
        DayView {
            machine: day.to_string(),
            display: strings.day(day),
        }
    }
}

#[derive(Serialize)]
struct StreakView {
    outcome: OutcomeView,
    length: usize,
}

#[derive(Serialize)]
struct NextFlightView {
    date: DayView,
    title: String,
    url: String,
}

/// A launch record as templates see it.
#[derive(Serialize)]
pub(super) struct RecordView {
    flights: usize,
    successes: usize,
    failures: usize,
    partial_failures: usize,
    upcoming: usize,
    /// Whole percent, `None` before the first flight.
    success_percent: Option<u32>,
    first_flight: Option<DayView>,
    last_flight: Option<DayView>,
    streak: Option<StreakView>,
    next_flight: Option<NextFlightView>,
    /// The record in one line: "3 flights: 1 success, 2 failures (33% success)".
    line: String,
}

#[derive(Serialize)]
pub(super) struct SatelliteLink {
    name: String,
    url: Option<String>,
    /// Other briefings that name the same satellite, newest first.
    elsewhere: Vec<PerBriefing<BriefingLink>>,
    /// How many more there are than `elsewhere` shows.
    more: usize,
}

impl SatelliteLink {
    /// Whether another briefing names this satellite.
    pub(super) fn is_elsewhere(&self) -> bool {
        !self.elsewhere.is_empty()
    }
}

#[derive(Serialize)]
pub(super) struct BriefingLink {
    title: String,
    url: String,
    date: DateView,
    outcome: Option<OutcomeView>,
}

#[derive(Serialize)]
struct HistoryRow {
    date: DateView,
    title: String,
    url: String,
    satellites: Vec<SatelliteLink>,
    outcome: Option<OutcomeView>,
    upcoming: bool,
}

#[derive(Serialize)]
struct YearRow {
    year: i16,
    flights: usize,
    successes: usize,
    failures: usize,
    partial_failures: usize,
}

#[derive(Serialize)]
struct RocketLine {
    name: String,
    url: String,
    count: usize,
    record: Option<RecordView>,
}

#[derive(Serialize)]
struct DataLinks {
    json: String,
    csv: String,
}

/// The record part of a rocket or country page.
#[derive(Serialize)]
pub(super) struct RecordPage {
    summary: RecordView,
    /// Rockets: inline SVG, already escaped.
    timeline: Option<String>,
    /// Rockets: every briefing about it, oldest first.
    history: Vec<PerBriefing<HistoryRow>>,
    /// Countries: the rockets it operates.
    rockets: Vec<RocketLine>,
    /// Countries: inline SVG, already escaped.
    years_chart: Option<String>,
    years: Vec<YearRow>,
    data: DataLinks,
}

/// An order of a term list page.
#[derive(Serialize)]
pub(super) struct OrderLink {
    label: String,
    url: String,
    current: bool,
}

/// The orders a term list is offered in: by name (the list's own page), by flights, by
/// latest flight. Each is its own page, so sorting needs no script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListOrder {
    /// Alphabetical: the list's own page.
    Name,
    /// Most flights first.
    Flights,
    /// Latest flight first.
    LastFlight,
}

impl ListOrder {
    pub(super) const ALL: [ListOrder; 3] =
        [ListOrder::Name, ListOrder::Flights, ListOrder::LastFlight];

    /// The key of its label among the theme's strings.
    fn label(self) -> &'static str {
        match self {
            ListOrder::Name => "order_name",
            ListOrder::Flights => "order_flights",
            ListOrder::LastFlight => "order_last_flight",
        }
    }

    pub(super) fn path(self, kind: TaxonomyKind) -> String {
        match self {
            ListOrder::Name => routes::taxonomy_path(kind),
            ListOrder::Flights => routes::taxonomy_order_path(kind, "flights"),
            ListOrder::LastFlight => routes::taxonomy_order_path(kind, "last-flight"),
        }
    }

    /// The key of its caption among the theme's strings.
    pub(super) fn caption(self) -> &'static str {
        match self {
            ListOrder::Name => "caption_name",
            ListOrder::Flights => "caption_flights",
            ListOrder::LastFlight => "caption_last_flight",
        }
    }
}

fn record_line(strings: &Strings, record: &LaunchRecord) -> String {
    let count = |key: &str, n: usize| strings.counted(key, n as i64, &[]);
    let mut parts = Vec::new();
    if record.successes > 0 {
        parts.push(count("record_successes", record.successes));
    }
    if record.partial_failures > 0 {
        parts.push(count("record_partial_failures", record.partial_failures));
    }
    if record.failures > 0 {
        parts.push(count("record_failures", record.failures));
    }
    let mut line = match record.success_percent() {
        Some(percent) => strings.counted(
            "record_line",
            record.flights as i64,
            &[
                ("flights", &record.flights.to_string()),
                ("parts", &parts.join(", ")),
                ("percent", &percent.to_string()),
            ],
        ),
        None => strings.get("no_flights_yet").to_owned(),
    };
    if record.upcoming > 0 {
        line.push_str(", ");
        line.push_str(&count("record_planned", record.upcoming));
    }
    line
}

impl<'a> Renderer<'a> {
    pub(super) fn record_view(&self, record: &LaunchRecord) -> RecordView {
        RecordView {
            flights: record.flights,
            successes: record.successes,
            failures: record.failures,
            partial_failures: record.partial_failures,
            upcoming: record.upcoming,
            success_percent: record.success_percent(),
            first_flight: record.first_flight.map(|d| DayView::new(self.strings(), d)),
            last_flight: record.last_flight.map(|d| DayView::new(self.strings(), d)),
            streak: record.streak.map(|s| StreakView {
                outcome: self.outcome(s.outcome),
                length: s.length,
            }),
            next_flight: record.next_flight.map(|launch| {
                let entry = self.site.entry(launch.briefing);
                NextFlightView {
                    date: DayView::new(self.strings(), launch.day),
                    title: entry.briefing.title.clone(),
                    url: self.link(&entry.path),
                }
            }),
            line: record_line(self.strings(), record),
        }
    }

    fn briefing_link(&self, index: usize) -> BriefingLink {
        let entry = self.site.entry(index);
        BriefingLink {
            title: entry.briefing.title.clone(),
            url: self.link(&entry.path),
            date: self.date(entry),
            outcome: entry.briefing.outcome.map(|o| self.outcome(o)),
        }
    }

    /// The satellites of a briefing, each with up to [`SATELLITE_MENTIONS`] other briefings
    /// that name it when `elsewhere` is asked for (briefing pages; tables need only names).
    pub(super) fn satellite_links(&self, index: usize, elsewhere: bool) -> Vec<SatelliteLink> {
        let entry = self.site.entry(index);
        let pages = self.site.taxonomy(TaxonomyKind::Satellites);
        let mut slugs: Vec<String> = Vec::new();
        let mut links: Vec<SatelliteLink> = Vec::new();
        for name in &entry.briefing.satellites {
            let slug = crate::vocabulary::slugify(name);
            if slugs.contains(&slug) {
                continue;
            }
            let term = pages.and_then(|t| t.resolve(name));
            // A satellite many briefings name (a constellation) is named on each of their
            // pages: only the few shown are read, the others counted.
            let mentions: &[usize] = match self.site.satellites.get(&slug) {
                Some(mentions) if elsewhere => mentions,
                _ => &[],
            };
            let others = mentions.iter().copied().filter(|&i| i != index);
            let shown: Vec<usize> = others.clone().take(SATELLITE_MENTIONS).collect();
            let more = others.count() - shown.len();
            links.push(SatelliteLink {
                name: term.map_or_else(|| name.clone(), |t| t.name.clone()),
                url: term.map(|t| self.link(&routes::term_path(TaxonomyKind::Satellites, &t.slug))),
                elsewhere: shown
                    .into_iter()
                    .map(|i| self.per_briefing(i, Part::Link, || self.briefing_link(i)))
                    .collect(),
                more,
            });
            slugs.push(slug);
        }
        links
    }

    /// Up to five briefings that share this one's rockets, then its countries.
    pub(super) fn related(&self, index: usize) -> Vec<PerBriefing<BriefingLink>> {
        self.site
            .related(index, RELATED)
            .into_iter()
            .map(|i| self.per_briefing(i, Part::Link, || self.briefing_link(i)))
            .collect()
    }

    /// The record part of page `number` of `term`, if its taxonomy keeps records: the
    /// launch history rows at positions `shown` (oldest first), and on the first page only,
    /// the charts and rockets.
    pub(super) fn record_page(
        &self,
        kind: TaxonomyKind,
        term: &Term,
        number: usize,
        shown: std::ops::Range<usize>,
    ) -> Option<RecordPage> {
        let record = self.site.records.get(kind, &term.slug)?;
        let data = DataLinks {
            json: self.link(&routes::record_json_path(kind, &term.slug)),
            csv: self.link(&routes::records_csv_path(kind)),
        };
        let mut page = RecordPage {
            summary: self.record_view(record),
            timeline: None,
            history: Vec::new(),
            rockets: Vec::new(),
            years_chart: None,
            years: Vec::new(),
            data,
        };
        // A country's record is by year, with the rockets it flies; that of a rocket (or of a
        // declared term such as a launch site) is its history, launch by launch.
        match kind {
            TaxonomyKind::Countries if number > 1 => {}
            TaxonomyKind::Countries => {
                page.rockets = self.rockets_of(&term.slug);
                let years = record.by_year();
                page.years_chart = Some(chart::launches_per_year(
                    self.strings(),
                    "years-chart",
                    &term.name,
                    &years,
                ))
                .filter(|svg| !svg.is_empty());
                page.years = years.iter().map(year_row).collect();
            }
            _ => {
                page.history = term
                    .briefings
                    .iter()
                    .rev()
                    .skip(shown.start)
                    .take(shown.len())
                    .map(|&i| self.per_briefing(i, Part::HistoryRow, || self.history_row(i)))
                    .collect();
                if number == 1 {
                    page.timeline = Some(self.timeline(term)).filter(|svg| !svg.is_empty());
                }
            }
        }
        Some(page)
    }

    fn history_row(&self, index: usize) -> HistoryRow {
        let entry: &Entry = self.site.entry(index);
        HistoryRow {
            date: self.date(entry),
            title: entry.briefing.title.clone(),
            url: self.link(&entry.path),
            satellites: self.satellite_links(index, false),
            outcome: entry.briefing.outcome.map(|o| self.outcome(o)),
            upcoming: entry.upcoming,
        }
    }

    /// The timeline of a rocket: its flights, and its planned launches in their own lane.
    fn timeline(&self, term: &Term) -> String {
        let launches: Vec<(Launch, Outcome)> = term
            .briefings
            .iter()
            .map(|&i| Launch::of_entry(self.site.entry(i), i))
            .filter_map(|launch| {
                let outcome = if launch.upcoming {
                    Some(Outcome::Scheduled)
                } else {
                    launch.counted_outcome()
                };
                outcome.map(|outcome| (launch, outcome))
            })
            .collect();
        let urls: Vec<String> = launches
            .iter()
            .map(|(l, _)| self.link(&self.site.entry(l.briefing).path))
            .collect();
        let marks: Vec<Mark> = launches
            .iter()
            .zip(&urls)
            .map(|((launch, outcome), url)| Mark {
                day: launch.day,
                outcome: *outcome,
                label: &self.site.entry(launch.briefing).briefing.title,
                url,
            })
            .collect();
        chart::timeline(self.strings(), "timeline", &term.name, &marks)
    }

    fn rockets_of(&self, country: &str) -> Vec<RocketLine> {
        let Some(rockets) = self.site.taxonomy(TaxonomyKind::Rockets) else {
            return Vec::new();
        };
        rockets
            .by_name()
            .into_iter()
            .filter(|rocket| rocket.country.as_deref() == Some(country))
            .map(|rocket| RocketLine {
                name: rocket.name.clone(),
                url: self.link(&routes::term_path(TaxonomyKind::Rockets, &rocket.slug)),
                count: rocket.briefings.len(),
                record: self
                    .site
                    .records
                    .get(TaxonomyKind::Rockets, &rocket.slug)
                    .map(|r| self.record_view(r)),
            })
            .collect()
    }

    /// The terms of a list page in `order`.
    pub(super) fn ordered_terms(&self, taxonomy: &'a Taxonomy, order: ListOrder) -> Vec<&'a Term> {
        let mut terms = taxonomy.by_name();
        let record = |term: &Term| self.site.records.get(taxonomy.kind, &term.slug);
        match order {
            ListOrder::Name => {}
            ListOrder::Flights => {
                terms.sort_by_key(|term| std::cmp::Reverse(record(term).map_or(0, |r| r.flights)))
            }
            ListOrder::LastFlight => terms
                .sort_by_key(|term| std::cmp::Reverse(record(term).and_then(|r| r.last_flight))),
        }
        terms
    }

    /// Links to the other orders of a list page, the current one marked.
    pub(super) fn order_links(&self, kind: TaxonomyKind, current: ListOrder) -> Vec<OrderLink> {
        ListOrder::ALL
            .into_iter()
            .map(|order| OrderLink {
                label: self.strings().get(order.label()).to_owned(),
                url: self.link(&order.path(kind)),
                current: order == current,
            })
            .collect()
    }
}

fn year_row(tally: &YearTally) -> YearRow {
    YearRow {
        year: tally.year,
        flights: tally.flights(),
        successes: tally.successes,
        failures: tally.failures,
        partial_failures: tally.partial_failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_lines_read_as_sentences() {
        let mut record = LaunchRecord {
            flights: 3,
            successes: 1,
            failures: 2,
            ..LaunchRecord::default()
        };
        assert_eq!(
            record_line(&Strings::english(), &record),
            "3 flights: 1 success, 2 failures (33% success)"
        );
        record.upcoming = 1;
        assert_eq!(
            record_line(&Strings::english(), &record),
            "3 flights: 1 success, 2 failures (33% success), 1 planned"
        );
        assert_eq!(
            record_line(
                &Strings::english(),
                &LaunchRecord {
                    upcoming: 2,
                    ..LaunchRecord::default()
                }
            ),
            "No flights yet, 2 planned"
        );
    }
}
