//! Validation at the door: input that a file system, a browser or a reader would trip over is
//! refused where it is written, by `check` and `build` alike, with a located message.

use crate::common::TestSite;

fn site() -> TestSite {
    TestSite::new().briefing(
        "good",
        "title: Good\ndate: 2023-01-01\nrockets: [H3]\ncountries: [Japan]\noutcome: success",
        "Text.",
    )
}

/// `check` and `build` both fail, and both print `expected`; the build keeps the old output.
fn refused(site: &TestSite, expected: &str) {
    let check = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "check: {stderr}");
    assert!(
        stderr.contains(expected),
        "check: expected `{expected}` in:\n{stderr}"
    );
    let built = site.build();
    assert!(
        built.stderr().contains(expected),
        "build: expected `{expected}` in:\n{}",
        built.stderr()
    );
    built.fails();
}

#[test]
fn a_slug_too_long_for_a_file_name_is_located() {
    let slug = "a".repeat(256);
    let site = site().briefing(
        "long",
        &format!("title: Long\ndate: 2023-01-01\nslug: {slug}"),
        "x",
    );
    refused(
        &site,
        "content/briefings/long.md:4:7: error: the slug `aaaa",
    );
    refused(&site, "is 256 bytes long");
}

#[test]
fn a_name_too_long_for_a_folder_is_located() {
    let name = "Very long rocket ".repeat(20);
    let site = site().briefing(
        "long",
        &format!("title: Long\ndate: 2023-01-01\nrockets: [{name}]"),
        "x",
    );
    refused(
        &site,
        "content/briefings/long.md:4:11: error: `Very long rocket",
    );
}

#[test]
fn source_urls_must_be_web_or_mail_addresses() {
    // A tab inside the scheme is dropped by browsers: still `javascript:` (located at the key,
    // as the escaped value cannot be found as written).
    for (url, at) in [
        ("javascript:alert(1)", "bad.md:6:10:"),
        ("JavaScript:alert(1)", "bad.md:6:10:"),
        ("data:text/html,x", "bad.md:6:10:"),
        ("\"java\\tscript:alert(1)\"", "bad.md:4:9:"),
    ] {
        let site = site().briefing(
            "bad",
            &format!("title: Bad\ndate: 2023-01-01\nsources:\n  - title: Agency\n    url: {url}"),
            "x",
        );
        refused(
            &site,
            &format!("content/briefings/{at} error: the source URL"),
        );
        refused(&site, "which a page must not link to");
    }
    let fine = site().briefing(
        "fine",
        "title: Fine\ndate: 2023-01-01\noutcome: success\nsources:\n  - title: A\n    url: https://example.org/a\n  - title: B\n    url: mailto:desk@example.org",
        "x",
    );
    let built = fine.build().ok();
    assert!(
        built
            .page("/briefings/fine/")
            .contains("href=\"mailto:desk@example.org\"")
    );
}

#[test]
fn a_protocol_relative_base_url_is_refused() {
    let site = site().file("site.yaml", "title: T\nbase_url: //evil.example/\n");
    refused(
        &site,
        "site.yaml:2:11: error: `base_url` must start with https://, http:// or a single /",
    );
    let built = site.build_with(&["--base-url", "//evil.example/"]);
    assert!(
        built.stderr().contains("another host"),
        "{}",
        built.stderr()
    );
}

#[test]
fn utc_offsets_must_exist() {
    let site = site().briefing("bad", "title: Bad\ndate: 2023-01-01T00:00:00+25:00", "x");
    refused(
        &site,
        "content/briefings/bad.md:3:7: error: `2023-01-01T00:00:00+25:00` has the UTC offset +25",
    );
}

#[test]
fn names_without_a_slug_are_located() {
    let site = site().briefing(
        "bad",
        "title: Bad\ndate: 2023-01-01\nrockets: [\"!!!\"]",
        "x",
    );
    refused(
        &site,
        "content/briefings/bad.md:4:12: error: `!!!` has no usable slug",
    );
}

#[test]
fn the_theme_is_a_folder_name_not_a_path() {
    let site = site().file("site.yaml", "title: T\ntheme: ../../../etc\n");
    refused(
        &site,
        "site.yaml:2:8: error: `theme` must be the name of a folder in themes/, not a path",
    );
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused_everywhere() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\ndate: 2023-01-01\n---\nsecret\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("secret.css"), "secret").unwrap();
    for link in [
        "content/briefings/elsewhere",
        "static/elsewhere",
        "themes/default/static/elsewhere",
    ] {
        let site = site();
        let at = site.root().join(link);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path(), &at).unwrap();
        if link.starts_with("themes") {
            // A theme folder of the site's own: the default theme's templates copied in.
            std::fs::write(site.root().join("site.yaml"), "theme: default\n").unwrap();
        }
        refused(
            &site,
            &format!("{link}:1:1: error: this symlink leads outside the site"),
        );
        assert!(!site.root().join("public/elsewhere").exists());
    }
    // A symlink that stays inside the site is followed.
    let site = site().file("shared/logo.txt", "logo");
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(
        site.root().join("shared"),
        site.root().join("static/shared"),
    )
    .unwrap();
    site.build().ok();
    assert_eq!(site.read("public/shared/logo.txt"), "logo");
}

#[test]
fn a_link_into_a_disabled_taxonomy_says_so() {
    let site = site()
        .file("site.yaml", "taxonomies: [countries]\n")
        .file("content/rockets/x.md", "---\nname: X\n---\nA rocket.\n")
        .briefing(
            "linking",
            "title: L\ndate: 2023-01-01",
            "See [X](@/rockets/x.md).",
        );
    refused(&site, "the taxonomy `rockets` is not enabled in site.yaml");
}
