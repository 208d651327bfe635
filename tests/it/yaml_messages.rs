//! The YAML mistakes writers make most get messages they can act on, located where they
//! must act, in front matter and in `site.yaml` alike.

use crate::common::TestSite;

fn site() -> TestSite {
    TestSite::new().briefing(
        "2023-11-21-fine",
        "title: Fine\ndate: 2023-11-21\noutcome: success\nsources:\n  - title: KCNA",
        "Text.",
    )
}

fn check(site: &TestSite) -> String {
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unquoted_colon_in_a_title_says_to_quote_it_at_the_colon() {
    let site = site().briefing(
        "2023-11-22-x",
        "title: North Korea: launch fails\ndate: 2023-11-22",
        "Text.",
    );
    let stderr = check(&site);
    assert!(
        stderr.contains(
            "content/briefings/2023-11-22-x.md:2:19: error: quote the title: it contains `: `\n  |\n2 | title: North Korea: launch fails\n  |                   ^\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("title: 'North Korea: launch fails'"),
        "{stderr}"
    );
    assert!(!stderr.contains("mapping values"), "{stderr}");
}

#[test]
fn a_tab_says_to_indent_with_spaces_at_the_tab() {
    let site = site().briefing(
        "2023-11-22-x",
        "title: x\ndate: 2023-11-22\nrockets:\n \t- H3",
        "Text.",
    );
    let stderr = check(&site);
    assert!(
        stderr.contains(
            "content/briefings/2023-11-22-x.md:5:2: error: YAML does not allow tabs: indent with spaces"
        ),
        "{stderr}"
    );
}

#[test]
fn a_duplicate_key_is_reported_at_its_own_line() {
    let site = site().briefing(
        "2023-11-22-x",
        "title: x\ndate: 2023-11-22\noutcome: success\ntitle: y",
        "Text.",
    );
    let stderr = check(&site);
    assert!(
        stderr.contains(
            "content/briefings/2023-11-22-x.md:5:1: error: `title` is given twice (first on line 2)"
        ),
        "{stderr}"
    );
}

#[test]
fn site_yaml_type_errors_are_worded_like_front_matter_s_at_the_value() {
    for (yaml, expected) in [
        (
            "title: x\npaginate: ten\n",
            "site.yaml:2:11: error: `paginate` must be a whole number, not `ten`",
        ),
        (
            "search: maybe\n",
            "site.yaml:1:9: error: `search` must be true or false, not `maybe`",
        ),
        (
            "title: Archive: North Korea\n",
            "site.yaml:1:15: error: quote the title: it contains `: `",
        ),
    ] {
        let site = site().file("site.yaml", yaml);
        let stderr = check(&site);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("invalid type"), "{stderr}");
    }
}
