//! The output folder is apogee's only where apogee wrote: the user's files there survive
//! every build, a folder apogee did not make is refused, and builds into one output take
//! turns.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::TestSite;

fn site(title: &str) -> TestSite {
    TestSite::new().briefing(
        "first",
        &format!("title: {title}\ndate: 2023-05-31\nrockets: [H3]\ncountries: [Japan]"),
        "Body.",
    )
}

#[test]
fn git_and_cname_in_the_output_survive_builds() {
    let site = site("First");
    let public = site.build().ok().public;
    std::fs::create_dir_all(public.join(".git/objects/ab")).unwrap();
    std::fs::write(public.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(public.join(".git/objects/ab/cdef"), "object").unwrap();
    std::fs::create_dir_all(public.join(".git/refs/tags")).unwrap();
    std::fs::write(public.join("CNAME"), "archive.example.org\n").unwrap();
    // Two builds: the first moved them to the spare folder, the second deleted them.
    let site = site.briefing("second", "title: Second\ndate: 2023-06-01", "Two.");
    site.build().ok();
    let site = site.file(
        "content/briefings/second.md",
        "---\ntitle: Renamed\ndate: 2023-06-01\nslug: renamed\n---\nTwo.\n",
    );
    let built = site.build().ok();
    assert_eq!(
        std::fs::read_to_string(public.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
    assert_eq!(
        std::fs::read_to_string(public.join(".git/objects/ab/cdef")).unwrap(),
        "object"
    );
    assert!(public.join(".git/refs/tags").is_dir(), "empty folders too");
    assert_eq!(
        std::fs::read_to_string(public.join("CNAME")).unwrap(),
        "archive.example.org\n"
    );
    assert!(built.has_page("/briefings/renamed/"));
    assert!(
        !built.has_page("/briefings/second/"),
        "apogee's stale pages still go"
    );
}

#[test]
fn a_foreign_folder_is_refused_and_untouched() {
    let site = site("First")
        .file("public/notes.txt", "mine")
        .file("public/old/index.html", "x");
    let before = site.snapshot("public");
    let built = site.build();
    assert_eq!(built.output.status.code(), Some(2), "{}", built.stderr());
    assert!(
        built.stderr().contains("apogee did not make it"),
        "{}",
        built.stderr()
    );
    assert!(built.stderr().contains("--force"), "{}", built.stderr());
    assert_eq!(site.snapshot("public"), before, "untouched");
    assert!(
        !site.root().join(".public.apogee-lock").exists(),
        "nothing left beside it"
    );

    let built = site.build_with(&["--force"]).ok();
    assert!(built.has_page("/briefings/first/"));
    assert_eq!(site.read("public/notes.txt"), "mine", "kept under --force");
    // From now on the folder is apogee's, and the notes still survive.
    site.build().ok();
    site.build().ok();
    assert_eq!(site.read("public/notes.txt"), "mine");
}

#[test]
fn an_empty_folder_is_taken() {
    let site = site("First");
    std::fs::create_dir_all(site.root().join("public")).unwrap();
    assert!(site.build().ok().has_page("/briefings/first/"));
}

#[test]
fn an_existing_file_is_refused_as_output() {
    let site = site("First").file("site.yaml", "title: Mine\n");
    let built = site.build_with(&["--output", "site.yaml"]);
    assert_eq!(built.output.status.code(), Some(2), "{}", built.stderr());
    assert!(
        built.stderr().contains("it is a file, not a folder"),
        "{}",
        built.stderr()
    );
    assert_eq!(site.read("site.yaml"), "title: Mine\n");
}

#[test]
fn a_user_file_where_the_build_now_writes_is_refused() {
    let site = site("First");
    site.build().ok();
    std::fs::write(site.root().join("public/robots-extra.txt"), "mine").unwrap();
    // Two builds: the spare folder now holds a hard link to the user's file, which writing
    // the build's file there in place would change.
    site.build().ok();
    site.build().ok();
    let site = site.file("static/robots-extra.txt", "theirs");
    let built = site.build();
    assert_eq!(built.output.status.code(), Some(2), "{}", built.stderr());
    assert!(
        built.stderr().contains("robots-extra.txt"),
        "{}",
        built.stderr()
    );
    assert_eq!(site.read("public/robots-extra.txt"), "mine");
}

/// The files of `output` are all one site's, and its manifest lists exactly them.
fn assert_one_whole_build(output: &Path) {
    let on_disk: BTreeSet<String> = crate::common::snapshot(output)
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p != ".apogee-manifest")
        .collect();
    let a = on_disk.contains("briefings/from-a/index.html");
    let b = on_disk.contains("briefings/from-b/index.html");
    assert!(a != b, "one site's pages, not both: a {a}, b {b}");
    let home = std::fs::read_to_string(output.join("index.html")).unwrap();
    assert_eq!(
        home.contains("from-a"),
        a,
        "the home page is of the same build"
    );
    let manifest: BTreeSet<String> =
        serde_json::from_str(&std::fs::read_to_string(output.join(".apogee-manifest")).unwrap())
            .unwrap();
    assert_eq!(manifest, on_disk, "the manifest lists exactly the files");
}

#[test]
fn concurrent_builds_into_one_output_never_mix() {
    let a = TestSite::new().briefing(
        "from-a",
        "title: From A\ndate: 2023-01-01\nrockets: [Alpha]",
        "A.",
    );
    let b = TestSite::new().briefing(
        "from-b",
        "title: From B\ndate: 2023-02-02\nrockets: [Beta]",
        "B.",
    );
    let shared = tempfile::tempdir().unwrap();
    let output = shared.path().join("public");
    for _ in 0..4 {
        let start = |site: &TestSite| {
            Command::new(env!("CARGO_BIN_EXE_apogee"))
                .args(["build", "--no-search", "--root"])
                .arg(site.root())
                .arg("--output")
                .arg(&output)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("apogee starts")
        };
        let (mut first, mut second) = (start(&a), start(&b));
        assert!(first.wait().unwrap().success());
        assert!(second.wait().unwrap().success());
        assert_one_whole_build(&output);
    }
}

#[test]
fn an_older_apogees_output_needs_force_and_its_spare_is_kept_aside() {
    // As an apogee without manifests left it: an output, and a spare holding the user's
    // `.git/` that it moved there.
    let site = site("First")
        .file("public/index.html", "old home")
        .file(".public.apogee-spare/.git/HEAD", "ref: refs/heads/main\n");
    let built = site.build();
    assert_eq!(built.output.status.code(), Some(2), "{}", built.stderr());
    assert!(
        built
            .stderr()
            .contains("though an earlier apogee built there"),
        "{}",
        built.stderr()
    );
    site.build_with(&["--force"]).ok();
    assert_eq!(
        site.read(".public.apogee-kept-1/.git/HEAD"),
        "ref: refs/heads/main\n",
        "the old spare is renamed aside, not emptied"
    );
    site.build().ok();
    site.build().ok();
    assert_eq!(
        site.read(".public.apogee-kept-1/.git/HEAD"),
        "ref: refs/heads/main\n"
    );
}
