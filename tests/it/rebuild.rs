//! The preview's incremental rebuilds give, after every kind of change, exactly the site a
//! build from scratch gives: same files, same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use apogee::build::{self, BuildOptions};
use apogee::serve::rebuild::{Rebuilder, Rebuilt};
use apogee::serve::snapshot::Snapshot;
use apogee::serve::watch::Changes;

fn briefing(title: &str, date: &str, rockets: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nrockets: [{rockets}]\ncountries: [Japan, United States]\n---\n{body}\n"
    )
}

struct Site {
    dir: tempfile::TempDir,
    options: BuildOptions,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let mut options = BuildOptions::new(dir.path());
        options.base_url = Some("http://127.0.0.1:1111/".into());
        options.today = jiff::civil::date(2025, 1, 1);
        let site = Site { dir, options };
        site.write("site.yaml", "title: Test archive\npaginate: 2\n");
        site.write(
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
            site.write(
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

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn edit(&self, path: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.dir.path().join(path)).unwrap();
        assert!(text.contains(from), "{path} has {from}");
        self.write(path, &text.replacen(from, to, 1));
    }

    fn built_from_scratch(&self) -> BTreeMap<String, Vec<u8>> {
        let rendered = build::prepare(&self.options).expect("the site builds");
        files(&Snapshot::from_rendered(&rendered))
    }
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
    let site = Site::new();
    let mut rebuilder = Rebuilder::on_day(site.options.clone());
    let (first, _) = built(rebuilder.rebuild(None));
    assert_same(&first, &site.built_from_scratch(), "first build");

    type Step<'a> = (&'a str, &'a dyn Fn(&Site), &'a [&'a str]);
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
            "rename",
            &|s| {
                std::fs::rename(
                    s.dir.path().join("content/briefings/b5.md"),
                    s.dir.path().join("content/briefings/b5-renamed.md"),
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
            &|s| std::fs::remove_file(s.dir.path().join("content/briefings/2024/b6.md")).unwrap(),
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
        assert_same(&incremental, &site.built_from_scratch(), step);
    }
}

#[test]
fn an_edit_of_the_text_renders_only_its_page() {
    let site = Site::new();
    let mut rebuilder = Rebuilder::on_day(site.options.clone());
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
    let site = Site::new();
    let mut rebuilder = Rebuilder::on_day(site.options.clone());
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
    assert_same(&fixed, &site.built_from_scratch(), "after the fix");

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
    assert_same(&fixed, &site.built_from_scratch(), "after fixing the link");

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
        &site.built_from_scratch(),
        "after fixing the duplicate",
    );
}

#[test]
fn a_site_template_printing_any_field_is_rendered_again_when_that_field_changes() {
    // The rockets list of this site prints each rocket's next flight: the default theme does
    // not, so nothing but what the template really gets can tell the preview to remake it.
    let site = Site::new();
    site.write(
        "templates/term_list.html",
        "{% for t in terms %}{{ t.name }}: {% if t.record.next_flight %}{{ t.record.next_flight.title }}{% endif %};{% endfor %}\n",
    );
    site.write(
        "content/briefings/b6.md",
        &briefing("Flight 6 planned", "2025-06-01", "H3", "Planned."),
    );
    let mut rebuilder = Rebuilder::on_day(site.options.clone());
    built(rebuilder.rebuild(None));

    site.edit(
        "content/briefings/b6.md",
        "Flight 6 planned",
        "Flight 6 delayed",
    );
    let (after, _) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b6.md"]))));
    let list = String::from_utf8(after["rockets/index.html"].clone()).unwrap();
    assert!(list.contains("H3: Flight 6 delayed;"), "{list}");
    assert_same(&after, &site.built_from_scratch(), "after the rename");
}

#[test]
fn a_page_whose_view_is_unchanged_is_not_rendered_again() {
    let site = Site::new();
    let mut rebuilder = Rebuilder::on_day(site.options.clone());
    built(rebuilder.rebuild(None));
    // A tag shows on the briefing's page and its tag page, not on the rocket pages.
    site.edit(
        "content/briefings/b5.md",
        "rockets: [Falcon 9]",
        "rockets: [Falcon 9]\ntags: [rideshare]",
    );
    let (after, rendered) = built(rebuilder.rebuild(Some(&changes(&["content/briefings/b5.md"]))));
    assert_same(&after, &site.built_from_scratch(), "after the tag");
    let total = after.keys().filter(|path| path.ends_with(".html")).count();
    assert!(
        rendered < total / 2,
        "{rendered} of {total} pages rendered again"
    );
}

#[test]
fn a_cancelled_rebuild_is_built_again_with_the_next_batch() {
    let site = Site::new();
    let mut rebuilder = Rebuilder::on_day(site.options.clone());
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
        &site.built_from_scratch(),
        "after the cancelled rebuild",
    );
}
