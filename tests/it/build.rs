//! `apogee build` end to end: fixture sites in temporary folders, built by the binary, with
//! assertions on pages, links, term membership, and on the errors of every class of bad input.

use crate::common::{TestSite, links};

const NK_FRONT: &str = "title: Second Malligyong-1 launch fails\ndate: 2023-08-24\nrockets: [Chollima-1]\ncountries: [North Korea, South Korea, Japan]\noutcome: failure\nsources:\n  - title: KCNA";

fn sample() -> TestSite {
    TestSite::new()
        .briefing("2023/2023-05-31-first", "title: First attempt\ndate: 2023-05-31\nrockets: [Chollima-1]\ncountries: [DPRK]\noutcome: failure", "The first try.\n\nSee [the second](2023-08-24-second.md#reaction).")
        .briefing("2023/2023-08-24-second", NK_FRONT, "Third stage failed.\n\n## Reaction\n\nCondemned. Rocket: [Chollima-1](@/rockets/chollima-1.md).")
        .briefing("2024/2024-02-17-h3", "title: H3 reaches orbit\ndate: 2024-02-17\nrockets: [H3]\ncountries: [Japan]\noutcome: success\nsummary: JAXA's new rocket works.", "Body of the H3 briefing.")
        .file("content/rockets/chollima-1.md", "---\nname: Chollima-1\naliases: [Chollima 1]\ncountry: North Korea\n---\nNorth Korea's satellite launcher.\n")
        .file("content/countries/north-korea.md", "---\nname: North Korea\naliases: [DPRK]\n---\nThe DPRK.\n")
}

#[test]
fn builds_every_page_of_the_contract() {
    let site = sample();
    let built = site.build().ok();
    for url in [
        "/",
        "/briefings/2023-05-31-first/",
        "/briefings/2023-08-24-second/",
        "/briefings/2024-02-17-h3/",
        "/rockets/",
        "/countries/",
        "/rockets/chollima-1/",
        "/rockets/h3/",
        "/countries/north-korea/",
        "/countries/south-korea/",
        "/countries/japan/",
    ] {
        assert!(built.has_page(url), "missing {url}");
    }
    assert!(built.public.join("404.html").is_file());
    assert!(
        built.public.join("style.css").is_file(),
        "theme assets are copied"
    );
}

#[test]
fn terms_fold_aliases_and_list_briefings_newest_first() {
    let site = sample();
    let built = site.build().ok();
    let nk = built.page("/countries/north-korea/");
    let second = nk
        .find("Second Malligyong-1 launch fails")
        .expect("the August briefing is listed");
    let first = nk
        .find("First attempt")
        .expect("the DPRK briefing folds into North Korea");
    assert!(second < first, "newest first");
    assert!(
        !built.has_page("/countries/dprk/"),
        "an alias gets no page of its own"
    );
    assert!(
        nk.contains("/rockets/chollima-1/"),
        "a country page lists the rockets it operates"
    );
    let rocket = built.page("/rockets/chollima-1/");
    assert!(
        rocket.contains("North Korea\u{2019}s satellite launcher"),
        "the term page's description (smart quotes on)"
    );
    assert!(
        rocket.contains("/countries/north-korea/"),
        "a rocket page links its country"
    );
    let japan = built.page("/countries/japan/");
    assert!(japan.contains("H3 reaches orbit") && japan.contains("Second Malligyong-1"));
}

#[test]
fn links_between_sources_become_page_urls() {
    let site = sample();
    let built = site.build().ok();
    let first = built.page("/briefings/2023-05-31-first/");
    assert!(links(&first).contains(&"/briefings/2023-08-24-second/#reaction".to_owned()));
    let second = built.page("/briefings/2023-08-24-second/");
    assert!(
        second.contains(r#"<h2 id="reaction">"#),
        "headings get ids that fragments can use"
    );
    assert!(links(&second).contains(&"/rockets/chollima-1/".to_owned()));
}

#[test]
fn briefing_pages_show_the_record_and_neighbours() {
    let site = sample();
    let built = site.build().ok();
    let page = built.page("/briefings/2023-08-24-second/");
    assert!(page.contains(r#"datetime="2023-08-24""#));
    assert!(page.contains("Failure"));
    assert!(page.contains("KCNA"));
    let hrefs = links(&page);
    assert!(
        hrefs.contains(&"/briefings/2023-05-31-first/".to_owned()),
        "previous (older) briefing"
    );
    assert!(
        hrefs.contains(&"/briefings/2024-02-17-h3/".to_owned()),
        "next (newer) briefing"
    );
    assert!(hrefs.contains(&"/countries/south-korea/".to_owned()));
}

#[test]
fn home_is_paginated() {
    let mut site = TestSite::new().file("site.yaml", "paginate: 2\n");
    for day in 1..=5 {
        site = site.briefing(
            &format!("2023-01-0{day}-b"),
            &format!("title: Briefing {day}\ndate: 2023-01-0{day}"),
            "Text.",
        );
    }
    let built = site.build().ok();
    assert!(
        built.has_page("/page/2/") && built.has_page("/page/3/") && !built.has_page("/page/4/")
    );
    let home = built.page("/");
    assert!(
        home.contains("Briefing 5") && home.contains("Briefing 4") && !home.contains("Briefing 3")
    );
    assert!(links(&home).contains(&"/page/2/".to_owned()));
    let last = built.page("/page/3/");
    assert!(last.contains("Briefing 1") && links(&last).contains(&"/page/2/".to_owned()));
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let site = sample();
    let built = site
        .build_with(&["--base-url", "https://example.org/archive/"])
        .ok();
    let page = built.page("/briefings/2023-05-31-first/");
    for href in links(&page) {
        assert!(
            href.starts_with("/archive/") || href.starts_with("https://") || href.starts_with('#'),
            "{href} ignores the base path"
        );
    }
    assert!(links(&page).contains(&"/archive/briefings/2023-08-24-second/#reaction".to_owned()));
    assert!(links(&page).contains(&"/archive/rockets/chollima-1/".to_owned()));
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = sample().briefing(
        "2024-03-01-draft",
        "title: Not yet\ndate: 2024-03-01\ndraft: true",
        "Draft.",
    );
    let built = site.build().ok();
    assert!(!built.has_page("/briefings/2024-03-01-draft/"));
    assert!(!built.page("/").contains("Not yet"));
    let built = site.build_with(&["--drafts"]).ok();
    assert!(built.has_page("/briefings/2024-03-01-draft/"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let site = sample();
    let first = crate::common::snapshot(&site.build().ok().public);
    let second = crate::common::snapshot(&site.build().ok().public);
    assert_eq!(first, second);
}

#[test]
fn the_output_may_not_hold_the_sources() {
    let site = sample();
    let root = site.root().to_str().unwrap().to_owned();
    let built = site.build_with(&["--output", &root]);
    assert_eq!(built.output.status.code(), Some(2));
    assert!(built.stderr().contains("refusing"), "{}", built.stderr());
    assert!(
        site.root()
            .join("content/briefings/2023/2023-05-31-first.md")
            .is_file(),
        "nothing deleted"
    );
    let built = site.build_with(&["--output", ".."]);
    assert_eq!(built.output.status.code(), Some(2));
}

/// A site that builds, then the same site with one bad file: the build fails with a located
/// message and leaves the previous output exactly as it was.
fn assert_bad_input(path: &str, bytes: &[u8], expected: &str) {
    let site = sample();
    let before = crate::common::snapshot(&site.build().ok().public);
    let site = site.bytes(path, bytes);
    let built = site.build().fails();
    let stderr = built.stderr();
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in:\n{stderr}"
    );
    assert_eq!(
        crate::common::snapshot(&built.public),
        before,
        "the previous output is untouched"
    );
}

#[test]
fn malformed_yaml() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: [unclosed\ndate: 2023-01-01\n---\n",
        "content/briefings/bad.md:3:",
    );
}

#[test]
fn missing_title_and_date() {
    let site_text = b"---\nrockets: [H3]\n---\nText.\n";
    assert_bad_input(
        "content/briefings/bad.md",
        site_text,
        "content/briefings/bad.md:1:1: error: missing `title`",
    );
    assert_bad_input(
        "content/briefings/bad.md",
        site_text,
        "content/briefings/bad.md:1:1: error: missing `date`",
    );
}

#[test]
fn unknown_key_with_suggestion() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\nrocket: [H3]\n---\n",
        "content/briefings/bad.md:4:1: error: unknown key `rocket`",
    );
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\nrocket: [H3]\n---\n",
        "did you mean `rockets`?",
    );
}

#[test]
fn bad_date() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 24/08/2023\n---\n",
        "content/briefings/bad.md:3:7: error: `24/08/2023` is not a date",
    );
}

#[test]
fn bad_outcome() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\noutcome: exploded\n---\n",
        "content/briefings/bad.md:4:10: error: `exploded` is not an outcome: use one of success, failure, partial, scheduled, unknown",
    );
}

#[test]
fn wrong_type() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\ndraft: often\n---\n",
        "content/briefings/bad.md:4:8: error: `draft` must be true or false, not `often`",
    );
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\nrockets: {name: H3}\n---\n",
        "`rockets` must be a name or a list of names",
    );
}

#[test]
fn no_or_unclosed_front_matter() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"title: x\n",
        "content/briefings/bad.md:1:1: error: no front matter",
    );
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\n",
        "error: the front matter is not closed",
    );
}

#[test]
fn non_utf8() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: caf\xe9\ndate: 2023-01-01\n---\n",
        "content/briefings/bad.md:2:11: error: the file is not valid UTF-8",
    );
}

#[test]
fn empty_file() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"",
        "content/briefings/bad.md:1:1: error: the file is empty",
    );
}

#[test]
fn broken_link() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\n---\nIntro.\n\nSee [this](nowhere.md).\n",
        "content/briefings/bad.md:7:5: error: the link `nowhere.md` points nowhere",
    );
}

#[test]
fn slug_escape() {
    assert_bad_input(
        "content/briefings/bad.md",
        b"---\ntitle: x\ndate: 2023-01-01\nslug: ../../etc\n---\n",
        "content/briefings/bad.md:4:7: error: the slug `../../etc` contains `/`",
    );
}

#[test]
fn duplicate_slug() {
    assert_bad_input(
        "content/briefings/other/2023-05-31-first.md",
        b"---\ntitle: x\ndate: 2023-01-01\n---\n",
        "is also used by content/briefings/",
    );
}

#[test]
fn every_error_of_a_build_is_reported() {
    let site = sample()
        .file("content/briefings/a.md", "---\ntitle: x\ndate: nope\n---\n")
        .file(
            "content/briefings/b.md",
            "---\ntitle: y\ndate: 2023-01-01\noutcome: won\n---\n",
        );
    let stderr = site.build().fails().stderr();
    assert!(stderr.contains("content/briefings/a.md:3:7"), "{stderr}");
    assert!(stderr.contains("content/briefings/b.md:4:10"), "{stderr}");
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn links_to_drafts_say_so() {
    let site = sample()
        .briefing(
            "2024-03-01-draft",
            "title: Not yet\ndate: 2024-03-01\ndraft: true",
            "Draft.",
        )
        .briefing(
            "2024-03-02-pub",
            "title: Published\ndate: 2024-03-02",
            "See [draft](2024-03-01-draft.md).",
        );
    let stderr = site.build().fails().stderr();
    assert!(stderr.contains("points to a draft"), "{stderr}");
    site.build_with(&["--drafts"]).ok();
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = sample()
        .file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p>Lost in orbit</p>{% endblock main %}",
        )
        .file(
            "static/images/pad.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .file("static/style.css", "body { color: black; }");
    let built = site.build().ok();
    assert!(built.page("/404.html").contains("Lost in orbit"));
    assert!(built.public.join("images/pad.svg").is_file());
    assert_eq!(
        std::fs::read_to_string(built.public.join("style.css")).unwrap(),
        "body { color: black; }"
    );
}

#[test]
fn a_broken_template_fails_the_build_and_keeps_the_output() {
    let site = sample();
    let before = crate::common::snapshot(&site.build().ok().public);
    let site = site.file("templates/briefing.html", "{% extends \"base.html\" %}{% block main %}{{ briefing.title | nosuchfilter }}{% endblock main %}");
    let built = site.build().fails();
    assert!(
        built.stderr().contains("templates/briefing.html"),
        "{}",
        built.stderr()
    );
    assert!(
        built.stderr().contains("nosuchfilter"),
        "{}",
        built.stderr()
    );
    assert_eq!(crate::common::snapshot(&built.public), before);
}

#[test]
fn a_runaway_template_loop_fails_the_build_naming_the_template() {
    let site = sample();
    let before = crate::common::snapshot(&site.build().ok().public);
    let chunk = "runaway ".repeat(128);
    let site = site.file(
        "templates/briefing.html",
        &format!("{{% for i in range(end=100000) %}}{{% for j in range(end=100000) %}}{chunk}{{% endfor %}}{{% endfor %}}"),
    );
    let built = site.build().fails();
    assert!(
        built
            .stderr()
            .contains("templates/briefing.html:1:1: error: the template `briefing.html` wrote more than 64 MB for one page"),
        "{}",
        built.stderr()
    );
    assert_eq!(crate::common::snapshot(&built.public), before);
}

#[test]
fn an_unknown_theme_suggests_the_installed_ones() {
    let site = sample().file("site.yaml", "theme: defualt\n");
    let stderr = site.build().fails().stderr();
    assert!(
        stderr.contains("the theme `defualt` does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `default`?"), "{stderr}");
}

#[test]
fn config_errors_are_located_in_site_yaml() {
    let site = sample().file("site.yaml", "title: Mine\npaginat: 5\n");
    let stderr = site.build().fails().stderr();
    assert!(
        stderr.contains("site.yaml:2:1: error: unknown key `paginat`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `paginate`?"), "{stderr}");
}

#[test]
fn a_missing_root_is_a_usage_error() {
    let site = TestSite::new();
    let missing = site.root().join("nowhere");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(["build", "--root"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a folder"));
    assert!(!missing.exists(), "nothing is created");
}
