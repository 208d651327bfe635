//! Real content (issue 12): starting a site with `apogee init`, refusing folders that are not
//! sites, and the content kinds beyond briefings.

use std::process::Command;

use crate::common::{TestSite, snapshot};

fn apogee(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_apogee"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("apogee runs")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn init_starts_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let made = apogee(&["init", "archive"], dir.path());
    assert!(made.status.success(), "{}", stderr(&made));
    let root = dir.path().join("archive");
    let gitignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.contains("/public/") && gitignore.contains("/.public.apogee-spare/"));
    let site_yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    for key in ["title:", "base_url:", "paginate:", "taxonomies:", "search:"] {
        assert!(site_yaml.contains(key), "{key} in site.yaml");
    }
    let checked = apogee(&["check", "--strict"], &root);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(stderr(&checked).contains("0 errors, 0 warnings"));
    let built = apogee(&["build"], &root);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = std::fs::read_to_string(
        root.join("public/briefings/2024-02-17-h3-second-flight/index.html"),
    )
    .unwrap();
    assert!(page.contains("H3 reaches orbit"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_touches_nothing() {
    let site = TestSite::new().file("notes/today.txt", "mine");
    let before = snapshot(site.root());
    let refused = apogee(&["init", "."], site.root());
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("is not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(snapshot(site.root()), before);
}

#[test]
fn a_folder_that_is_not_a_site_is_refused_with_a_pointer_to_init() {
    let site = TestSite::new().file("notes.txt", "not a site");
    for command in ["build", "check", "serve"] {
        let output = site.run(&[command]);
        assert_eq!(output.status.code(), Some(2), "{command}");
        let text = stderr(&output);
        assert!(text.contains("is not an apogee site"), "{command}: {text}");
        assert!(text.contains("apogee init"), "{command}: {text}");
    }
    assert!(!site.root().join("public").exists());
}

#[test]
fn a_misnamed_configuration_gets_a_did_you_mean() {
    let site = TestSite::new().file("site.yml", "title: Mine\n");
    let output = site.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains("site.yml:1:1: error: apogee reads its settings from site.yaml"),
        "{text}"
    );
    assert!(text.contains("did you mean site.yaml?"), "{text}");
    let zola = TestSite::new()
        .file("config.toml", "title = \"x\"\n")
        .briefing("a", "title: A\ndate: 2023-01-01", "Text.");
    assert!(stderr(&zola.run(&["check"])).contains("not from config.toml"));
}

#[test]
fn markdown_outside_the_folders_apogee_reads_is_a_warning_naming_them() {
    let site = TestSite::new()
        .briefing("a", "title: A\ndate: 2023-01-01\noutcome: success", "Text.")
        .file("content/about.md", "---\ntitle: About\n---\n")
        .file("content/rockets/old/h3.md", "---\nname: H3\n---\n");
    let text = stderr(&site.run(&["check"]));
    for path in ["content/about.md", "content/rockets/old/h3.md"] {
        assert!(
            text.contains(&format!(
                "{path}:1:1: warning: apogee does not read this file"
            )),
            "{path}: {text}"
        );
    }
    assert!(text.contains("content/briefings/, "), "{text}");
}
