//! Everyday habits of the command line: shell completions, `--quiet` and `--verbose`, and
//! the short flags shared with Zola.

use std::process::Command;

use crate::common::TestSite as Site;

/// A briefing that builds, with one warning (it cites no sources).
fn site_with_a_warning() -> Site {
    Site::new().briefing(
        "2024-02-17-h3",
        "title: H3 flies\ndate: 2024-02-17\nrockets: [H3]\ncountries: [Japan]\noutcome: success",
        "It flew.",
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = Command::new(env!("CARGO_BIN_EXE_apogee"))
            .args(["completions", shell])
            .output()
            .expect("apogee runs");
        assert!(output.status.success(), "{shell}: {}", text(&output.stderr));
        let script = text(&output.stdout);
        assert!(script.contains("drafts"), "{shell} completes flags");
        assert!(script.contains("serve"), "{shell} completes subcommands");
    }
    let unknown = Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(["completions", "tcsh"])
        .output()
        .expect("apogee runs");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let site = site_with_a_warning();
    let loud = site.build().ok();
    assert!(loud.stderr().contains("warning"), "{}", loud.stderr());

    let quiet = site.build_with(&["--quiet"]).ok();
    assert_eq!(quiet.stderr(), "");
    assert_eq!(text(&quiet.output.stdout), "");
    assert!(quiet.has_page("/briefings/2024-02-17-h3/"));

    let broken = Site::new().briefing("broken", "title: No date", "");
    let failed = broken.build_with(&["-q"]).fails();
    assert!(failed.stderr().contains("error:"), "{}", failed.stderr());

    let check = site.run(&["check", "--quiet"]);
    assert!(check.status.success());
    assert_eq!(text(&check.stderr), "", "warnings are not errors");
}

#[test]
fn verbose_prints_the_time_of_each_stage() {
    let built = site_with_a_warning().build_with(&["--verbose"]).ok();
    let stdout = text(&built.output.stdout);
    for stage in ["read, parse, index and check", "render", "publish", "write"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(" ms  ") && l.contains(stage)),
            "no time for {stage}:\n{stdout}"
        );
    }
    assert!(stdout.contains("Built "), "{stdout}");
}

#[test]
fn short_flags_match_zola() {
    let site = site_with_a_warning();
    let output = Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(["build", "-r"])
        .arg(site.root())
        .args(["-o", "out", "-u", "https://example.org/desk/"])
        .output()
        .expect("apogee runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let home = site.read("out/index.html");
    assert!(
        home.contains("href=\"/desk/briefings/2024-02-17-h3/\""),
        "{home}"
    );
    assert!(home.contains("https://example.org/desk/"), "{home}");
}

/// A briefing with a launch time and three headings, in a site of `language`.
fn briefing_site(language: &str) -> Site {
    Site::new()
        .file("site.yaml", &format!("language: {language}\n"))
        .briefing(
            "2023-11-21-malligyong",
            "title: Malligyong-1 reaches orbit\ndate: 2023-11-21T22:42:00+09:00\nrockets: [Chollima-1]\ncountries: [North Korea]\noutcome: success",
            "The third attempt worked.\n\n## Flight\n\nText.\n\n## Reactions\n\nText.\n\n### In Seoul\n\nText.\n",
        )
        .briefing(
            "2023-08-24-second",
            "title: Second attempt fails\ndate: 2023-08-24\nrockets: [Chollima-1]\ncountries: [North Korea]\noutcome: failure",
            "Lost in flight.\n\n## Flight\n\nText.\n\n## [Sources](https://example.org/)\n\nText.\n",
        )
}

#[test]
fn korean_sites_get_korean_dates_and_strings() {
    let site_built = briefing_site("ko");
    let built = site_built.build().ok();
    let home = built.page("/");
    assert!(home.contains("<html lang=\"ko\">"), "{home}");
    assert!(home.contains("최신 브리핑"), "{home}");
    assert!(!home.contains("Latest briefings"), "{home}");
    assert!(home.contains("2023년 8월 24일"), "{home}");
    let year = built.page("/archive/2023/");
    assert!(year.contains("2023년 11월"), "month headings: {year}");
    let rocket = built.page("/rockets/chollima-1/");
    assert!(rocket.contains("발사 기록"), "{rocket}");
    assert!(rocket.contains("성공"), "{rocket}");
    assert!(
        rocket.contains("<title id=\"timeline-title\">Chollima-1 발사 연대표</title>"),
        "charts speak the language too: {rocket}"
    );
    assert!(!rocket.contains(">Success<"), "{rocket}");
}

#[test]
fn a_site_overrides_any_string_and_typos_are_located() {
    let site = briefing_site("fr").file(
        "site.yaml",
        "language: fr\nstrings:\n  latest_briefings: Les dernières notes du desk\n",
    );
    let home = site.build().ok().page("/");
    assert!(home.contains("Les dernières notes du desk"), "{home}");
    assert!(home.contains("Accueil"), "the other strings stay French");

    let typo = briefing_site("fr").file(
        "site.yaml",
        "language: fr\nstrings:\n  latest_briefing: x\n",
    );
    let failed = typo.build().fails();
    let stderr = failed.stderr();
    assert!(
        stderr.contains("site.yaml:3:3: error: unknown string `latest_briefing`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `latest_briefings`?"),
        "{stderr}"
    );
}

#[test]
fn a_launch_time_is_shown_in_utc_and_marked_so() {
    let site_built = briefing_site("en");
    let built = site_built.build().ok();
    let page = built.page("/briefings/2023-11-21-malligyong/");
    assert!(
        page.contains("<time datetime=\"2023-11-21T13:42:00Z\">21 November 2023, 13:42 UTC</time>"),
        "{page}"
    );
    let day_only = built.page("/briefings/2023-08-24-second/");
    assert!(day_only.contains("<time datetime=\"2023-08-24\">24 August 2023</time>"));
    assert!(!day_only.contains(" UTC<"), "a date alone has no time");

    let site_french = briefing_site("fr");
    let french = site_french.build().ok();
    let page = french.page("/briefings/2023-11-21-malligyong/");
    assert!(page.contains("21 novembre 2023 à 13:42 UTC"), "{page}");
    assert!(page.contains("Sommaire"), "{page}");
}

#[test]
fn briefings_with_three_headings_get_a_table_of_contents() {
    let site_built = briefing_site("en");
    let built = site_built.build().ok();
    let page = built.page("/briefings/2023-11-21-malligyong/");
    let toc = page
        .split("<nav class=\"toc\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .unwrap_or_else(|| panic!("no table of contents in {page}"));
    assert!(toc.contains("<a href=\"#flight\">Flight</a>"), "{toc}");
    assert!(
        toc.contains("<a href=\"#reactions\">Reactions</a>"),
        "{toc}"
    );
    assert!(
        toc.contains("toc__item--3\"><a href=\"#in-seoul\">In Seoul</a>"),
        "{toc}"
    );
    let short = built.page("/briefings/2023-08-24-second/");
    assert!(
        !short.contains("class=\"toc\""),
        "two headings need no contents"
    );
}

#[test]
fn headings_link_to_themselves_unless_they_hold_a_link() {
    let site_built = briefing_site("en");
    let built = site_built.build().ok();
    let page = built.page("/briefings/2023-11-21-malligyong/");
    assert!(
        page.contains(
            "<h2 id=\"reactions\"><a class=\"heading-link\" href=\"#reactions\">Reactions</a></h2>"
        ),
        "{page}"
    );
    let linked = built.page("/briefings/2023-08-24-second/");
    assert!(
        linked.contains("<h2 id=\"sources\"><a href=\"https://example.org/\">Sources</a></h2>"),
        "links do not nest: {linked}"
    );
}

#[test]
fn briefings_link_to_the_older_and_newer_ones() {
    let site_built = briefing_site("en");
    let built = site_built.build().ok();
    let newer = built.page("/briefings/2023-11-21-malligyong/");
    assert!(
        newer.contains("href=\"/briefings/2023-08-24-second/\" rel=\"prev\""),
        "{newer}"
    );
    let older = built.page("/briefings/2023-08-24-second/");
    assert!(
        older.contains("href=\"/briefings/2023-11-21-malligyong/\" rel=\"next\""),
        "{older}"
    );
}

#[test]
fn the_date_filter_formats_in_the_site_language() {
    let site = briefing_site("fr").file(
        "templates/briefing.html",
        "{{ briefing.date.machine | date(format=\"%B %Y\") }}|{{ briefing.date.machine | date }}|{{ briefing.date.machine | date(format=\"%H:%M\", utc=true) }}|{{ t(key=\"briefings_count\", n=2) }}",
    );
    let built = site.build().ok();
    assert_eq!(
        built.page("/briefings/2023-11-21-malligyong/"),
        "novembre 2023|21 novembre 2023|13:42|2 notes"
    );
}

#[test]
fn search_results_show_the_date_rocket_and_country_in_the_site_language() {
    let site = briefing_site("fr");
    let built = site.build().ok();
    let page = built.page("/briefings/2023-11-21-malligyong/");
    for meta in [
        "<span data-pagefind-meta=\"Date\">21 novembre 2023 à 13:42 UTC</span>",
        "<span data-pagefind-meta=\"Lanceur\">Chollima-1</span>",
        "<span data-pagefind-meta=\"Pays\">North Korea</span>",
    ] {
        assert!(page.contains(meta), "no {meta} in {page}");
    }
    assert!(
        page.contains("<span data-pagefind-filter=\"lanceur\">Chollima-1</span>"),
        "filters are named in the site's language: {page}"
    );
}

#[test]
fn printed_pages_show_link_addresses_and_hide_navigation() {
    let site = briefing_site("en");
    let built = site.build().ok();
    let css = std::fs::read_to_string(built.public.join("style.css")).expect("the stylesheet");
    let print = css.split("@media print").nth(1).expect("print styles");
    assert!(
        print.contains("content: \" (\" attr(href) \")\""),
        "{print}"
    );
    assert!(print.contains(".site-nav"), "{print}");
    assert!(print.contains(".toc"), "{print}");
}

#[test]
fn a_build_tells_its_stages_in_order_for_the_progress_display() {
    use apogee::build::{self, BuildOptions, Stage};
    let site = briefing_site("en");
    let (stages, told) = std::sync::mpsc::channel();
    let options = BuildOptions {
        progress: Some(stages),
        search: false,
        ..BuildOptions::new(site.root())
    };
    build::build(&options, &site.root().join("public")).expect("the site builds");
    drop(options);
    let told: Vec<Stage> = told.try_iter().collect();
    // One `Rendered` per page, for the bar, between the start of rendering and publishing.
    let rendered = told.iter().filter(|s| **s == Stage::Rendered).count();
    let stages: Vec<Stage> = told
        .iter()
        .copied()
        .filter(|s| *s != Stage::Rendered)
        .collect();
    assert!(
        matches!(
            stages.as_slice(),
            [Stage::Reading, Stage::Rendering(pages), Stage::Publishing, Stage::Writing] if *pages == rendered && *pages > 3
        ),
        "{told:?}"
    );
    let first = told.iter().position(|s| *s == Stage::Rendered);
    let publishing = told.iter().position(|s| *s == Stage::Publishing);
    assert!(first > Some(1) && first < publishing, "{told:?}");
}

#[test]
fn term_feeds_are_described_in_the_site_language() {
    let site = briefing_site("fr");
    let built = site.build().ok();
    let feed = std::fs::read_to_string(built.public.join("rockets/chollima-1/feed.xml"))
        .expect("the rocket's feed");
    assert!(
        feed.contains("<subtitle>Notes sur Chollima-1 (lanceur).</subtitle>"),
        "{feed}"
    );
}
