//! Launch records on the sample archive: the Chollima-1 and North Korea pages, the open data
//! twins, the sortable lists, and what records must not count (reactions, drafts).

use std::sync::OnceLock;

use crate::common::{BuiltArchive, TestSite};
use serde_json::Value;

fn sample() -> &'static BuiltArchive {
    static SITE: OnceLock<BuiltArchive> = OnceLock::new();
    SITE.get_or_init(|| TestSite::sample_archive().built(|_| {}))
}

/// The visible text of some HTML, tags dropped and whitespace collapsed.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn chollima_1_page_shows_two_failures_then_a_success() {
    let html = sample().read("rockets/chollima-1/index.html");
    let page = text(&html);
    for expected in [
        "Flights 3",
        "Successes 1",
        "Failures 2",
        "Partial failures 0",
        "Success rate 33%",
        "First flight 31 May 2023",
        "Last flight 21 November 2023",
        "Current streak: 1 success in a row",
        "Operated by North Korea",
        "Data: JSON , CSV",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in {page}");
    }

    let timeline = section(&html, "<svg class=\"chart chart--timeline\"", "</svg>");
    assert_eq!(timeline.matches("chart__mark--failure").count(), 2);
    assert_eq!(timeline.matches("chart__mark--success").count(), 1);
    assert_eq!(timeline.matches("<a href=\"/briefings/").count(), 3);
    assert!(
        timeline.contains("<title id=\"timeline-title\">")
            && timeline.contains("<desc id=\"timeline-desc\">")
    );

    let history = text(section(&html, "id=\"history-heading\"", "</table>"));
    let first = history
        .find("First Malligyong-1 launch")
        .expect("first flight row");
    let second = history
        .find("Second Malligyong-1 launch")
        .expect("second flight row");
    let third = history
        .find("North Korea puts Malligyong-1 into orbit")
        .expect("third flight row");
    assert!(first < second && second < third, "oldest first: {history}");
    assert!(
        history.matches("Malligyong-1 ").count() >= 3,
        "satellites column: {history}"
    );
    assert_eq!(history.matches("Outcome: Failure").count(), 2);
    assert_eq!(history.matches("Outcome: Success").count(), 1);
}

#[test]
fn north_korea_counts_the_launches_it_flew() {
    let html = sample().read("countries/north-korea/index.html");
    let page = text(&html);
    // Three Chollima-1 flights plus the 2024 kerolox launcher failure.
    for expected in [
        "Flights 4",
        "Successes 1",
        "Failures 3",
        "Success rate 25%",
        "Last flight 27 May 2024",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in {page}");
    }
    let rockets = text(section(&html, "id=\"rockets-heading\"", "</section>"));
    assert!(rockets.contains("Chollima-1 3 flights: 1 success, 2 failures (33% success); last flight 21 November 2023"), "{rockets}");

    let chart = section(&html, "<svg class=\"chart chart--years\"", "</svg>");
    assert!(chart.contains("role=\"img\"") && chart.contains("4 flights from 2023 to 2024"));
    let years = text(section(&html, "id=\"years-caption\"", "</table>"));
    assert!(
        years.contains("2023 3 1 0 2") && years.contains("2024 1 0 0 1"),
        "{years}"
    );
}

#[test]
fn a_country_that_only_reacted_lists_the_briefing_without_counting_it() {
    let japan = sample().json("countries/japan/record.json");
    // Japan flew the three H3 launches; it only reacted to North Korea's.
    assert_eq!(
        (japan["flights"].as_u64(), japan["successes"].as_u64()),
        (Some(3), Some(2))
    );
    let titles: Vec<&str> = japan["briefings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["title"].as_str())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("Malligyong-1")),
        "{titles:?}"
    );
    assert_eq!(titles.len(), 7);
}

#[test]
fn record_json_holds_exactly_the_documented_fields() {
    let rocket = sample().json("rockets/chollima-1/record.json");
    assert_eq!(
        keys(&rocket),
        [
            "briefings",
            "country",
            "failures",
            "first_flight",
            "flights",
            "last_flight",
            "name",
            "partial_failures",
            "slug",
            "success_rate",
            "successes",
            "upcoming",
            "url"
        ]
    );
    assert_eq!(rocket["name"], "Chollima-1");
    assert_eq!(rocket["country"], "North Korea");
    // The sample's site.yaml publishes at https://briefings.example.org/.
    assert_eq!(
        rocket["url"],
        "https://briefings.example.org/rockets/chollima-1/"
    );
    assert_eq!(
        (rocket["flights"].as_u64(), rocket["failures"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(rocket["success_rate"].as_f64(), Some(0.3333));
    assert_eq!(
        (
            rocket["first_flight"].as_str(),
            rocket["last_flight"].as_str()
        ),
        (Some("2023-05-31"), Some("2023-11-21"))
    );
    let briefings = rocket["briefings"].as_array().unwrap();
    assert_eq!(keys(&briefings[0]), ["date", "outcome", "title", "url"]);
    let outcomes: Vec<&str> = briefings
        .iter()
        .filter_map(|b| b["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["failure", "failure", "success"]);
    assert_eq!(briefings[2]["date"], "2023-11-21");

    let country = sample().json("countries/north-korea/record.json");
    assert!(
        country.get("country").is_none(),
        "countries have no country field"
    );
    assert_eq!(country["flights"].as_u64(), Some(4));
}

#[test]
fn records_csv_has_one_row_per_term() {
    let csv_text = sample().read("rockets/records.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "name",
            "slug",
            "url",
            "country",
            "flights",
            "successes",
            "failures",
            "partial_failures",
            "upcoming",
            "success_rate",
            "first_flight",
            "last_flight",
            "briefings"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let rockets = std::fs::read_dir(sample().output.join("rockets"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("record.json").exists())
        .count();
    assert_eq!(rows.len(), rockets);
    let chollima = rows
        .iter()
        .find(|r| &r[1] == "chollima-1")
        .expect("a chollima-1 row");
    assert_eq!(
        chollima.iter().collect::<Vec<_>>(),
        [
            "Chollima-1",
            "chollima-1",
            "https://briefings.example.org/rockets/chollima-1/",
            "North Korea",
            "3",
            "1",
            "2",
            "0",
            "0",
            "0.3333",
            "2023-05-31",
            "2023-11-21",
            "3"
        ]
    );

    let countries = sample().read("countries/records.csv");
    assert!(
        countries.starts_with("name,slug,url,flights,"),
        "{countries}"
    );
    assert!(countries.contains("\nNorth Korea,north-korea,https://briefings.example.org/countries/north-korea/,4,1,3,0,0,0.25,2023-05-31,2024-05-27,4\n"), "{countries}");
}

#[test]
fn lists_are_tables_offered_in_three_orders() {
    let by_name = sample().read("rockets/index.html");
    for link in [
        "href=\"/rockets/\" aria-current=\"page\"",
        "href=\"/rockets/by/flights/\"",
        "href=\"/rockets/by/last-flight/\"",
        "href=\"/rockets/records.csv\"",
    ] {
        assert!(by_name.contains(link), "missing {link}");
    }
    let first_row = |html: &str| text(section(html, "<tbody>", "</tr>"));
    assert!(
        first_row(&by_name).starts_with("Ariane 6 Europe 1 0% 2024-07-09 1"),
        "{}",
        first_row(&by_name)
    );
    let by_flights = sample().read("rockets/by/flights/index.html");
    assert!(
        first_row(&by_flights).starts_with("Starship United States 4 50% 2024-10-13 4"),
        "{}",
        first_row(&by_flights)
    );
    assert!(by_flights.contains("href=\"/rockets/by/flights/\" aria-current=\"page\""));
    let by_last = sample().read("countries/by/last-flight/index.html");
    assert!(
        first_row(&by_last).starts_with("United States 7 57% 2024-10-13 12"),
        "{}",
        first_row(&by_last)
    );
}

#[test]
fn drafts_never_count() {
    // The Starship flight 6 preview is a scheduled draft.
    assert_eq!(
        sample().json("rockets/starship/record.json")["upcoming"].as_u64(),
        Some(0)
    );
    let with_drafts = TestSite::sample_archive().built(|options| options.drafts = true);
    assert_eq!(
        with_drafts.json("rockets/starship/record.json")["upcoming"].as_u64(),
        Some(1)
    );
    assert_eq!(
        with_drafts.json("rockets/starship/record.json")["flights"].as_u64(),
        Some(4)
    );
}

#[test]
fn planned_flights_are_upcoming_with_a_next_flight() {
    let nuri = sample().json("rockets/nuri/record.json");
    assert_eq!(
        (nuri["flights"].as_u64(), nuri["upcoming"].as_u64()),
        (Some(2), Some(1))
    );
    let page = text(&sample().read("rockets/nuri/index.html"));
    assert!(
        page.contains("Next scheduled: Nuri sixth flight planned for 2027 , 30 June 2027"),
        "{page}"
    );
}

#[test]
fn briefing_pages_link_satellites_and_related_briefings() {
    let html = sample().read("briefings/2023-08-24-malligyong-1-second-launch/index.html");
    let satellites = text(section(&html, "id=\"satellites-heading\"", "</section>"));
    assert!(
        satellites.contains("First Malligyong-1 launch ends in the Yellow Sea"),
        "{satellites}"
    );
    assert!(
        satellites.contains("North Korea puts Malligyong-1 into orbit on third attempt"),
        "{satellites}"
    );
    assert!(
        !satellites.contains("Second Malligyong-1"),
        "a briefing does not list itself"
    );

    let related = section(&html, "id=\"related-heading\"", "</section>");
    let titles: Vec<String> = related.split("<li>").skip(1).map(text).collect();
    assert_eq!(titles.len(), 5, "{titles:?}");
    // Same rocket first (newest first), then the same countries.
    assert!(
        titles[0].starts_with("North Korea puts Malligyong-1 into orbit"),
        "{titles:?}"
    );
    assert!(
        titles[1].starts_with("First Malligyong-1 launch"),
        "{titles:?}"
    );
    assert!(
        titles[2].starts_with("New North Korean rocket explodes"),
        "{titles:?}"
    );
}

#[test]
fn open_data_and_charts_honour_a_base_url_with_a_path() {
    let site = TestSite::sample_archive().built(|options| {
        options.base_url = Some("https://example.org/archive/".to_owned());
    });
    let record = site.json("rockets/chollima-1/record.json");
    assert_eq!(
        record["url"],
        "https://example.org/archive/rockets/chollima-1/"
    );
    assert_eq!(
        record["briefings"][0]["url"],
        "https://example.org/archive/briefings/2023-05-31-malligyong-1-first-launch/"
    );
    let html = site.read("rockets/chollima-1/index.html");
    let timeline = section(&html, "<svg class=\"chart chart--timeline\"", "</svg>");
    assert_eq!(timeline.matches("<a href=\"/archive/briefings/").count(), 3);
    assert!(html.contains("href=\"/archive/rockets/chollima-1/record.json\""));
    assert!(
        site.read("rockets/records.csv")
            .contains(",https://example.org/archive/rockets/h3/,")
    );
}

#[test]
fn a_satellite_in_many_briefings_lists_the_ten_newest_others() {
    let mut site = crate::common::TestSite::new();
    for day in 1..=13 {
        let front = format!(
            "title: Starlink group {day}\ndate: 2024-03-{day:02}\nrockets: [Falcon 9]\nsatellites: [Starlink]\noutcome: success"
        );
        site = site.briefing(
            &format!("2024-03-{day:02}-starlink"),
            &front,
            "A batch of satellites.",
        );
    }
    let built = site.build().ok();
    let html = built.page("/briefings/2024-03-13-starlink/");
    let listed = section(&html, "id=\"satellites-heading\"", "</section>");
    assert_eq!(listed.matches("<li>").count(), 10);
    assert!(
        listed.contains("Starlink group 12") && !listed.contains("Starlink group 2<"),
        "{listed}"
    );
    assert!(
        text(listed).contains("and 2 older briefings"),
        "{}",
        text(listed)
    );
}
