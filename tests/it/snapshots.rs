//! Snapshots of what users and programs read: `check`'s transcripts (human and JSON) and the
//! open data (`record.json`, `records.csv`). A change to any of them shows as a diff to review
//! (`cargo insta review`, or `INSTA_UPDATE=always` then `git diff`), never silently.

use crate::common::TestSite;

/// A site with one problem of each common kind: errors in two files (a YAML mistake, broken
/// links) and warnings (a near-miss rocket name, no sources, no outcome).
fn flawed_site() -> TestSite {
    TestSite::new()
        .file(
            "content/rockets/chollima-1.md",
            "---\nname: Chollima-1\ncountry: North Korea\n---\nNorth Korea's launcher.\n",
        )
        .briefing(
            "2023/2023-11-21-malligyong-1-third-launch",
            "title: Malligyong-1 reaches orbit\ndate: 2023-11-21\nrockets: [Chollima-1]\ncountries: [North Korea]\noutcome: success\nsources:\n  - title: KCNA",
            "## Context\n\nSee [above](#contxt) and [the failure](2023-08-24-second-failure).",
        )
        .briefing(
            "2023/2023-08-24-second-failure",
            "title: Second failure\ndate: 2023-08-24\nrockets: [Chollima-l]\ncountries: [North Korea]",
            "Third stage. [Later](2023-11-21-malligyong-1-third-launch.md#reaction).",
        )
        .briefing(
            "2023/2023-05-31-first-failure",
            "title: North Korea: first launch fails\ndate: 2023-05-31",
            "Text.",
        )
}

#[test]
fn check_transcript_for_people() {
    let output = flawed_site().run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}

#[test]
fn check_transcript_for_programs() {
    let output = flawed_site().run(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout));
}

#[test]
fn open_data_of_the_sample_archive() {
    let built = TestSite::sample_archive().built(|options| {
        options.base_url = Some("https://example.org/archive/".to_owned());
    });
    insta::assert_snapshot!(
        "chollima_1_record_json",
        built.read("rockets/chollima-1/record.json")
    );
    insta::assert_snapshot!(
        "north_korea_record_json",
        built.read("countries/north-korea/record.json")
    );
    insta::assert_snapshot!("rockets_records_csv", built.read("rockets/records.csv"));
    insta::assert_snapshot!("countries_records_csv", built.read("countries/records.csv"));
}
