//! Links that point nowhere fail, located, all of them in one run: `#fragment`s on the same
//! page and on others, a briefing's stem without `.md`, root-relative links that hit no page;
//! and root-relative links honour the path of `base_url`.

use crate::common::{TestSite, links};

const FRONT: &str = "title: Third Malligyong-1 launch\ndate: 2023-11-21\nrockets: [Chollima-1]\ncountries: [North Korea]\noutcome: success\nsources:\n  - title: KCNA\n    url: https://example.org/kcna";

fn site() -> TestSite {
    TestSite::new()
        .briefing(
            "2023/2023-11-21-malligyong-1-third-launch",
            FRONT,
            "The third attempt reached orbit.\n\n## Context\n\nTwo failures came first.\n\n## Reaction {#reaction}\n\nCondemned.",
        )
        .file(
            "content/rockets/chollima-1.md",
            "---\nname: Chollima-1\ncountry: North Korea\n---\nA satellite launcher.\n\n## History\n\nFirst flew in 2023.\n",
        )
        .file("content/countries/north-korea.md", "---\nname: North Korea\n---\nThe DPRK.\n")
        .file("static/img/pad.txt", "a file of the site")
}

/// A briefing beside the first whose body is `body` (its text starts on line 10).
fn with_body(body: &str) -> TestSite {
    site().briefing(
        "2023/2023-12-01-note",
        "title: A note\ndate: 2023-12-01\noutcome: success\nrockets: [Chollima-1]\ncountries: [North Korea]\nsources:\n  - title: x",
        body,
    )
}

/// `(line, column, code, suggestion)` of every diagnostic of `check --format json` in `file`.
fn problems(site: &TestSite, file: &str) -> Vec<(u64, u64, String, Option<String>)> {
    let output = site.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
                d["suggestion"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

const NOTE: &str = "content/briefings/2023/2023-12-01-note.md";

#[test]
fn good_fragments_build() {
    let site = with_body(
        "[c](2023-11-21-malligyong-1-third-launch.md#context) [r](@/rockets/chollima-1.md#history) [s](#notes)\n\n## Notes\n\nText[^1].\n\n[^1]: [back](#fn-ref) <a id=\"fn-ref\"></a>",
    );
    let built = site.build().ok();
    let page = built.page("/briefings/2023-12-01-note/");
    assert!(
        links(&page)
            .contains(&"/briefings/2023-11-21-malligyong-1-third-launch/#context".to_owned())
    );
    assert!(links(&page).contains(&"/rockets/chollima-1/#history".to_owned()));
}

#[test]
fn a_fragment_missing_on_the_same_page_is_located_with_a_did_you_mean() {
    let site = with_body("Intro.\n\n## Context\n\nSee [above](#contxt).");
    assert_eq!(
        problems(&site, NOTE),
        vec![(
            14,
            5,
            "broken-fragment".to_owned(),
            Some("did you mean `#context`?".to_owned())
        )]
    );
    let stderr = site.build().fails().stderr();
    assert!(
        stderr.contains(&format!("{NOTE}:14:5: error: the link `#contxt` points to no heading: this page has no id `contxt`")),
        "{stderr}"
    );
}

#[test]
fn fragments_missing_on_other_pages_are_located() {
    let site = with_body(
        "[a](2023-11-21-malligyong-1-third-launch.md#no-such-heading)\n\n[b](@/rockets/chollima-1.md#nope)\n\n[c](2023-11-21-malligyong-1-third-launch.md#reacton)",
    );
    let found = problems(&site, NOTE);
    let codes: Vec<(u64, &str)> = found.iter().map(|p| (p.0, p.2.as_str())).collect();
    assert_eq!(
        codes,
        vec![
            (10, "broken-fragment"),
            (12, "broken-fragment"),
            (14, "broken-fragment")
        ]
    );
    assert_eq!(found[2].3.as_deref(), Some("did you mean `#reaction`?"));
    let stderr = site.build().fails().stderr();
    assert!(
        stderr.contains("content/briefings/2023/2023-11-21-malligyong-1-third-launch.md has no id `no-such-heading`"),
        "{stderr}"
    );
}

#[test]
fn a_stem_without_md_is_an_error_with_the_file_to_link() {
    let site = with_body("Earlier: [third launch](2023-11-21-malligyong-1-third-launch).");
    assert_eq!(
        problems(&site, NOTE),
        vec![(
            10,
            10,
            "link-without-md".to_owned(),
            Some("did you mean `2023-11-21-malligyong-1-third-launch.md`?".to_owned())
        )]
    );
}

#[test]
fn root_relative_links_must_hit_a_page() {
    let site = with_body(
        "[ok](/rockets/chollima-1/) [ok](/feed.xml) [ok](/img/pad.txt) [ok](/)\n\n[gone](/rockets/h3/)\n\n![gone](/img/nothing.png)",
    );
    let found = problems(&site, NOTE);
    let codes: Vec<(u64, u64, &str)> = found.iter().map(|p| (p.0, p.1, p.2.as_str())).collect();
    assert_eq!(
        codes,
        vec![(12, 1, "broken-site-path"), (14, 1, "broken-site-path")]
    );
}

#[test]
fn root_relative_links_honour_the_path_of_base_url() {
    let site = with_body("[rocket](/rockets/chollima-1/#history) ![pad](/img/pad.txt)");
    let built = site
        .build_with(&["--base-url", "https://example.org/archive/"])
        .ok();
    let page = built.page("/briefings/2023-12-01-note/");
    assert!(
        links(&page).contains(&"/archive/rockets/chollima-1/#history".to_owned()),
        "{page}"
    );
    assert!(page.contains(r#"src="/archive/img/pad.txt""#), "{page}");
}

#[test]
fn every_link_problem_of_every_file_comes_in_one_run() {
    let site = with_body("[a](#contxt)\n\n[b](2023-11-21-malligyong-1-third-launch)\n\n[c](/rockets/h3/)")
        .briefing(
            "2023/2023-12-02-other",
            "title: Other\ndate: 2023-12-02\noutcome: success\nrockets: [Chollima-l]\ncountries: [North Korea]\nsources:\n  - title: x",
            "[d](nowhere.md) [e](2023-12-01-note.md#nope)",
        );
    let output = site.run(&["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    for code in [
        "broken-fragment",
        "link-without-md",
        "broken-site-path",
        "broken-link",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    assert_eq!(report["errors"], 5, "{report:#}");
}

#[test]
fn a_root_relative_link_that_repeats_the_base_path_is_told_the_link_to_write() {
    let site = with_body("[rocket](/archive/rockets/chollima-1/)")
        .file("site.yaml", "base_url: https://example.org/archive/\n");
    assert_eq!(
        problems(&site, NOTE),
        vec![(
            10,
            1,
            "broken-site-path".to_owned(),
            Some("did you mean `/rockets/chollima-1/`?".to_owned())
        )]
    );
}

#[test]
fn a_link_to_a_file_that_does_not_parse_is_not_said_to_point_nowhere() {
    let site = with_body("[broken](2023-12-02-broken.md)").briefing(
        "2023/2023-12-02-broken",
        "title: Broken: on purpose\ndate: 2023-12-02",
        "Text.",
    );
    assert_eq!(problems(&site, NOTE), vec![], "only the file's own error");
    let broken = problems(&site, "content/briefings/2023/2023-12-02-broken.md");
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].2, "unquoted-colon");
}
