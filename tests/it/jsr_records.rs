//! The JSR converter against the real data: a subset of the launch list (tests/fixtures) is
//! converted into an archive in a temp dir and built; the records apogee computes must equal
//! the tallies counted straight from the CSV.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestSite;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jsr_subset.csv")
}

/// Flights, successes, failures, partial failures, first and last UTC day.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    flights: u64,
    successes: u64,
    failures: u64,
    partial_failures: u64,
    first: String,
    last: String,
}

impl Tally {
    fn add(&mut self, code: &str, day: &str) {
        self.flights += 1;
        match code {
            "OS" => self.successes += 1,
            "OF" => self.failures += 1,
            _ => self.partial_failures += 1,
        }
        if self.first.is_empty() || day < self.first.as_str() {
            self.first = day.to_owned();
        }
        if day > self.last.as_str() {
            self.last = day.to_owned();
        }
    }

    fn of_record(json: &serde_json::Value) -> Tally {
        let n = |key: &str| {
            json[key]
                .as_u64()
                .unwrap_or_else(|| panic!("{key} in {json}"))
        };
        Tally {
            flights: n("flights"),
            successes: n("successes"),
            failures: n("failures"),
            partial_failures: n("partial_failures"),
            first: json["first_flight"].as_str().unwrap_or_default().to_owned(),
            last: json["last_flight"].as_str().unwrap_or_default().to_owned(),
        }
    }
}

/// Tallies by vehicle and by state code, read straight from the CSV.
fn tallies_from_csv() -> (BTreeMap<String, Tally>, BTreeMap<String, Tally>) {
    let mut reader = csv::Reader::from_path(fixture()).expect("fixture");
    let mut vehicles: BTreeMap<String, Tally> = BTreeMap::new();
    let mut states: BTreeMap<String, Tally> = BTreeMap::new();
    for row in reader.records() {
        let row = row.expect("a row");
        let (day, vehicle, state, code) = (&row[1][..10], &row[5], &row[7], &row[8]);
        vehicles
            .entry(vehicle.to_owned())
            .or_default()
            .add(code, day);
        states.entry(state.to_owned()).or_default().add(code, day);
    }
    (vehicles, states)
}

#[test]
fn records_of_the_converted_archive_equal_the_tallies_of_the_data() {
    let launches = crate::jsr::read_file(&fixture()).expect("fixture parses");
    let site = TestSite::new();
    let done = crate::jsr::write_archive(&launches, site.root()).expect("conversion");
    assert_eq!(done.briefings, launches.len());
    let built = site.built(|_| {});
    let (vehicles, states) = tallies_from_csv();

    // Chollima-1 is spelled Cheonlima-1 in JSR; the alias folds it into one term.
    for (vehicle, slug) in [
        ("Cheonlima-1", "chollima-1"),
        ("Electron", "electron"),
        ("Molniya 8K78", "molniya-8k78"),
        ("Vega C", "vega-c"),
        ("Nuri", "nuri"),
    ] {
        let record = built.json(&format!("rockets/{slug}/record.json"));
        assert_eq!(
            Tally::of_record(&record),
            vehicles[vehicle],
            "rocket {vehicle}"
        );
    }
    let chollima = built.json("rockets/chollima-1/record.json");
    assert_eq!(chollima["name"], "Chollima-1");
    let outcomes: Vec<&str> = chollima["briefings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["failure", "failure", "success"]);
    assert!(
        vehicles["Molniya 8K78"].partial_failures > 0,
        "the subset exercises partial failures"
    );

    // Electron flies for New Zealand and the United States: briefings whose state differs
    // from the rocket page's country carry launched_by, so both countries count right.
    for (state, slug) in [
        ("KP", "north-korea"),
        ("KR", "south-korea"),
        ("NZ", "new-zealand"),
        ("US", "united-states"),
        ("SU", "soviet-union"),
        ("I-ESA", "european-space-agency"),
        ("F", "france"),
    ] {
        let record = built.json(&format!("countries/{slug}/record.json"));
        assert_eq!(Tally::of_record(&record), states[state], "country {state}");
    }
}

#[test]
fn generated_briefings_say_so_and_credit_the_data() {
    let launches = crate::jsr::read_file(&fixture()).expect("fixture parses");
    let site = TestSite::new();
    crate::jsr::write_archive(&launches[..3], site.root()).expect("conversion");
    // A second conversion into the same folder must not touch what is there.
    let again = crate::jsr::write_archive(&launches, site.root());
    assert!(
        matches!(again, Err(crate::jsr::JsrError::NotEmpty(_))),
        "{again:?}"
    );
    let built = site.built(|_| {});
    let slug = format!(
        "{}-{}",
        launches[0].time.iso_day(),
        apogee::vocabulary::slugify(&launches[0].vehicle)
    );
    let page = built.read(&format!("briefings/{slug}/index.html"));
    assert!(page.contains("<strong>generated</strong>"), "{page}");
    assert!(page.contains("CC BY 4.0") && page.contains("Jonathan McDowell"));
}
