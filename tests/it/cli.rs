//! Transcripts of `apogee check` and `apogee new` on small sites in temporary folders: the
//! exact text writers see, exit codes, the JSON editors read, and proof that `check` writes
//! nothing and `new` never overwrites.

use std::path::PathBuf;
use std::process::Output;

use crate::common::TestSite as Site;

/// What a command printed, as text.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("UTF-8 output"),
            stderr: String::from_utf8(output.stderr).expect("UTF-8 output"),
        }
    }
}

impl Run {
    fn stderr_contains(&self, text: &str) {
        assert!(
            self.stderr.contains(text),
            "no `{text}` in:\n{}",
            self.stderr
        );
    }

    fn stderr_starts_with(&self, text: &str) {
        assert!(
            self.stderr.starts_with(text),
            "not starting with `{text}`:\n{}",
            self.stderr
        );
    }

    fn stderr_ends_with(&self, text: &str) {
        assert!(
            self.stderr.ends_with(text),
            "not ending with `{text}`:\n{}",
            self.stderr
        );
    }
}

fn apogee(site: &Site, args: &[&str]) -> Run {
    site.run(args).into()
}

/// Every file and folder under the root, with the bytes of files.
fn tree(site: &Site) -> (Vec<PathBuf>, std::collections::BTreeMap<PathBuf, Vec<u8>>) {
    let folders = walkdir::WalkDir::new(site.root())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_dir())
        .map(|entry| entry.into_path())
        .collect();
    (folders, crate::common::snapshot(site.root()))
}

/// Term pages that make `Chollima-1`, `North Korea` and `Japan` known.
fn known_terms() -> Site {
    Site::new()
        .file(
            "content/rockets/chollima-1.md",
            "---\nname: Chollima-1\naliases: [Chollima 1]\ncountry: North Korea\n---\nA rocket.\n",
        )
        .file(
            "content/countries/north-korea.md",
            "---\nname: North Korea\naliases: [DPRK]\n---\n",
        )
        .file("content/countries/japan.md", "---\nname: Japan\n---\n")
}

/// A site that builds, with one of each warning.
fn site_with_warnings() -> Site {
    known_terms()
        .file("content/rockets/nuri.md", "---\nname: Nuri\n---\nA rocket.\n")
        .file(
            "content/briefings/2023-08-24-second.md",
            "---\ntitle: Second launch fails\ndate: 2023-08-24\nrockets: [Chollima-l]\ncountries: [Noth Korea, Japan]\nsources:\n  - title: KCNA\n    url: kcna.kp/statement\n---\nBody.\n",
        )
        .file(
            "content/briefings/2023-08-24-second-again.md",
            "---\ntitle: Second launch fails\ndate: 2023-08-24\nrockets: [Chollima-1]\ncountries: [North Korea]\noutcome: failure\n---\nBody.\n",
        )
}

/// A site that does not build.
fn site_with_errors() -> Site {
    known_terms()
        .file(
            "content/briefings/a.md",
            "---\ntitle: Typo\ndate: 2023-02-30\nrocket: [Chollima-1]\n---\n",
        )
        .file(
            "content/briefings/b.md",
            "---\ntitle: Bad outcome\ndate: 2023-08-24\noutcome: sucess  # oops\n---\n",
        )
}

#[test]
fn check_prints_every_warning_located_with_help_and_exits_0() {
    let run = apogee(&site_with_warnings(), &["check"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout, "");
    let expected = "\
content/briefings/2023-08-24-second-again.md:7:1: warning: this briefing cites no `sources`
  |
7 | ---
  | ^^^
  help: add `sources:` above this line, with `- title: <publisher>` and `url: https://...`

content/briefings/2023-08-24-second.md:2:8: warning: content/briefings/2023-08-24-second-again.md has the same title and date
  |
2 | title: Second launch fails
  |        ^^^^^^^^^^^^^^^^^^^
  help: merge the two, or change one title so that readers can tell them apart

content/briefings/2023-08-24-second.md:3:7: warning: no `outcome`, though the launch date has passed
  |
3 | date: 2023-08-24
  |       ^^^^^^^^^^
  help: add `outcome:` success, failure, partial or unknown

content/briefings/2023-08-24-second.md:4:11: warning: `Chollima-l` is a new rocket, but close to the known `Chollima-1`
  |
4 | rockets: [Chollima-l]
  |           ^^^^^^^^^^
  help: did you mean `Chollima-1`? If `Chollima-l` is another rocket, give it a page: content/rockets/chollima-l.md

content/briefings/2023-08-24-second.md:5:13: warning: `Noth Korea` is a new country, but close to the known `North Korea`
  |
5 | countries: [Noth Korea, Japan]
  |             ^^^^^^^^^^
  help: did you mean `North Korea`? If `Noth Korea` is another country, give it a page: content/countries/noth-korea.md

content/briefings/2023-08-24-second.md:8:10: warning: the source URL `kcna.kp/statement` is not a web address
  |
8 |     url: kcna.kp/statement
  |          ^^^^^^^^^^^^^^^^^
  help: write the full address, starting with https://

content/rockets/nuri.md:2:7: warning: no briefing uses this rocket
  |
2 | name: Nuri
  |       ^^^^
  help: name it in a briefing's `rockets:`, or delete the page

content/rockets/nuri.md:2:7: warning: this rocket has no `country`: its page cannot link to the country that flies it
  |
2 | name: Nuri
  |       ^^^^
  help: add `country: <name>` to the front matter

0 errors, 8 warnings in 6 files
";
    assert_eq!(run.stderr, expected);
}

#[test]
fn check_reports_every_error_of_every_file_and_exits_1() {
    let run = apogee(&site_with_errors(), &["check"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    let expected = "\
content/briefings/a.md:3:7: error: `2023-02-30` is not a date: write YYYY-MM-DD (2023-08-24) or an RFC 3339 date-time with offset (2023-08-24T06:50:00+09:00)
  |
3 | date: 2023-02-30
  |       ^^^^^^^^^^

content/briefings/a.md:4:1: error: unknown key `rocket`
  |
4 | rocket: [Chollima-1]
  | ^^^^^^
  help: did you mean `rockets`?

content/briefings/b.md:4:10: error: `sucess` is not an outcome: use one of success, failure, partial, scheduled, unknown
  |
4 | outcome: sucess  # oops
  |          ^^^^^^
  help: did you mean `success`?

3 errors, 0 warnings in 5 files
";
    assert_eq!(run.stderr, expected);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let run = apogee(&site_with_warnings(), &["check", "--strict"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    run.stderr_contains("content/rockets/nuri.md:2:7: error: no briefing uses this rocket\n");
    run.stderr_ends_with("8 errors, 0 warnings in 6 files\n");
}

#[test]
fn json_lists_every_diagnostic_for_machines() {
    let run = apogee(&site_with_errors(), &["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stderr, "");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(
        (
            json["errors"].as_u64(),
            json["warnings"].as_u64(),
            json["files_read"].as_u64()
        ),
        (Some(3), Some(0), Some(5))
    );
    let first = &json["diagnostics"][1];
    assert_eq!(first["file"], "content/briefings/a.md");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-key");
    assert_eq!(first["message"], "unknown key `rocket`");
    assert_eq!(first["suggestion"], "did you mean `rockets`?");

    let run = apogee(&site_with_warnings(), &["check", "--format", "json"]);
    assert_eq!(run.code, Some(0));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "no-sources",
            "duplicate-briefing",
            "missing-outcome",
            "near-duplicate-term",
            "near-duplicate-term",
            "source-not-http",
            "unused-term-page",
            "rocket-without-country"
        ]
    );
    assert!(
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["severity"] == "warning")
    );
}

#[test]
fn check_writes_nothing() {
    for site in [site_with_warnings(), site_with_errors()] {
        let site = site.file("public/index.html", "an earlier build");
        let before = tree(&site);
        for args in [&["check"][..], &["check", "--drafts", "--format", "json"]] {
            site.run(args);
        }
        assert_eq!(tree(&site), before);
    }
}

#[test]
fn check_compiles_the_templates_and_locates_their_errors() {
    let site = known_terms()
        .file(
            "content/briefings/a.md",
            "---\ntitle: A\ndate: 2023-08-24\noutcome: success\nsources: [{title: KCNA}]\n---\n",
        )
        .file("templates/briefing.html", "{{ oops \n");
    let run = apogee(&site, &["check"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    // The warnings found before the template failed stay beside its error.
    let expected = "\
templates/briefing.html:1:8: error: template error: Unexpected end of input
  |
1 | {{ oops 
  |        ^

1 error, 2 warnings in 4 files
";
    run.stderr_contains("content/rockets/chollima-1.md:2:7: warning: no briefing uses this rocket");
    run.stderr_ends_with(expected);

    let site = site.file(
        "templates/briefing.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ page.title | shout }}{% endblock main %}\n",
    );
    let run = apogee(&site, &["check"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    run.stderr_contains(
        "templates/briefing.html:2:33: error: template error: Unknown filter `shout`\n  |\n2 | ",
    );
}

#[test]
fn check_sees_drafts_only_when_asked() {
    let site = known_terms().file(
        "content/briefings/draft.md",
        "---\ntitle: Draft\ndate: 2023-08-24\nrockets: [Chollima-1]\ndraft: true\n---\n",
    );
    let run = apogee(&site, &["check"]);
    assert!(!run.stderr.contains("draft.md"), "{}", run.stderr);
    // A term named only by a draft left out is still in use.
    assert!(!run.stderr.contains("chollima-1.md"), "{}", run.stderr);
    run.stderr_ends_with("note: 1 draft not checked for warnings and links (add --drafts)\n");

    let run = apogee(&site, &["check", "--drafts"]);
    run.stderr_contains(
        "content/briefings/draft.md:6:1: warning: this briefing cites no `sources`",
    );
    assert!(!run.stderr.contains("chollima-1.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}

#[test]
fn the_sample_archive_checks_clean() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args([
            "check",
            "--format",
            "json",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
        ])
        .output()
        .expect("apogee runs");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(json["errors"], 0, "{json:#}");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn new_writes_a_draft_with_known_names_normalised() {
    let site = known_terms();
    let run = apogee(
        &site,
        &[
            "new",
            "Second launch: lost in flight",
            "--rocket",
            "chollima 1",
            "--country",
            "DPRK",
            "--country",
            "Japan",
            "--date",
            "2023-08-24",
            "--outcome",
            "Failure",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "");
    let path = site
        .root()
        .join("content/briefings/2023-08-24-second-launch-lost-in-flight.md");
    assert_eq!(run.stdout, format!("{}\n", path.display()));
    let expected = "\
---
title: 'Second launch: lost in flight'
date: 2023-08-24
rockets:
  - Chollima-1
countries:
  - North Korea
  - Japan
satellites: []
launched_by:      # optional: the country that flew it; else its rocket's country
outcome: failure  # success | failure | partial | scheduled | unknown
summary:          # optional: one sentence for lists and feeds; else the first paragraph
tags: []
sources: []       # - title: Agency statement
                  #   url: https://example.org/statement
draft: true
---
";
    assert_eq!(
        std::fs::read_to_string(path).expect("the new file"),
        expected
    );
}

#[test]
fn new_notes_unknown_names_with_a_did_you_mean() {
    let site = known_terms();
    let run = apogee(
        &site,
        &[
            "new",
            "Typo",
            "--rocket",
            "Chollima-l",
            "--date",
            "2023-08-24",
        ],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let expected = "\
content/briefings/2023-08-24-typo.md:5:5: warning: `Chollima-l` is not a known rocket yet: no page in content/rockets/ names it
  |
5 |   - Chollima-l
  |     ^^^^^^^^^^
  help: did you mean `Chollima-1`?

";
    assert_eq!(run.stderr, expected);
    assert!(
        site.read("content/briefings/2023-08-24-typo.md")
            .contains("\n  - Chollima-l\n")
    );
}

#[test]
fn new_refuses_to_overwrite() {
    let site = known_terms();
    assert_eq!(
        apogee(&site, &["new", "Same title", "--date", "2024-01-01"]).code,
        Some(0)
    );
    let path = "content/briefings/2024-01-01-same-title.md";
    let site = site.file(path, "the writer's own words\n");
    let run = apogee(&site, &["new", "Same title", "--date", "2024-01-01"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stdout, "");
    let expected = "\
content/briefings/2024-01-01-same-title.md:1:1: error: content/briefings/2024-01-01-same-title.md already exists: apogee new never overwrites a file
  help: edit that file, or choose another title or --date

";
    assert_eq!(run.stderr, expected);
    assert_eq!(site.read(path), "the writer's own words\n");
}

#[test]
fn new_rejects_bad_flags_as_usage_errors() {
    let site = known_terms();
    let run = apogee(&site, &["new", "X", "--outcome", "sucess"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    run.stderr_contains("'success'");
    let run = apogee(&site, &["new", "X", "--date", "24/08/2023"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    run.stderr_contains("`24/08/2023` is not a date");
    let run = apogee(&site, &["new", "?!"]);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        tree(&site)
            .1
            .keys()
            .all(|path| !path.starts_with("content/briefings"))
    );
}

#[test]
fn a_new_briefing_passes_check_with_drafts() {
    let site = known_terms();
    apogee(
        &site,
        &[
            "new",
            "Third launch reaches orbit",
            "--rocket",
            "Chollima-1",
            "--date",
            "2023-11-21",
        ],
    );
    let run = apogee(&site, &["check", "--drafts", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    // What is left to write is exactly what check asks for.
    assert_eq!(codes, ["missing-outcome", "no-sources", "unused-term-page"]);
}

#[test]
fn new_opens_the_editor_when_asked() {
    let site = known_terms();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(["new", "Edited", "--date", "2024-01-01", "--edit", "--root"])
        .arg(site.root())
        .env_remove("VISUAL")
        .env("EDITOR", "printf 'Written in the editor.\\n' >>")
        .output()
        .expect("apogee runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(
        site.read("content/briefings/2024-01-01-edited.md")
            .ends_with("---\nWritten in the editor.\n")
    );
}

#[test]
fn colour_only_on_request_and_never_with_no_color() {
    let site = site_with_errors();
    let coloured = |env: &[(&str, &str)]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_apogee"))
            .args(["check", "--root"])
            .arg(site.root())
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .envs(env.iter().copied())
            .output()
            .expect("apogee runs");
        String::from_utf8(output.stderr).expect("UTF-8 output")
    };
    // stderr is a pipe here, as in CI: plain text.
    assert!(!coloured(&[]).contains('\u{1b}'));
    let forced = coloured(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains("\u{1b}[1m\u{1b}[31merror:"), "{forced:?}");
    assert!(!coloured(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
}

#[test]
fn build_prints_the_same_diagnostics_and_summary() {
    let site = site_with_warnings();
    // With a host, so that build has no warning of its own about absolute URLs.
    let run = apogee(&site, &["build", "--base-url", "https://example.org/"]);
    assert_eq!(run.code, Some(0), "{run:?}");
    run.stderr_contains("content/rockets/nuri.md:2:7: warning: no briefing uses this rocket\n");
    run.stderr_ends_with("0 errors, 8 warnings in 6 files\n");
    assert!(site.root().join("public/index.html").is_file());

    let run = apogee(&site_with_errors(), &["build"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    run.stderr_starts_with("content/briefings/a.md:3:7: error: `2023-02-30` is not a date");
    run.stderr_ends_with(
        "3 errors, 0 warnings in 5 files\nBuild failed; the previous output was left as it was.\n",
    );
}

#[test]
fn check_and_new_refuse_a_root_that_is_not_a_folder() {
    let site = known_terms();
    let missing = site.root().join("no-such-site");
    for args in [&["check"][..], &["new", "A title"]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_apogee"))
            .args(args)
            .arg("--root")
            .arg(&missing)
            .output()
            .expect("apogee runs");
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        assert!(!missing.exists(), "{args:?} created the root");
    }
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let site = site_with_errors();
    for args in [
        &["check", "--format", "json"][..],
        &["new", "Piped", "--date", "2024-01-01"],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_apogee"))
            .args(args)
            .arg("--root")
            .arg(site.root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("apogee starts");
        // The reader goes away before apogee writes, as with `| head -0`.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("apogee ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn check_reports_the_problems_of_every_stage_in_one_run() {
    // A broken template, a broken link, a link to a stem without `.md`, a broken fragment, a
    // file that does not parse, a bad site.yaml key and a near-miss rocket name: independent
    // problems, all reported by one run, each located.
    let site = known_terms()
        .file("site.yaml", "paginate: ten\n")
        .file("templates/briefing.html", "{{ oops \n")
        .file(
            "content/briefings/a.md",
            "---\ntitle: A\ndate: 2023-08-24\nrockets: [Chollima-l]\noutcome: failure\nsources: [{title: KCNA}]\n---\nSee [the other](nowhere.md).\n\nAnd [C](c), [its notes](c.md#no-such-heading).\n",
        )
        .file(
            "content/briefings/b.md",
            "---\ntitle: B\ndate: 2023-02-30\n---\nBody.\n",
        )
        .file(
            "content/briefings/c.md",
            "---\ntitle: C\ndate: 2023-09-01\nrockets: [Chollima-1]\noutcome: success\nsources: [{title: KCNA}]\n---\nBody.\n",
        );
    let run = apogee(&site, &["check"]);
    assert_eq!(run.code, Some(1), "{run:?}");
    for expected in [
        "site.yaml:1:",
        "templates/briefing.html:1:8: error: template error",
        "content/briefings/a.md:8:5: error:",
        "content/briefings/b.md:3:7: error:",
        "content/briefings/a.md:4:",
        "content/briefings/a.md:10:5: error:",
        "content/briefings/a.md:10:13: error:",
    ] {
        run.stderr_contains(expected);
    }
    assert!(
        run.stderr.contains("did you mean `Chollima-1`?"),
        "{}",
        run.stderr
    );
}
