//! The preview's incremental rebuilds give, after every kind of change, exactly the site a
//! build from scratch gives: same files, same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use apogee::build::{self, BuildOptions};
use apogee::serve::rebuild::{Rebuilder, Rebuilt};
use apogee::serve::snapshot::Snapshot;
use apogee::serve::watch::Changes;

use crate::common::TestSite;

fn briefing(title: &str, date: &str, rockets: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nrockets: [{rockets}]\ncountries: [Japan, United States]\n---\n{body}\n"
    )
}

/// The fixture of the preview: five briefings of two rockets, two per home page.
fn preview_site() -> TestSite {
    let mut site = TestSite::new()
        .file("site.yaml", "title: Test archive\npaginate: 2\n")
        .file(
            "content/rockets/h3.md",
            "---\nname: H3\ncountry: Japan\n---\nJapan's launcher.\n",
        );
    for (n, rocket) in [
        (1, "H3"),
        (2, "H3"),
        (3, "Falcon 9"),
        (4, "H3"),
        (5, "Falcon 9"),
    ] {
        let body = format!("## Flight\n\nFlight {n} went well.\n\nSee [the first](b1.md).");
        site = site.file(
            &format!("content/briefings/b{n}.md"),
            &briefing(
                &format!("Flight {n}"),
                &format!("2024-0{n}-01"),
                rocket,
                &body,
            ),
        );
    }
    site
}

/// What the preview builds `site` with: the site's in-process options at the local address.
fn preview_options(site: &TestSite) -> BuildOptions {
    let mut options = site.options();
    options.base_url = Some("http://127.0.0.1:1111/".into());
    options
}

/// Every file of `site` built from scratch, the oracle of every rebuild.
fn built_from_scratch(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let rendered = build::prepare(&preview_options(site)).expect("the site builds");
    files(&Snapshot::from_rendered(&rendered))
}

fn files(snapshot: &Snapshot) -> BTreeMap<String, Vec<u8>> {
    snapshot
        .files()
        .map(|(path, file)| (path.to_owned(), file.bytes.to_vec()))
        .collect()
}

fn changes(paths: &[&str]) -> Changes {
    Changes {
        paths: paths.iter().map(PathBuf::from).collect(),
        rescan: false,
    }
}

fn built(outcome: Rebuilt) -> (BTreeMap<String, Vec<u8>>, usize) {
    match outcome {
        Rebuilt::Built {
            snapshot, rendered, ..
        } => (files(&snapshot), rendered),
        Rebuilt::Failed(diagnostics) => panic!("build failed: {diagnostics:?}"),
        Rebuilt::Cancelled => panic!("nothing cancelled this rebuild"),
    }
}

fn assert_same(
    incremental: &BTreeMap<String, Vec<u8>>,
    scratch: &BTreeMap<String, Vec<u8>>,
    step: &str,
) {
    let paths = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(incremental), paths(scratch), "{step}: the same files");
    for (path, bytes) in scratch {
        assert!(
            incremental[path] == *bytes,
            "{step}: {path} differs from a build from scratch"
        );
    }
}

#[test]
fn every_kind_of_change_rebuilds_to_what_a_full_build_gives() {
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    let (first, _) = built(rebuilder.rebuild(None));
    assert_same(&first, &built_from_scratch(&site), "first build");

    type Step<'a> = (&'a str, &'a dyn Fn(&TestSite), &'a [&'a str]);
    let steps: &[Step] = &[
        (
            "body text",
            &|s| {
                s.edit(
                    "content/briefings/b3.md",
                    "[the first](b1.md)",
                    "[the first flight](b1.md)",
                )
            },
            &["content/briefings/b3.md"],
        ),
        (
            "first paragraph",
            &|s| {
                s.edit(
                    "content/briefings/b3.md",
                    "Flight 3 went",
                    "Flight three went",
                )
            },
            &["content/briefings/b3.md"],
        ),
        (
            "title",
            &|s| {
                s.edit(
                    "content/briefings/b2.md",
                    "title: Flight 2",
                    "title: Second flight",
                )
            },
            &["content/briefings/b2.md"],
        ),
        (
            "date reorders",
            &|s| s.edit("content/briefings/b1.md", "2024-01-01", "2024-09-01"),
            &["content/briefings/b1.md"],
        ),
        (
            "rocket",
            &|s| s.edit("content/briefings/b4.md", "[H3]", "[Falcon 9]"),
            &["content/briefings/b4.md"],
        ),
        (
            "new briefing",
            &|s| {
                s.write(
                    "content/briefings/2024/b6.md",
                    &briefing("Flight 6", "2024-06-15", "H3", "New."),
                )
            },
            &["content/briefings/2024/b6.md", "content/briefings/2024"],
        ),
        (
            "term page",
            &|s| {
                s.edit(
                    "content/rockets/h3.md",
                    "Japan's launcher.",
                    "Japan's flagship launcher.",
                )
            },
            &["content/rockets/h3.md"],
        ),
        (
            "outcome (records, lists, related links)",
            &|s| {
                s.edit(
                    "content/briefings/b2.md",
                    "title: Second flight",
                    "outcome: failure\ntitle: Second flight",
                )
            },
            &["content/briefings/b2.md"],
        ),
        (
            "satellite named once",
            &|s| {
                s.edit(
                    "content/briefings/b3.md",
                    "title:",
                    "satellites: [Sat-A]\ntitle:",
                )
            },
            &["content/briefings/b3.md"],
        ),
        (
            "satellite named again elsewhere",
            &|s| {
                s.edit(
                    "content/briefings/b1.md",
                    "title:",
                    "satellites: [Sat-A]\noutcome: success\ntitle:",
                )
            },
            &["content/briefings/b1.md"],
        ),
        (
            "launched_by",
            &|s| {
                s.edit(
                    "content/briefings/b3.md",
                    "title:",
                    "launched_by: United States\noutcome: partial\ntitle:",
                )
            },
            &["content/briefings/b3.md"],
        ),
        (
            "a rocket's country",
            &|s| {
                s.edit(
                    "content/rockets/h3.md",
                    "country: Japan",
                    "country: United States",
                )
            },
            &["content/rockets/h3.md"],
        ),
        (
            // Every body links to b1: their links follow its new address.
            "slug",
            &|s| {
                s.edit(
                    "content/briefings/b1.md",
                    "title:",
                    "slug: first-flight\ntitle:",
                )
            },
            &["content/briefings/b1.md"],
        ),
        (
            "rename",
            &|s| {
                std::fs::rename(
                    s.root().join("content/briefings/b5.md"),
                    s.root().join("content/briefings/b5-renamed.md"),
                )
                .unwrap();
            },
            &["content/briefings/b5.md", "content/briefings/b5-renamed.md"],
        ),
        (
            "draft",
            &|s| s.edit("content/briefings/b4.md", "title:", "draft: true\ntitle:"),
            &["content/briefings/b4.md"],
        ),
        (
            "delete",
            &|s| std::fs::remove_file(s.root().join("content/briefings/2024/b6.md")).unwrap(),
            &["content/briefings/2024/b6.md"],
        ),
        (
            "static file",
            &|s| s.write("static/extra.css", "body { color: black }"),
            &["static/extra.css", "static"],
        ),
        (
            "static file overriding the theme's",
            &|s| s.write("static/style.css", "body { color: navy }"),
            &["static/style.css"],
        ),
        (
            "template",
            &|s| {
                s.write("templates/404.html", "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body>Gone</body></html>")
            },
            &["templates/404.html", "templates"],
        ),
        (
            "site.yaml",
            &|s| s.write("site.yaml", "title: Renamed archive\npaginate: 3\n"),
            &["site.yaml"],
        ),
    ];
    for (step, change, paths) in steps {
        change(&site);
        let (incremental, _) = built(rebuilder.rebuild(Some(&changes(paths))));
        assert_same(&incremental, &built_from_scratch(&site), step);
    }
}

#[test]
fn an_edit_of_the_text_renders_only_its_page() {
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));
    // The last paragraph: the first is the summary that lists show.
    site.edit(
        "content/briefings/b3.md",
        "[the first](b1.md)",
        "[the first flight](b1.md)",
    );
    let (_, rendered) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b3.md"]))));
    assert_eq!(rendered, 1, "only the briefing's own page");
}

#[test]
fn a_broken_file_fails_then_its_fix_rebuilds_to_the_full_build() {
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));
    let change = changes(&["content/briefings/b2.md"]);

    site.edit("content/briefings/b2.md", "2024-02-01", "2024-02-31");
    let Rebuilt::Failed(diagnostics) = rebuilder.rebuild(Some(&change)) else {
        panic!("a bad date fails")
    };
    let error = diagnostics
        .iter()
        .find(|d| d.severity == apogee::diagnostic::Severity::Error)
        .expect("an error");
    assert_eq!(error.location.path, Path::new("content/briefings/b2.md"));
    // Another file's edit does not hide the broken one.
    site.edit("content/briefings/b3.md", "went well", "went fine");
    let Rebuilt::Failed(_) = rebuilder.rebuild(Some(&changes(&["content/briefings/b3.md"]))) else {
        panic!("still broken")
    };

    site.edit("content/briefings/b2.md", "2024-02-31", "2024-02-28");
    let (fixed, _) = built(rebuilder.rebuild(Some(&change)));
    assert_same(&fixed, &built_from_scratch(&site), "after the fix");

    site.edit(
        "content/briefings/b1.md",
        "[the first](b1.md)",
        "[gone](nowhere.md)",
    );
    let Rebuilt::Failed(diagnostics) =
        rebuilder.rebuild(Some(&changes(&["content/briefings/b1.md"])))
    else {
        panic!("a broken link fails")
    };
    assert!(
        diagnostics
            .iter()
            .any(|d| d.to_string().contains("nowhere.md"))
    );
    site.edit(
        "content/briefings/b1.md",
        "[gone](nowhere.md)",
        "[the first](b1.md)",
    );
    let (fixed, _) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b1.md"]))));
    assert_same(&fixed, &built_from_scratch(&site), "after fixing the link");

    site.edit("content/briefings/b3.md", "title:", "slug: b2\ntitle:");
    let Rebuilt::Failed(diagnostics) =
        rebuilder.rebuild(Some(&changes(&["content/briefings/b3.md"])))
    else {
        panic!("a duplicate slug fails")
    };
    assert!(diagnostics.iter().any(|d| d.to_string().contains("b2")));
    // An unrelated edit does not hide the duplicate.
    site.edit("content/briefings/b1.md", "went well", "went fine");
    let Rebuilt::Failed(_) = rebuilder.rebuild(Some(&changes(&["content/briefings/b1.md"]))) else {
        panic!("still a duplicate")
    };
    site.edit("content/briefings/b3.md", "slug: b2\n", "");
    let (fixed, _) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b3.md"]))));
    assert_same(
        &fixed,
        &built_from_scratch(&site),
        "after fixing the duplicate",
    );
}

#[test]
fn a_site_template_printing_any_field_is_rendered_again_when_that_field_changes() {
    // The rockets list of this site prints each rocket's next flight: the default theme does
    // not, so nothing but what the template really gets can tell the preview to remake it.
    let site = preview_site();
    site.write(
        "templates/term_list.html",
        "{% for t in terms %}{{ t.name }}: {% if t.record.next_flight %}{{ t.record.next_flight.title }}{% endif %};{% endfor %}\n",
    );
    site.write(
        "content/briefings/b6.md",
        &briefing("Flight 6 planned", "2025-06-01", "H3", "Planned."),
    );
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));

    site.edit(
        "content/briefings/b6.md",
        "Flight 6 planned",
        "Flight 6 delayed",
    );
    let (after, _) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b6.md"]))));
    let list = String::from_utf8(after["rockets/index.html"].clone()).unwrap();
    assert!(list.contains("H3: Flight 6 delayed;"), "{list}");
    assert_same(&after, &built_from_scratch(&site), "after the rename");
}

#[test]
fn a_renamed_briefing_reaches_the_pages_that_show_it_as_a_part() {
    // Its neighbours show it as their previous or next briefing, and its own page takes its
    // card and JSON-LD as prints shared with other pages: all must be made again.
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));
    site.edit("content/briefings/b3.md", "Flight 3", "Flight 3 renamed");
    let (after, _) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b3.md"]))));
    for neighbour in ["briefings/b2/index.html", "briefings/b4/index.html"] {
        let page = String::from_utf8(after[neighbour].clone()).unwrap();
        assert!(page.contains("Flight 3 renamed"), "{neighbour}: {page}");
    }
    let own = String::from_utf8(after["briefings/b3/index.html"].clone()).unwrap();
    assert!(own.contains("\"headline\":\"Flight 3 renamed\""), "{own}");
    assert_same(&after, &built_from_scratch(&site), "after the rename");
}

#[test]
fn a_page_whose_view_is_unchanged_is_not_rendered_again() {
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));
    // A tag shows on the briefing's page and its tag page, not on the rocket pages.
    site.edit(
        "content/briefings/b5.md",
        "rockets: [Falcon 9]",
        "rockets: [Falcon 9]\ntags: [rideshare]",
    );
    let (after, rendered) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b5.md"]))));
    assert_same(&after, &built_from_scratch(&site), "after the tag");
    let total = after.keys().filter(|path| path.ends_with(".html")).count();
    assert!(
        rendered < total / 2,
        "{rendered} of {total} pages rendered again"
    );
}

#[test]
fn a_static_file_edit_swaps_the_file_and_renders_no_page() {
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));
    site.write("static/extra.css", "body { color: black }");
    let (after, rendered) = built(rebuilder.rebuild(Some(&changes(&["static/extra.css"]))));
    assert_eq!(rendered, 0, "no page's template sees a static file");
    assert_same(
        &after,
        &built_from_scratch(&site),
        "after a new static file",
    );
    site.write("static/extra.css", "body { color: navy }");
    let (after, rendered) = built(rebuilder.rebuild(Some(&changes(&["static/extra.css"]))));
    assert_eq!(rendered, 0);
    assert_eq!(after["extra.css"], b"body { color: navy }");
    assert_same(
        &after,
        &built_from_scratch(&site),
        "after an edited static file",
    );
}

#[test]
fn a_cancelled_rebuild_is_built_again_with_the_next_batch() {
    let site = preview_site();
    let mut rebuilder = Rebuilder::on_day(preview_options(&site));
    built(rebuilder.rebuild(None));
    let cancel = rebuilder.cancel_token();

    site.edit("content/briefings/b2.md", "Flight 2", "Flight two");
    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    let outcome = rebuilder.rebuild(Some(&changes(&["content/briefings/b2.md"])));
    assert!(matches!(outcome, Rebuilt::Cancelled));

    // A newer save: the serving loop rebuilds with both batches, the flag cleared.
    site.edit("content/briefings/b4.md", "went well", "went fine");
    cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    let both = changes(&["content/briefings/b2.md", "content/briefings/b4.md"]);
    let (after, _) = built(rebuilder.rebuild(Some(&both)));
    assert_same(
        &after,
        &built_from_scratch(&site),
        "after the cancelled rebuild",
    );
}

mod random_edits {
    //! Random sequences of saves: after each, the preview holds exactly what a build from
    //! scratch of the same files gives, or both fail.

    use proptest::prelude::*;

    use super::{
        Rebuilder, Rebuilt, TestSite, assert_same, changes, files, preview_options, preview_site,
    };

    /// One briefing as the writer left it.
    #[derive(Debug, Clone)]
    struct Briefing {
        exists: bool,
        title: u8,
        month: u8,
        rocket: u8,
        outcome: u8,
        draft: bool,
        body: u8,
        summary: u8,
        broken: bool,
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Title(usize, u8),
        Month(usize, u8),
        Rocket(usize, u8),
        Outcome(usize, u8),
        Draft(usize, bool),
        Body(usize, u8),
        Summary(usize, u8),
        Exists(usize, bool),
        Broken(usize, bool),
        RocketCountry(bool),
        ListTemplate(bool),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        let n = 0usize..5;
        prop_oneof![
            (n.clone(), 0u8..3).prop_map(|(n, v)| Edit::Title(n, v)),
            (n.clone(), 1u8..10).prop_map(|(n, v)| Edit::Month(n, v)),
            (n.clone(), 0u8..3).prop_map(|(n, v)| Edit::Rocket(n, v)),
            (n.clone(), 0u8..4).prop_map(|(n, v)| Edit::Outcome(n, v)),
            (n.clone(), any::<bool>()).prop_map(|(n, v)| Edit::Draft(n, v)),
            (n.clone(), 0u8..3).prop_map(|(n, v)| Edit::Body(n, v)),
            (n.clone(), 0u8..2).prop_map(|(n, v)| Edit::Summary(n, v)),
            (n.clone(), any::<bool>()).prop_map(|(n, v)| Edit::Exists(n, v)),
            (n, any::<bool>()).prop_map(|(n, v)| Edit::Broken(n, v)),
            any::<bool>().prop_map(Edit::RocketCountry),
            any::<bool>().prop_map(Edit::ListTemplate),
        ]
    }

    const ROCKETS: [&str; 3] = ["H3", "Falcon 9", "Nuri"];
    const OUTCOMES: [&str; 4] = ["success", "failure", "partial", "scheduled"];

    fn text(n: usize, b: &Briefing) -> String {
        let day = if b.broken { 31 } else { 1 + n };
        format!(
            "---\ntitle: Flight {n} take {}\ndate: 2024-{:02}-{day:02}\nrockets: [{}]\ncountries: [Japan]\noutcome: {}\ndraft: {}\n---\nSummary {}.\n\n## Notes\n\nBody {} of flight {n}; see [the first](b0.md).\n",
            b.title,
            if b.broken { 2 } else { b.month },
            ROCKETS[b.rocket as usize],
            OUTCOMES[b.outcome as usize],
            b.draft,
            b.summary,
            b.body,
        )
    }

    /// Applies `edit` to the files of `site`; returns the paths a watcher would report.
    fn apply(site: &TestSite, state: &mut [Briefing], edit: &Edit) -> Vec<String> {
        let path = |n: usize| format!("content/briefings/b{n}.md");
        let touched = match *edit {
            Edit::Title(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.title = v) as fn(&mut Briefing, u8),
                v,
            ),
            Edit::Month(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.month = v) as fn(&mut Briefing, u8),
                v,
            ),
            Edit::Rocket(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.rocket = v) as fn(&mut Briefing, u8),
                v,
            ),
            Edit::Outcome(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.outcome = v) as fn(&mut Briefing, u8),
                v,
            ),
            Edit::Draft(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.draft = v == 1) as fn(&mut Briefing, u8),
                u8::from(v),
            ),
            Edit::Body(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.body = v) as fn(&mut Briefing, u8),
                v,
            ),
            Edit::Summary(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.summary = v) as fn(&mut Briefing, u8),
                v,
            ),
            Edit::Exists(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.exists = v == 1) as fn(&mut Briefing, u8),
                u8::from(v),
            ),
            Edit::Broken(n, v) => (
                n,
                (|b: &mut Briefing, v: u8| b.broken = v == 1) as fn(&mut Briefing, u8),
                u8::from(v),
            ),
            Edit::RocketCountry(us) => {
                let country = if us { "United States" } else { "Japan" };
                site.write(
                    "content/rockets/h3.md",
                    &format!("---\nname: H3\ncountry: {country}\n---\nA launcher.\n"),
                );
                return vec!["content/rockets/h3.md".into()];
            }
            Edit::ListTemplate(on) => {
                let path = site.root().join("templates/term_list.html");
                if on {
                    site.write(
                        "templates/term_list.html",
                        "{% for t in terms %}{{ t.name }} {{ t.record.flights }} {% if t.record.next_flight %}{{ t.record.next_flight.title }}{% endif %};{% endfor %}\n",
                    );
                } else if path.exists() {
                    std::fs::remove_file(path).unwrap();
                }
                return vec!["templates/term_list.html".into()];
            }
        };
        let (n, set, value) = touched;
        set(&mut state[n], value);
        let file = site.root().join(path(n));
        if state[n].exists {
            site.write(&path(n), &text(n, &state[n]));
        } else if file.exists() {
            std::fs::remove_file(file).unwrap();
        }
        vec![path(n)]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn the_preview_always_equals_a_build_from_scratch(edits in prop::collection::vec(edit(), 1..6)) {
            let site = preview_site();
            let mut state: Vec<Briefing> = (0..5)
                .map(|n| Briefing {
                    exists: true, title: 0, month: 1 + n as u8, rocket: (n % 3) as u8,
                    outcome: 0, draft: false, body: 0, summary: 0, broken: false,
                })
                .collect();
            // preview_site() wrote b1..b5; these five briefings replace them.
            for old in 1..=5 {
                std::fs::remove_file(site.root().join(format!("content/briefings/b{old}.md"))).unwrap();
            }
            for (n, briefing) in state.iter().enumerate() {
                site.write(&format!("content/briefings/b{n}.md"), &text(n, briefing));
            }
            let mut rebuilder = Rebuilder::on_day(preview_options(&site));
            let _ = rebuilder.rebuild(None);
            for edit in &edits {
                let paths = apply(&site, &mut state, edit);
                let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                let incremental = rebuilder.rebuild(Some(&changes(&paths)));
                let scratch = apogee::build::prepare(&preview_options(&site));
                match (incremental, scratch) {
                    (Rebuilt::Built { snapshot, .. }, Ok(rendered)) => {
                        let scratch = files(&apogee::serve::snapshot::Snapshot::from_rendered(&rendered));
                        assert_same(&files(&snapshot), &scratch, &format!("{edit:?}"));
                    }
                    (Rebuilt::Failed(_), Err(_)) => {}
                    (Rebuilt::Built { .. }, Err(rejected)) => {
                        prop_assert!(false, "{edit:?}: the preview built, a build fails: {:?}", rejected.diagnostics)
                    }
                    (Rebuilt::Failed(diagnostics), Ok(_)) => {
                        prop_assert!(false, "{edit:?}: the preview failed, a build does not: {diagnostics:?}")
                    }
                    (Rebuilt::Cancelled, _) => prop_assert!(false, "nothing cancels"),
                }
            }
        }
    }
}
