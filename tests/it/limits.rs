//! Bounds on input: a small file cannot take all memory or time. Each limit is passed by a
//! small input and answered by a located error, in front matter and `site.yaml` alike.

use crate::common::TestSite;

/// Ten levels of ten aliases: 10^10 values once expanded, from under 1 KB of YAML.
fn laughs() -> String {
    let mut yaml = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_owned();
    for level in 1..10 {
        let list = vec![format!("*l{}", level - 1); 10].join(", ");
        yaml.push_str(&format!("l{level}: &l{level} [{list}]\n"));
    }
    yaml
}

fn site() -> TestSite {
    TestSite::new().briefing(
        "2023-11-21-fine",
        "title: Fine\ndate: 2023-11-21\noutcome: success\nsources:\n  - title: KCNA",
        "Text.",
    )
}

fn check_fails(site: &TestSite) -> String {
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn aliases_that_expand_past_the_limit_are_an_error_at_the_first_alias() {
    let site = site().briefing(
        "2023-11-22-laughs",
        &format!("title: x\ndate: 2023-11-22\n{}", laughs()),
        "Text.",
    );
    let stderr = check_fails(&site);
    assert!(
        stderr.contains("content/briefings/2023-11-22-laughs.md:5:10: error: the YAML holds more than 100000 values once its aliases (`*name`) are expanded"),
        "{stderr}"
    );
    let site = site.file("site.yaml", &laughs());
    let stderr = check_fails(&site);
    assert!(
        stderr.contains("site.yaml:2:10: error: the YAML holds more than"),
        "{stderr}"
    );
}

#[test]
fn a_list_past_the_limit_is_an_error_at_its_key() {
    let tags: Vec<String> = (0..1_001).map(|i| format!("t{i}")).collect();
    let site = site().briefing(
        "2023-11-22-tags",
        &format!("title: x\ndate: 2023-11-22\ntags: [{}]", tags.join(", ")),
        "Text.",
    );
    let stderr = check_fails(&site);
    assert!(
        stderr.contains("content/briefings/2023-11-22-tags.md:4:7: error: `tags` lists 1001 entries: at most 1000 are allowed"),
        "{stderr}"
    );
}

#[test]
fn a_long_list_of_sources_or_aliases_is_refused_too() {
    let sources = "  - title: x\n".repeat(1_001);
    let aliases: Vec<String> = (0..1_001).map(|i| format!("H{i}")).collect();
    let site = site()
        .briefing(
            "2023-11-22-sources",
            &format!(
                "title: x\ndate: 2023-11-22\nsources:\n{}",
                sources.trim_end()
            ),
            "Text.",
        )
        .file(
            "content/rockets/h3.md",
            &format!("---\nname: H3\naliases: [{}]\n---\n", aliases.join(", ")),
        );
    let stderr = check_fails(&site);
    assert!(
        stderr.contains("2023-11-22-sources.md:4:9: error: `sources` lists 1001 entries"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/rockets/h3.md:3:10: error: `aliases` lists 1001 entries"),
        "{stderr}"
    );
}

#[test]
fn front_matter_past_the_limit_is_refused_before_parsing() {
    let summary = "y".repeat(256 * 1024);
    let site = site().briefing(
        "2023-11-22-large",
        &format!("title: x\ndate: 2023-11-22\nsummary: {summary}"),
        "Text.",
    );
    let stderr = check_fails(&site);
    assert!(
        stderr.contains("content/briefings/2023-11-22-large.md:2:1: error: the front matter is larger than 256 KiB"),
        "{stderr}"
    );
}

#[test]
fn a_file_past_the_limit_is_not_read() {
    let site = site().bytes(
        "content/briefings/2023-11-22-huge.md",
        &vec![b'x'; 8 * 1024 * 1024 + 1],
    );
    let stderr = check_fails(&site);
    assert!(
        stderr.contains(
            "content/briefings/2023-11-22-huge.md:1:1: error: the file is larger than 8 MiB"
        ),
        "{stderr}"
    );
}
