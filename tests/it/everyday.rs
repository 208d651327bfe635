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
    for stage in ["read and parse", "index", "render", "publish", "write"] {
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
