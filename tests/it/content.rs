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

fn launch(site: TestSite) -> TestSite {
    let site = if site.root().join("content/pages/about.md").exists() {
        site
    } else {
        site.file("content/pages/about.md", "---\ntitle: About\n---\n## Who\n")
    };
    site.briefing(
        "2023-08-24-second-launch",
        "title: Second launch fails\ndate: 2023-08-24\nrockets: [Chollima-1]\noutcome: failure\nextra:\n  analyst: J. Doe\n  confidence: 0.7",
        "See [the desk](@/pages/about.md#who).",
    )
}

#[test]
fn extra_fields_reach_the_templates_as_written() {
    let site = launch(TestSite::new())
        .file(
            "site.yaml",
            "title: Desk\nextra:\n  motto: Launches, read closely\n",
        )
        .file(
            "content/rockets/chollima-1.md",
            "---\nname: Chollima-1\ncountry: North Korea\nextra:\n  stages: 3\n---\n",
        )
        .file(
            "content/pages/about.md",
            "---\ntitle: About\nextra:\n  editors: [A, B]\n---\n## Who\n",
        )
        .file(
            "templates/briefing.html",
            "{{ briefing.extra.analyst }} {{ briefing.extra.confidence }} {{ site.extra.motto }}",
        )
        .file(
            "templates/term.html",
            "stages={{ term.extra.stages | default(value='none') }}",
        )
        .file(
            "templates/page.html",
            "{{ page.extra.editors | join(sep='+') }}",
        );
    let built = site.build().ok();
    assert_eq!(
        built.page("/briefings/2023-08-24-second-launch/"),
        "J. Doe 0.7 Launches, read closely"
    );
    assert_eq!(built.page("/rockets/chollima-1/"), "stages=3");
    assert_eq!(built.page("/about/"), "A+B");
}

#[test]
fn extra_must_be_a_mapping() {
    let site = TestSite::new().briefing("a", "title: A\ndate: 2023-01-01\nextra: [x]", "");
    let text = site.build().fails().stderr();
    assert!(
        text.contains("content/briefings/a.md:4:8: error: `extra` must be `key: value` lines"),
        "{text}"
    );
}

#[test]
fn standalone_pages_get_urls_menus_and_links_but_no_feed() {
    let site = launch(TestSite::new())
        .file(
            "content/pages/about.md",
            "---\ntitle: About\nmenu: 20\n---\n## Who\n\nThe desk.\n",
        )
        .file(
            "content/pages/method/methodology.md",
            "---\ntitle: Methodology\nmenu: 10\ndescription: How we count.\n---\nCounting.\n",
        )
        .file(
            "content/pages/colophon.md",
            "---\ntitle: Colophon\n---\nType.\n",
        );
    let built = site.build().ok();
    let about = built.page("/about/");
    assert!(about.contains("<h1>About</h1>") && about.contains("The desk."));
    assert!(built.page("/methodology/").contains("How we count."));
    assert!(built.has_page("/colophon/"));
    let home = built.page("/");
    let methodology = home.find(r#"href="/methodology/""#).expect("in the menu");
    let about_link = home.find(r#"href="/about/""#).expect("in the menu");
    assert!(methodology < about_link, "menu order");
    assert!(!home.contains(r#"href="/colophon/""#), "no menu, no link");
    assert!(
        built
            .page("/briefings/2023-08-24-second-launch/")
            .contains(r#"href="/about/#who""#)
    );
    let sitemap = built.page("/sitemap.xml");
    assert!(sitemap.contains("/about/</loc>") && sitemap.contains("/colophon/</loc>"));
    let feed = built.page("/feed.xml");
    assert_eq!(feed.matches("<entry>").count(), 1);
    assert!(!feed.contains("<title>About</title>"));
}

#[test]
fn a_page_may_not_take_the_slug_of_the_sites_own_pages() {
    let site = TestSite::new().file("content/pages/archive.md", "---\ntitle: Old archive\n---\n");
    let text = site.build().fails().stderr();
    assert!(
        text.contains("content/pages/archive.md:1:1: error: the page slug `archive` is taken"),
        "{text}"
    );
}

#[test]
fn redirect_from_leaves_a_small_page_at_the_old_address() {
    let site = launch(TestSite::new())
        .file("site.yaml", "base_url: https://example.org/desk/\n")
        .file(
            "content/pages/about.md",
            "---\ntitle: About\nredirect_from: [/about-us/, /team.html]\n---\n## Who\n",
        );
    let built = site.build().ok();
    let old = built.page("/about-us/");
    assert!(
        old.contains(r#"<meta http-equiv="refresh" content="0; url=/desk/about/">"#),
        "{old}"
    );
    assert!(old.contains(r#"<link rel="canonical" href="https://example.org/desk/about/">"#));
    assert!(old.contains(r#"<a href="/desk/about/">About</a>"#));
    assert!(built.page("/team.html").contains("url=/desk/about/"));
    let sitemap = built.page("/sitemap.xml");
    assert!(
        !sitemap.contains("about-us") && !sitemap.contains("team.html"),
        "{sitemap}"
    );
}

#[test]
fn a_redirect_over_a_real_page_or_a_bad_path_is_an_error() {
    let site = launch(TestSite::new()).briefing(
        "b",
        "title: B\ndate: 2023-01-01\nredirect_from:\n  - /briefings/2023-08-24-second-launch/\n  - old/b",
        "",
    );
    let text = site.build().fails().stderr();
    assert!(
        text.contains("content/briefings/b.md:6:5: error: `old/b` cannot be redirected from"),
        "{text}"
    );
    let site = launch(TestSite::new()).briefing(
        "b",
        "title: B\ndate: 2023-01-01\nredirect_from: [/briefings/2023-08-24-second-launch/]",
        "",
    );
    let text = site.build().fails().stderr();
    assert!(
        text.contains("the redirect from `/briefings/2023-08-24-second-launch/` would replace the page content/briefings/2023-08-24-second-launch.md"),
        "{text}"
    );
}

/// A real PNG of `width` × `height` (one colour), made here rather than downloaded.
fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut bytes = (data.len() as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(kind);
        bytes.extend_from_slice(data);
        // Readers of sizes never check the CRC; a fixed one keeps this helper small.
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        bytes
    }
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(chunk(b"IHDR", &header));
    bytes.extend(chunk(b"IEND", &[]));
    bytes
}

fn bundle(site: TestSite, body: &str) -> TestSite {
    site.briefing(
        "2024/2024-07-01-h3-alos-4/index",
        "title: H3 flies ALOS-4\ndate: 2024-07-01\noutcome: success",
        body,
    )
    .bytes(
        "content/briefings/2024/2024-07-01-h3-alos-4/pad.png",
        &png(800, 450),
    )
    .file(
        "content/briefings/2024/2024-07-01-h3-alos-4/data/track.csv",
        "t,alt\n0,0\n",
    )
}

#[test]
fn a_bundle_publishes_its_files_and_figures_its_captioned_images() {
    let site = bundle(
        TestSite::new(),
        "Flew.\n\n![The H3 on its pad](pad.png \"The third H3 before launch\")\n\nSee [the track](data/track.csv) and ![logo](/img/logo.png).",
    )
    .file("site.yaml", "base_url: https://example.org/desk/\n")
    .bytes("static/img/logo.png", &png(16, 8));
    let built = site.build().ok();
    let page = built.page("/briefings/2024-07-01-h3-alos-4/");
    assert!(
        page.contains("<figure>\n<img src=\"/desk/briefings/2024-07-01-h3-alos-4/pad.png\" alt=\"The H3 on its pad\" width=\"800\" height=\"450\" loading=\"lazy\" decoding=\"async\">\n<figcaption>The third H3 before launch</figcaption>\n</figure>"),
        "{page}"
    );
    assert!(page.contains(r#"<a href="/desk/briefings/2024-07-01-h3-alos-4/data/track.csv">"#));
    assert!(page.contains(r#"<img src="/desk/img/logo.png" alt="logo" width="16" height="8""#));
    assert!(page.contains(
        r#"<meta property="og:image" content="https://example.org/desk/briefings/2024-07-01-h3-alos-4/pad.png">"#
    ));
    let published = built.public.join("briefings/2024-07-01-h3-alos-4");
    assert_eq!(
        std::fs::read(published.join("pad.png")).unwrap(),
        png(800, 450)
    );
    assert!(published.join("data/track.csv").is_file());
    assert!(!published.join("index.md").exists(), "sources stay sources");
    let feed = built.page("/feed.xml");
    assert!(
        feed.contains("&lt;img src=&quot;https://example.org/desk/briefings/2024-07-01-h3-alos-4/pad.png&quot;"),
        "{feed}"
    );
}

#[test]
fn an_image_in_a_sentence_stays_inline_and_one_without_alt_is_a_warning() {
    let site = bundle(TestSite::new(), "Before ![](pad.png \"Pad\") after.");
    let built = site.build().ok();
    let page = built.page("/briefings/2024-07-01-h3-alos-4/");
    assert!(!page.contains("<figure>"), "{page}");
    assert!(page.contains(r#"alt="" title="Pad" width="800""#), "{page}");
    let text = built.stderr();
    assert!(
        text.contains("content/briefings/2024/2024-07-01-h3-alos-4/index.md:6:8: warning: the image `pad.png` has no alt text"),
        "{text}"
    );
}

#[test]
fn a_bundle_file_may_not_replace_its_page() {
    let site = bundle(TestSite::new(), "Flew.").file(
        "content/briefings/2024/2024-07-01-h3-alos-4/index.html",
        "<p>an export</p>",
    );
    let text = site.build().fails().stderr();
    assert!(
        text.contains("content/briefings/2024/2024-07-01-h3-alos-4/index.html:1:1: error: this file would be published as briefings/2024-07-01-h3-alos-4/index.html, which is the page of content/briefings/2024/2024-07-01-h3-alos-4/index.md"),
        "{text}"
    );
}

#[test]
fn missing_local_files_are_located_errors() {
    let site = bundle(
        TestSite::new(),
        "![pad](pad.jpg)\n\n[log](data/gone.csv)\n\n![logo](/img/gone.png)",
    )
    .briefing(
        "flat",
        "title: Flat\ndate: 2023-01-01",
        "![chart](chart.png)",
    );
    let text = site.build().fails().stderr();
    for expected in [
        "content/briefings/2024/2024-07-01-h3-alos-4/index.md:6:1: error: the file `pad.jpg` is not there: no file content/briefings/2024/2024-07-01-h3-alos-4/pad.jpg",
        "index.md:8:1: error: the file `data/gone.csv` is not there",
        "index.md:10:1: error: the link `/img/gone.png` points to no page of the site",
        "content/briefings/flat.md:5:1: error: the file `chart.png` is not there",
        "only a bundle publishes the files beside it",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

const LAUNCH_SITES: &str = "taxonomies:\n  - rockets\n  - countries\n  - name: launch_sites\n    title: Launch sites\n    records: true\n";

fn with_launch_sites() -> TestSite {
    TestSite::new()
        .file("site.yaml", LAUNCH_SITES)
        .file(
            "content/launch_sites/sohae.md",
            "---\nname: Sohae\naliases: [Sohae Satellite Launching Station, Tongchang-ri]\nextra:\n  coordinates: 39.66 N, 124.71 E\n---\nNorth Korea's west-coast launch site.\n",
        )
        .briefing(
            "2023-05-31-first",
            "title: First attempt fails\ndate: 2023-05-31\nrockets: [Chollima-1]\nlaunch_sites: Tongchang-ri\noutcome: failure",
            "Fell into the sea.",
        )
        .briefing(
            "2023-11-21-third",
            "title: Third attempt reaches orbit\ndate: 2023-11-21\nrockets: [Chollima-1]\nlaunch_sites: [Sohae]\noutcome: success",
            "Orbit.",
        )
}

#[test]
fn a_declared_taxonomy_gets_term_pages_feeds_lists_and_records() {
    let site = with_launch_sites();
    let built = site.build().ok();
    let sohae = built.page("/launch-sites/sohae/");
    assert!(
        sohae.contains("North Korea&#x27;s west-coast launch site")
            || sohae.contains("west-coast launch site"),
        "{sohae}"
    );
    assert!(
        sohae.contains(r#"href="/briefings/2023-05-31-first/""#),
        "aliases fold in"
    );
    assert!(
        built
            .page("/launch-sites/sohae/feed.xml")
            .contains("Third attempt reaches orbit")
    );
    for list in [
        "/launch-sites/",
        "/launch-sites/by/flights/",
        "/launch-sites/by/last-flight/",
    ] {
        assert!(
            built.page(list).contains(r#"href="/launch-sites/sohae/""#),
            "{list}"
        );
    }
    let record: serde_json::Value =
        serde_json::from_str(&built.page("/launch-sites/sohae/record.json")).unwrap();
    assert_eq!(record["flights"], 2);
    assert_eq!(record["successes"], 1);
    assert_eq!(record["last_flight"], "2023-11-21");
    assert!(record.get("country").is_none());
    let csv = built.page("/launch-sites/records.csv");
    assert!(
        csv.lines().nth(1).unwrap().starts_with("Sohae,sohae,"),
        "{csv}"
    );
    let briefing = built.page("/briefings/2023-11-21-third/");
    assert!(briefing.contains("<dt>Launch site</dt>"), "{briefing}");
    assert!(
        briefing.contains(r#"<a href="/launch-sites/">Launch sites</a>"#),
        "in the navigation"
    );
}

#[test]
fn check_covers_declared_taxonomies() {
    let site = with_launch_sites().briefing(
        "2024-05-27-x",
        "title: X\ndate: 2024-05-27\noutcome: failure\nlaunch_site: Sohae",
        "",
    );
    let text = String::from_utf8_lossy(&site.run(&["check"]).stderr).into_owned();
    assert!(text.contains("unknown key `launch_site`"), "{text}");
    assert!(text.contains("did you mean `launch_sites`?"), "{text}");
    let site = with_launch_sites().briefing(
        "2024-06-01-y",
        "title: Y\ndate: 2024-06-01\noutcome: failure\nlaunch_sites: [Tongchangri]",
        "",
    );
    let text = String::from_utf8_lossy(&site.run(&["check"]).stderr).into_owned();
    assert!(
        text.contains("content/briefings/2024-06-01-y.md:5:16: warning: `Tongchangri` is a new launch site, but close to the known `Sohae`"),
        "{text}"
    );
}

#[test]
fn a_taxonomy_name_close_to_a_built_in_one_is_a_typo() {
    let site = TestSite::new().file("site.yaml", "taxonomies: [rockets, contries]\n");
    let text = site.build().fails().stderr();
    assert!(text.contains("did you mean `countries`?"), "{text}");
}

/// The issue's "done when": an archive started with `apogee init`, holding a bundle briefing
/// with a captioned image, an About page in the menu, `extra` shown by a site template, a
/// `launch_sites` taxonomy with records and a `redirect_from`, builds and checks clean.
#[test]
fn an_archive_started_with_init_holds_real_content() {
    let dir = tempfile::tempdir().unwrap();
    assert!(apogee(&["init", "desk"], dir.path()).status.success());
    let root = dir.path().join("desk");
    let write = |path: &str, bytes: &[u8]| {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    };
    let site_yaml = std::fs::read_to_string(root.join("site.yaml"))
        .unwrap()
        .replace(
            "  # - name: launch_sites\n  #   title: Launch sites\n  #   records: true",
            "  - name: launch_sites\n    title: Launch sites\n    records: true",
        );
    write("site.yaml", site_yaml.as_bytes());
    write(
        "content/launch_sites/tanegashima.md",
        b"---\nname: Tanegashima\naliases: [TNSC]\n---\nJAXA's island launch site.\n",
    );
    write(
        "content/briefings/2024-07-01-h3-alos-4/index.md",
        b"---\ntitle: H3 places ALOS-4 in orbit\ndate: 2024-07-01\nrockets: [H3]\ncountries: [Japan]\nlaunch_sites: [TNSC]\noutcome: success\nsources:\n  - title: JAXA\n    url: https://global.jaxa.jp/\nredirect_from: [/briefings/alos-4/]\nextra:\n  analyst: K. Sato\n---\nThe third H3 flew its first operational mission.\n\n![The H3 on its pad](pad.png \"The H3 before its third flight\")\n",
    );
    write(
        "content/briefings/2024-07-01-h3-alos-4/pad.png",
        &png(1200, 800),
    );
    write(
        "templates/page.html",
        b"{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ content | safe }}<p class=\"contact\">Write to {{ site.extra.contact }}</p>{% endblock main %}",
    );
    let checked = apogee(&["check", "--strict"], &root);
    assert!(checked.status.success(), "{}", stderr(&checked));
    let built = apogee(&["build"], &root);
    assert!(built.status.success(), "{}", stderr(&built));
    let read = |path: &str| std::fs::read_to_string(root.join("public").join(path)).unwrap();
    let briefing = read("briefings/2024-07-01-h3-alos-4/index.html");
    assert!(briefing.contains("<figcaption>The H3 before its third flight</figcaption>"));
    assert!(briefing.contains(r#"width="1200" height="800""#));
    assert!(
        briefing.contains(r#"<a href="/about/">About</a>"#),
        "About in the menu"
    );
    assert!(read("about/index.html").contains("Write to desk@example.org"));
    assert!(read("briefings/alos-4/index.html").contains("url=/briefings/2024-07-01-h3-alos-4/"));
    assert!(read("launch-sites/tanegashima/record.json").contains("\"flights\": 1"));
    assert!(
        root.join("public/briefings/2024-07-01-h3-alos-4/pad.png")
            .is_file()
    );
}

// ---- The preview handles all of it, equal to a build from scratch --------------------------

mod preview {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use apogee::build::{self, BuildOptions};
    use apogee::serve::rebuild::{Rebuilder, Rebuilt};
    use apogee::serve::snapshot::Snapshot;
    use apogee::serve::watch::Changes;

    fn files(snapshot: &Snapshot) -> BTreeMap<String, Vec<u8>> {
        snapshot
            .files()
            .map(|(path, file)| (path.to_owned(), file.bytes.to_vec()))
            .collect()
    }

    fn write(root: &Path, path: &str, bytes: &[u8]) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    #[test]
    fn pages_bundles_redirects_and_taxonomies_rebuild_to_what_a_build_gives() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut options = BuildOptions::new(root);
        options.base_url = Some("http://127.0.0.1:1111/".into());
        options.today = jiff::civil::date(2025, 1, 1);
        write(root, "site.yaml", b"title: Desk\n");
        write(
            root,
            "content/briefings/h3/index.md",
            b"---\ntitle: H3\ndate: 2024-07-01\noutcome: success\n---\n![The pad](pad.png \"The pad\")\n",
        );
        write(root, "content/briefings/h3/pad.png", &super::png(100, 50));
        let mut rebuilder = Rebuilder::on_day(options.clone());
        assert!(matches!(rebuilder.rebuild(None), Rebuilt::Built { .. }));
        let mut step = |name: &str, paths: &[&str]| {
            let changes = Changes {
                paths: paths.iter().map(PathBuf::from).collect(),
                rescan: false,
            };
            let incremental = match rebuilder.rebuild(Some(&changes)) {
                Rebuilt::Built { snapshot, .. } => files(&snapshot),
                Rebuilt::Failed(diagnostics) => panic!("{name}: {diagnostics:?}"),
                Rebuilt::Cancelled => panic!("{name}: cancelled"),
            };
            let scratch = files(&Snapshot::from_rendered(
                &build::prepare(&options).expect("the site builds"),
            ));
            assert_eq!(
                incremental.keys().collect::<Vec<_>>(),
                scratch.keys().collect::<Vec<_>>(),
                "{name}: the same files"
            );
            for (path, bytes) in &scratch {
                assert!(incremental[path] == *bytes, "{name}: {path} differs");
            }
            incremental
        };

        write(root, "content/briefings/h3/pad.png", &super::png(300, 150));
        let files = step("image edited", &["content/briefings/h3/pad.png"]);
        assert_eq!(files["briefings/h3/pad.png"], super::png(300, 150));
        let page = String::from_utf8_lossy(&files["briefings/h3/index.html"]).into_owned();
        assert!(page.contains(r#"width="300" height="150""#), "{page}");

        write(
            root,
            "content/pages/about.md",
            b"---\ntitle: About\nmenu: 1\nredirect_from: [/us/]\n---\nUs.\n",
        );
        let files = step("page added", &["content/pages/about.md", "content/pages"]);
        assert!(files.contains_key("about/index.html") && files.contains_key("us/index.html"));

        write(
            root,
            "site.yaml",
            b"title: Desk\ntaxonomies: [rockets, countries, {name: launch_sites, records: true}]\n",
        );
        write(
            root,
            "content/launch_sites/tanegashima.md",
            b"---\nname: Tanegashima\n---\nIsland.\n",
        );
        write(
            root,
            "content/briefings/h3/index.md",
            b"---\ntitle: H3\ndate: 2024-07-01\noutcome: success\nlaunch_sites: [Tanegashima]\n---\n![The pad](pad.png \"The pad\")\n",
        );
        let files = step(
            "taxonomy declared",
            &[
                "site.yaml",
                "content/launch_sites/tanegashima.md",
                "content/briefings/h3/index.md",
            ],
        );
        assert!(files.contains_key("launch-sites/tanegashima/record.json"));

        std::fs::remove_file(root.join("content/pages/about.md")).unwrap();
        let files = step("page removed", &["content/pages/about.md"]);
        assert!(!files.contains_key("about/index.html") && !files.contains_key("us/index.html"));
    }
}
