//! Launch records: how often a rocket or a country flew, how often it worked, when it last
//! flew and what comes next — the tallies a launch analyst opens a rocket or country page for.
//!
//! A record is computed once per rocket and per country in the index stage ([`compute`]) from
//! the site's briefings and stored with the site; templates, charts and open data only read
//! it. A flight is a briefing whose outcome is `success`, `failure` or `partial` and that is
//! not upcoming; `scheduled` briefings and those dated after the build's day are upcoming;
//! `unknown` and missing outcomes are neither. Days are UTC days. Drafts never reach the
//! site unless the build includes them. This module renders nothing.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::index::Entry;
use crate::index::taxonomy::{Taxonomy, Term};
use crate::vocabulary::Outcome;
use crate::vocabulary::TaxonomyKind;

/// One briefing as a record sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Launch {
    /// Index into the site's briefings.
    pub briefing: usize,
    /// The UTC day it flew or is planned to fly.
    pub day: Date,
    /// What the briefing says happened.
    pub outcome: Option<Outcome>,
    /// Planned rather than flown.
    pub upcoming: bool,
}

impl Launch {
    /// Briefing `index` of the site's `entries`, as a record sees it.
    pub fn of(entries: &[Entry], index: usize) -> Launch {
        Launch::of_entry(&entries[index], index)
    }

    /// `entry`, briefing `index` of the site, as a record sees it.
    pub fn of_entry(entry: &Entry, index: usize) -> Launch {
        Launch {
            briefing: index,
            day: entry.briefing.date.utc_day(),
            outcome: entry.briefing.outcome,
            upcoming: entry.upcoming,
        }
    }

    /// The outcome that counts in a record: `None` unless it flew and the result is known.
    pub fn counted_outcome(&self) -> Option<Outcome> {
        match self.outcome {
            _ if self.upcoming => None,
            Some(outcome @ (Outcome::Success | Outcome::Failure | Outcome::Partial)) => {
                Some(outcome)
            }
            _ => None,
        }
    }
}

/// The same outcome on the latest flights in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Streak {
    /// The outcome repeated.
    pub outcome: Outcome,
    /// How many flights in a row, counting back from the last.
    pub length: usize,
}

/// Flights of one year, by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YearTally {
    /// The calendar year (UTC).
    pub year: i16,
    /// Successful flights.
    pub successes: usize,
    /// Failed flights.
    pub failures: usize,
    /// Partial failures.
    pub partial_failures: usize,
}

impl YearTally {
    /// All flights of the year.
    pub fn flights(&self) -> usize {
        self.successes + self.failures + self.partial_failures
    }
}

/// The launch record of a rocket or a country.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LaunchRecord {
    /// Flights with a known result: successes + failures + partial failures.
    pub flights: usize,
    /// Reached the planned orbit.
    pub successes: usize,
    /// Did not reach orbit.
    pub failures: usize,
    /// Reached orbit, but not as planned.
    pub partial_failures: usize,
    /// Planned flights: scheduled, or dated after the build's day.
    pub upcoming: usize,
    /// Day of the first flight.
    pub first_flight: Option<Date>,
    /// Day of the latest flight.
    pub last_flight: Option<Date>,
    /// The run of equal outcomes that ends with the latest flight.
    pub streak: Option<Streak>,
    /// The earliest planned flight.
    pub next_flight: Option<Launch>,
    /// The flights counted, oldest first.
    pub flown: Vec<Launch>,
}

impl LaunchRecord {
    /// Tallies `launches` (any order; drafts must already be left out).
    pub fn tally(launches: impl IntoIterator<Item = Launch>) -> LaunchRecord {
        let mut record = LaunchRecord::default();
        for launch in launches {
            if launch.upcoming {
                record.upcoming += 1;
                let earlier = record
                    .next_flight
                    .is_none_or(|next| (launch.day, launch.briefing) < (next.day, next.briefing));
                if earlier {
                    record.next_flight = Some(launch);
                }
                continue;
            }
            let Some(outcome) = launch.counted_outcome() else {
                continue;
            };
            match outcome {
                Outcome::Success => record.successes += 1,
                Outcome::Failure => record.failures += 1,
                _ => record.partial_failures += 1,
            }
            record.flown.push(launch);
        }
        // Stable: launches on one day keep the order they came in.
        record.flown.sort_by_key(|launch| launch.day);
        record.flights = record.flown.len();
        record.first_flight = record.flown.first().map(|l| l.day);
        record.last_flight = record.flown.last().map(|l| l.day);
        record.streak = streak(&record.flown);
        record
    }

    /// Successes over flights, from 0 to 1; `None` before the first flight.
    pub fn success_rate(&self) -> Option<f64> {
        (self.flights > 0).then(|| self.successes as f64 / self.flights as f64)
    }

    /// The success rate as a whole percentage (`67`), for readers.
    pub fn success_percent(&self) -> Option<u32> {
        self.success_rate()
            .map(|rate| (rate * 100.0).round() as u32)
    }

    /// Flights per year from the first flight's year to the last's, gaps included.
    pub fn by_year(&self) -> Vec<YearTally> {
        let (Some(first), Some(last)) = (self.first_flight, self.last_flight) else {
            return Vec::new();
        };
        let mut years: Vec<YearTally> = (first.year()..=last.year())
            .map(|year| YearTally {
                year,
                successes: 0,
                failures: 0,
                partial_failures: 0,
            })
            .collect();
        for launch in &self.flown {
            let tally = &mut years[(launch.day.year() - first.year()) as usize];
            match launch.counted_outcome() {
                Some(Outcome::Success) => tally.successes += 1,
                Some(Outcome::Failure) => tally.failures += 1,
                _ => tally.partial_failures += 1,
            }
        }
        years
    }
}

fn streak(flown: &[Launch]) -> Option<Streak> {
    let outcome = flown.last()?.counted_outcome()?;
    let length = flown
        .iter()
        .rev()
        .take_while(|l| l.counted_outcome() == Some(outcome))
        .count();
    Some(Streak { outcome, length })
}

/// The records of every rocket and every country, by term slug.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Records {
    /// Rocket slug → record.
    pub rockets: BTreeMap<String, LaunchRecord>,
    /// Country slug → record.
    pub countries: BTreeMap<String, LaunchRecord>,
    /// Declared taxonomies with `records: true`: name → term slug → record.
    pub declared: BTreeMap<&'static str, BTreeMap<String, LaunchRecord>>,
}

impl Records {
    /// The record of a term, if its taxonomy keeps records.
    pub fn get(&self, kind: TaxonomyKind, slug: &str) -> Option<&LaunchRecord> {
        match kind {
            TaxonomyKind::Rockets => self.rockets.get(slug),
            TaxonomyKind::Countries => self.countries.get(slug),
            TaxonomyKind::Declared(_) => self.declared.get(kind.name())?.get(slug),
            _ => None,
        }
    }
}

/// Whether terms of `kind` have launch records.
pub fn keeps_records(kind: TaxonomyKind) -> bool {
    kind.keeps_records()
}

/// The countries that flew a briefing, by slug: its `launched_by`, else the `country` of each
/// of its rockets' term pages. A country that is only listed in `countries` did not fly it.
pub fn launchers(entry: &Entry, rockets: Option<&Taxonomy>, countries: &Taxonomy) -> Vec<String> {
    if let Some(term) = entry
        .briefing
        .launched_by
        .as_deref()
        .and_then(|name| countries.resolve(name))
    {
        return vec![term.slug.clone()];
    }
    let mut slugs: Vec<String> = entry
        .briefing
        .rockets
        .iter()
        .filter_map(|name| rockets?.resolve(name))
        .filter_map(|rocket: &Term| rocket.country.clone())
        .collect();
    slugs.sort();
    slugs.dedup();
    slugs
}

/// Computes the record of every rocket and country term of the indexed site.
pub fn compute(entries: &[Entry], taxonomies: &[Taxonomy]) -> Records {
    let find = |kind| taxonomies.iter().find(|t: &&Taxonomy| t.kind == kind);
    let mut records = Records::default();
    // A rocket's flights, like a launch site's, are the briefings that name it.
    let named = |taxonomy: &Taxonomy| -> BTreeMap<String, LaunchRecord> {
        taxonomy
            .terms
            .iter()
            .map(|term| {
                let launches = term.briefings.iter().map(|&i| Launch::of(entries, i));
                (term.slug.clone(), LaunchRecord::tally(launches))
            })
            .collect()
    };
    let rockets = find(TaxonomyKind::Rockets);
    if let Some(rockets) = rockets {
        records.rockets = named(rockets);
    }
    for taxonomy in taxonomies {
        if let TaxonomyKind::Declared(declaration) = taxonomy.kind
            && declaration.records
        {
            records
                .declared
                .insert(taxonomy.kind.name(), named(taxonomy));
        }
    }
    let Some(countries) = find(TaxonomyKind::Countries) else {
        return records;
    };
    let mut launched: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        for slug in launchers(entry, rockets, countries) {
            launched.entry(slug).or_default().push(index);
        }
    }
    for term in &countries.terms {
        let indices = launched
            .get(&term.slug)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let record = LaunchRecord::tally(indices.iter().map(|&i| Launch::of(entries, i)));
        records.countries.insert(term.slug.clone(), record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(briefing: usize, day: &str, outcome: Option<Outcome>, upcoming: bool) -> Launch {
        Launch {
            briefing,
            day: day.parse().unwrap(),
            outcome,
            upcoming,
        }
    }

    fn flown(briefing: usize, day: &str, outcome: Outcome) -> Launch {
        launch(briefing, day, Some(outcome), false)
    }

    /// Chollima-1 in 2023: two failures, then a success; given newest first, as sites list them.
    fn chollima() -> Vec<Launch> {
        vec![
            flown(0, "2023-11-21", Outcome::Success),
            flown(1, "2023-08-24", Outcome::Failure),
            flown(2, "2023-05-31", Outcome::Failure),
        ]
    }

    #[test]
    fn tallies_outcomes_and_dates() {
        let record = LaunchRecord::tally(chollima());
        assert_eq!(
            (
                record.flights,
                record.successes,
                record.failures,
                record.partial_failures
            ),
            (3, 1, 2, 0)
        );
        assert_eq!(record.first_flight, Some("2023-05-31".parse().unwrap()));
        assert_eq!(record.last_flight, Some("2023-11-21".parse().unwrap()));
        assert_eq!(
            record.flown.iter().map(|l| l.briefing).collect::<Vec<_>>(),
            vec![2, 1, 0]
        );
        assert_eq!(record.success_percent(), Some(33));
        assert!((record.success_rate().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn streak_counts_back_from_the_latest_flight() {
        let record = LaunchRecord::tally(chollima());
        assert_eq!(
            record.streak,
            Some(Streak {
                outcome: Outcome::Success,
                length: 1
            })
        );
        let mut launches = chollima();
        launches.push(flown(3, "2022-01-01", Outcome::Partial));
        launches[0] = flown(0, "2023-11-21", Outcome::Failure);
        let record = LaunchRecord::tally(launches);
        assert_eq!(
            record.streak,
            Some(Streak {
                outcome: Outcome::Failure,
                length: 3
            })
        );
        assert_eq!(record.partial_failures, 1);
    }

    #[test]
    fn upcoming_and_unknown_do_not_count_as_flights() {
        let mut launches = chollima();
        launches.push(launch(4, "2027-06-30", Some(Outcome::Scheduled), true));
        launches.push(launch(5, "2026-01-01", None, true));
        launches.push(launch(6, "2025-02-01", Some(Outcome::Success), true));
        launches.push(launch(7, "2023-12-01", Some(Outcome::Unknown), false));
        launches.push(launch(8, "2023-12-02", None, false));
        let record = LaunchRecord::tally(launches);
        assert_eq!((record.flights, record.upcoming), (3, 3));
        assert_eq!(record.next_flight.map(|l| l.briefing), Some(6));
        assert_eq!(record.last_flight, Some("2023-11-21".parse().unwrap()));
    }

    #[test]
    fn an_empty_record_has_no_rate_or_dates() {
        let record = LaunchRecord::tally([launch(0, "2027-01-01", Some(Outcome::Scheduled), true)]);
        assert_eq!((record.flights, record.upcoming), (0, 1));
        assert_eq!(
            (record.success_rate(), record.first_flight, record.streak),
            (None, None, None)
        );
        assert!(record.by_year().is_empty());
    }

    #[test]
    fn years_cover_gaps() {
        let launches = [
            flown(0, "2020-03-01", Outcome::Success),
            flown(1, "2022-03-01", Outcome::Failure),
            flown(2, "2022-09-01", Outcome::Partial),
            flown(3, "2022-10-01", Outcome::Success),
        ];
        let years = LaunchRecord::tally(launches).by_year();
        assert_eq!(
            years
                .iter()
                .map(|y| (y.year, y.flights()))
                .collect::<Vec<_>>(),
            vec![(2020, 1), (2021, 0), (2022, 3)]
        );
        assert_eq!(
            (
                years[2].successes,
                years[2].failures,
                years[2].partial_failures
            ),
            (1, 1, 1)
        );
    }
}
