//! Publishing: Atom feeds, sitemap and robots.txt, page metadata (canonical, OpenGraph,
//! JSON-LD), the year archive, the search index, and how drafts and upcoming briefings
//! show in each. A fixture site is built with the real binary and its output parsed.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{Built, TestSite, links};
use atom_syndication::Feed;

const BASE: &str = "https://example.org/archive/";

/// Four published briefings (one upcoming), one draft, an H3 term page; feeds capped at 3.
fn fixture() -> TestSite {
    TestSite::new()
        .file(
            "site.yaml",
            "title: Test briefings\nauthor: Test Desk\nbase_url: https://example.org/archive\nfeed_limit: 3\n",
        )
        .file("content/rockets/h3.md", "---\nname: H3\ncountry: Japan\n---\nJapan's flagship launcher.\n")
        .briefing(
            "2023/2023-03-07-h3-first-flight",
            "title: H3 first flight fails\ndate: 2023-03-07\nrockets: [H3]\ncountries: [Japan]\noutcome: failure\nsummary: The second stage did not ignite & the vehicle was lost.",
            "The [second flight](../2024/2024-02-17-h3-second-flight.md) came later.",
        )
        .briefing(
            "2024/2024-02-17-h3-second-flight",
            "title: H3 reaches orbit\ndate: 2024-02-17T09:22:00+09:00\nrockets: [H3]\ncountries: [Japan]\noutcome: success",
            "The second H3 reached orbit <em>on time</em>.",
        )
        .briefing(
            "2024/2024-07-11-falcon-9-anomaly",
            "title: Falcon 9 upper stage anomaly\ndate: 2024-07-11\nrockets: [Falcon 9]\ncountries: [United States]\noutcome: partial",
            "An oxygen leak left the satellites in a low orbit.",
        )
        .briefing(
            "2024/2024-08-01-h3-draft",
            "title: Unfinished H3 notes\ndate: 2024-08-01\nrockets: [H3]\ncountries: [Japan]\ndraft: true",
            "Not for publication.",
        )
        .briefing(
            "2099/2099-01-01-nuri-planned",
            "title: Nuri flight planned\ndate: 2099-01-01\nrockets: [Nuri]\ncountries: [South Korea]\noutcome: scheduled",
            "A flight far in the future.",
        )
}

fn read(built: &Built, path: &str) -> String {
    std::fs::read_to_string(built.public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn feed(built: &Built, path: &str) -> Feed {
    read(built, path)
        .parse::<Feed>()
        .unwrap_or_else(|e| panic!("{path} is not a valid Atom feed: {e}"))
}

/// Every file under the output with `suffix`, as paths relative to it with `/`.
fn files_ending(built: &Built, suffix: &str) -> Vec<String> {
    let mut found: Vec<String> = crate::common::snapshot(&built.public)
        .into_keys()
        .map(|path| path.to_string_lossy().replace('\\', "/"))
        .filter(|path| path.ends_with(suffix))
        .collect();
    found.sort();
    found
}

fn entry_links(feed: &Feed) -> Vec<String> {
    feed.entries()
        .iter()
        .map(|e| e.links()[0].href().to_owned())
        .collect()
}

#[test]
fn site_feed_has_the_latest_briefings_with_absolute_links_and_their_dates() {
    let site = fixture();
    let built = site.build().ok();
    let feed = feed(&built, "feed.xml");
    assert_eq!(feed.title().as_str(), "Test briefings");
    assert_eq!(feed.id(), format!("{BASE}feed.xml"));
    assert_eq!(feed.authors()[0].name(), "Test Desk");
    let rels: Vec<(&str, &str)> = feed.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert!(
        rels.contains(&("self", &format!("{BASE}feed.xml"))),
        "{rels:?}"
    );
    assert!(rels.contains(&("alternate", BASE)), "{rels:?}");

    // feed_limit: 3, newest first, the draft left out.
    assert_eq!(
        entry_links(&feed),
        [
            format!("{BASE}briefings/2099-01-01-nuri-planned/"),
            format!("{BASE}briefings/2024-07-11-falcon-9-anomaly/"),
            format!("{BASE}briefings/2024-02-17-h3-second-flight/"),
        ]
    );
    let newest = &feed.entries()[0];
    assert_eq!(
        newest.id(),
        newest.links()[0].href(),
        "ids are the stable permalinks"
    );
    // The feed is as new as its newest entry, not as the build.
    assert_eq!(feed.updated(), newest.updated());
    assert!(
        newest.categories().iter().any(|c| c.term() == "upcoming"),
        "upcoming briefings say so"
    );

    let h3 = &feed.entries()[2];
    assert_eq!(
        h3.updated().to_rfc3339(),
        "2024-02-17T09:22:00+09:00",
        "a date-time keeps its offset"
    );
    assert_eq!(
        h3.published().map(|d| d.to_rfc3339()),
        Some("2024-02-17T09:22:00+09:00".to_owned())
    );
    let terms: Vec<(&str, Option<&str>)> = h3
        .categories()
        .iter()
        .map(|c| (c.term(), c.label()))
        .collect();
    assert_eq!(terms, [("h3", Some("H3")), ("japan", Some("Japan"))]);
    let content = h3.content().and_then(|c| c.value()).expect("content");
    assert!(
        content.contains("<em>on time</em>"),
        "content is the rendered HTML: {content}"
    );
    assert_eq!(h3.content().and_then(|c| c.content_type()), Some("html"));
}

#[test]
fn every_term_has_a_feed_of_its_briefings() {
    let site = fixture();
    let built = site.build().ok();
    let feeds = files_ending(&built, "feed.xml");
    assert_eq!(
        feeds,
        [
            "countries/japan/feed.xml",
            "countries/south-korea/feed.xml",
            "countries/united-states/feed.xml",
            "feed.xml",
            "rockets/falcon-9/feed.xml",
            "rockets/h3/feed.xml",
            "rockets/nuri/feed.xml",
        ]
    );
    for path in &feeds {
        let feed = feed(&built, path);
        for entry in feed.entries() {
            assert!(entry.id().starts_with(BASE), "{path}: {}", entry.id());
            assert!(
                entry.updated().to_rfc3339().starts_with("20"),
                "{path}: dates parse"
            );
        }
    }
    let h3 = feed(&built, "rockets/h3/feed.xml");
    assert_eq!(h3.id(), format!("{BASE}rockets/h3/feed.xml"));
    assert_eq!(
        entry_links(&h3),
        [
            format!("{BASE}briefings/2024-02-17-h3-second-flight/"),
            format!("{BASE}briefings/2023-03-07-h3-first-flight/")
        ]
    );
    assert_eq!(h3.updated().to_rfc3339(), "2024-02-17T09:22:00+09:00");
    // A date without a time is midnight UTC.
    assert_eq!(
        h3.entries()[1].updated().to_rfc3339(),
        "2023-03-07T00:00:00+00:00"
    );
}

#[test]
fn drafts_reach_feeds_and_sitemap_only_with_the_drafts_flag() {
    let draft = "briefings/2024-08-01-h3-draft/";
    let site = fixture();
    let built = site.build().ok();
    assert!(!read(&built, "sitemap.xml").contains(draft));
    assert!(
        !entry_links(&feed(&built, "rockets/h3/feed.xml"))
            .iter()
            .any(|l| l.contains(draft))
    );

    let drafts_site = fixture();
    let with_drafts = drafts_site.build_with(&["--drafts"]).ok();
    assert!(read(&with_drafts, "sitemap.xml").contains(draft));
    assert_eq!(
        entry_links(&feed(&with_drafts, "rockets/h3/feed.xml"))[0],
        format!("{BASE}{draft}")
    );
}

/// The `<loc>` and `<lastmod>` of each `<url>` of a sitemap, parsed as XML.
fn sitemap_urls(xml: &str) -> Vec<(String, Option<String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut urls, mut element) = (Vec::new(), String::new());
    loop {
        match reader.read_event().expect("well-formed sitemap") {
            Event::Start(tag) => {
                element = String::from_utf8_lossy(tag.name().as_ref()).into_owned()
            }
            Event::Text(text) => {
                let text = text.decode().expect("utf-8").into_owned();
                match element.as_str() {
                    "loc" => urls.push((text, None)),
                    "lastmod" => urls.last_mut().expect("lastmod follows loc").1 = Some(text),
                    _ => {}
                }
            }
            Event::End(_) => element.clear(),
            Event::Eof => return urls,
            _ => {}
        }
    }
}

#[test]
fn sitemap_lists_exactly_the_built_html_pages_and_robots_points_at_it() {
    let site = fixture();
    let built = site.build().ok();
    let xml = read(&built, "sitemap.xml");
    assert!(xml.contains(r#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#));
    let urls = sitemap_urls(&xml);
    let listed: BTreeSet<String> = urls.iter().map(|(loc, _)| loc.clone()).collect();
    assert_eq!(listed.len(), urls.len(), "no URL twice");
    let built_pages: BTreeSet<String> = files_ending(&built, ".html")
        .into_iter()
        .filter(|path| path != "404.html")
        .map(|path| format!("{BASE}{}", path.trim_end_matches("index.html")))
        .collect();
    assert_eq!(listed, built_pages);
    assert!(listed.contains(&format!("{BASE}archive/2024/")));
    let search = listed.contains(&format!("{BASE}search/"));
    assert_eq!(search, cfg!(feature = "search"));

    let lastmod = |url: &str| {
        urls.iter()
            .find(|(loc, _)| loc == &format!("{BASE}{url}"))
            .and_then(|(_, m)| m.clone())
    };
    assert_eq!(
        lastmod("briefings/2024-02-17-h3-second-flight/").as_deref(),
        Some("2024-02-17")
    );
    assert_eq!(lastmod("rockets/h3/").as_deref(), Some("2024-02-17"));
    assert_eq!(
        lastmod("").as_deref(),
        Some("2024-07-11"),
        "the newest briefing that has happened"
    );
    assert_eq!(
        lastmod("briefings/2099-01-01-nuri-planned/"),
        None,
        "no lastmod in the future"
    );

    assert_eq!(
        read(&built, "robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find(r#"<script type="application/ld+json">"#)
        .expect("a JSON-LD script")
        + 35;
    let end = start + html[start..].find("</script>").expect("a closed script");
    serde_json::from_str(&html[start..end]).expect("JSON-LD is JSON")
}

#[test]
fn briefing_pages_describe_themselves_as_news_articles() {
    let site = fixture();
    let built = site.build().ok();
    let html = built.page("/briefings/2023-03-07-h3-first-flight/");
    let article = json_ld(&html);
    let url = format!("{BASE}briefings/2023-03-07-h3-first-flight/");
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "NewsArticle");
    assert_eq!(article["headline"], "H3 first flight fails");
    assert_eq!(
        article["description"],
        "The second stage did not ignite & the vehicle was lost."
    );
    assert_eq!(article["datePublished"], "2023-03-07T00:00:00Z");
    assert_eq!(article["dateModified"], "2023-03-07T00:00:00Z");
    assert_eq!(article["url"], url.as_str());
    assert_eq!(article["publisher"]["name"], "Test Desk");
    assert_eq!(
        article["about"],
        serde_json::json!([
            {"@type": "Thing", "name": "H3", "url": format!("{BASE}rockets/h3/")},
            {"@type": "Thing", "name": "Japan", "url": format!("{BASE}countries/japan/")},
        ])
    );
    assert!(html.contains(&format!(r#"<link rel="canonical" href="{url}">"#)));
    assert!(html.contains(r#"<meta property="og:type" content="article">"#));
    assert!(html.contains(r#"<meta name="description" content="The second stage did not ignite &amp; the vehicle was lost.">"#));
    assert!(
        !built.page("/").contains("application/ld+json"),
        "only briefings are articles"
    );
}

#[test]
fn every_page_has_a_canonical_link_social_tags_and_its_feeds() {
    let site = fixture();
    let built = site.build().ok();
    for path in files_ending(&built, "index.html") {
        let html = read(&built, &path);
        let page_url = format!("{BASE}{}", path.trim_end_matches("index.html"));
        assert!(
            html.contains(&format!(r#"<link rel="canonical" href="{page_url}">"#)),
            "{path}"
        );
        assert!(
            html.contains(&format!(r#"<meta property="og:url" content="{page_url}">"#)),
            "{path}"
        );
        assert!(
            html.contains(r#"<meta name="twitter:card" content="summary">"#),
            "{path}"
        );
        let site_feed =
            format!(r#"type="application/atom+xml" title="Test briefings" href="{BASE}feed.xml">"#);
        assert!(html.contains(&site_feed), "{path}");
    }
    let h3 = built.page("/rockets/h3/");
    assert!(h3.contains(&format!(
        r#"type="application/atom+xml" title="Rocket: H3" href="{BASE}rockets/h3/feed.xml">"#
    )));
}

#[test]
fn the_archive_lists_years_and_each_year_lists_its_briefings_by_month() {
    let site = fixture();
    let built = site.build().ok();
    let home = built.page("/");
    assert!(
        links(&home).contains(&"/archive/archive/".to_owned()),
        "the header links to the archive"
    );
    let archive = built.page("/archive/");
    let years: Vec<String> = links(&archive)
        .into_iter()
        .filter(|l| l.starts_with("/archive/archive/2"))
        .collect();
    assert_eq!(
        years,
        [
            "/archive/archive/2099/",
            "/archive/archive/2024/",
            "/archive/archive/2023/"
        ]
    );
    assert!(
        archive.contains(r#"<td class="num">2</td>"#),
        "2024 counts its two published briefings"
    );

    let year = built.page("/archive/2024/");
    let july = year.find(r#"id="2024-07""#).expect("July");
    let february = year.find(r#"id="2024-02""#).expect("February");
    assert!(july < february, "newest month first");
    assert!(year.contains("Falcon 9 upper stage anomaly") && year.contains("H3 reaches orbit"));
    assert!(!year.contains("Unfinished H3 notes"), "no drafts");
    assert!(
        links(&year).contains(&"/archive/archive/2023/".to_owned()),
        "links the older year"
    );
    assert!(
        built.page("/archive/2099/").contains("Upcoming"),
        "a planned flight is marked upcoming"
    );
}

/// The JSON of each `.pf_fragment` file: Pagefind gzips it after a `pagefind_dcd` marker.
#[cfg(feature = "search")]
fn fragments(built: &Built) -> Vec<serde_json::Value> {
    use std::io::Read;
    files_ending(built, ".pf_fragment")
        .iter()
        .map(|path| {
            let bytes = std::fs::read(built.public.join(path)).expect("fragment");
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("gzip");
            serde_json::from_str(text.trim_start_matches("pagefind_dcd")).expect("fragment JSON")
        })
        .collect()
}

#[cfg(feature = "search")]
#[test]
fn search_indexes_every_published_briefing_with_its_facets() {
    let site = fixture();
    let built = site.build().ok();
    let entry: serde_json::Value =
        serde_json::from_str(&read(&built, "pagefind/pagefind-entry.json")).unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 4);
    for ui in [
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind.js",
    ] {
        assert!(built.public.join(ui).is_file(), "{ui}");
    }

    let fragments = fragments(&built);
    let urls: BTreeSet<&str> = fragments.iter().filter_map(|f| f["url"].as_str()).collect();
    let expected: BTreeSet<&str> = [
        "/briefings/2023-03-07-h3-first-flight/",
        "/briefings/2024-02-17-h3-second-flight/",
        "/briefings/2024-07-11-falcon-9-anomaly/",
        "/briefings/2099-01-01-nuri-planned/",
    ]
    .into();
    assert_eq!(
        urls, expected,
        "every published briefing, no draft, no other page"
    );
    let h3 = fragments
        .iter()
        .find(|f| f["url"] == "/briefings/2024-02-17-h3-second-flight/")
        .unwrap();
    assert_eq!(h3["filters"]["rocket"], serde_json::json!(["H3"]));
    assert_eq!(h3["filters"]["country"], serde_json::json!(["Japan"]));
    assert_eq!(h3["filters"]["outcome"], serde_json::json!(["Success"]));
    assert_eq!(h3["filters"]["year"], serde_json::json!(["2024"]));
    let text = h3["content"].as_str().unwrap();
    assert!(text.contains("reached orbit on time"), "{text}");
    assert!(
        !text.contains("Skip to content"),
        "the header is not indexed: {text}"
    );

    let search = built.page("/search/");
    assert!(
        links(&built.page("/")).contains(&"/archive/search/".to_owned()),
        "the header links to search"
    );
    assert!(search.contains(r#"<script src="/archive/pagefind/pagefind-ui.js"></script>"#));
}

#[test]
fn no_search_builds_neither_the_page_nor_the_index() {
    let site = fixture();
    let built = site.build_with(&["--no-search"]).ok();
    assert!(!built.public.join("pagefind").exists());
    assert!(!built.has_page("/search/"));
    assert!(
        !links(&built.page("/"))
            .iter()
            .any(|l| l.ends_with("/search/"))
    );
}

#[test]
fn without_a_host_links_point_at_localhost_and_the_build_warns() {
    let site = TestSite::new().briefing(
        "2024-01-01-x",
        "title: X\ndate: 2024-01-01\nrockets: [H3]",
        "Body.",
    );
    let built = site.build_with(&["--no-search"]).ok();
    assert!(
        built
            .stderr()
            .contains("site.yaml:1:1: warning: `base_url` has no host"),
        "{}",
        built.stderr()
    );
    let feed = feed(&built, "feed.xml");
    assert_eq!(
        feed.entries()[0].id(),
        "http://localhost/briefings/2024-01-01-x/"
    );
    assert!(read(&built, "sitemap.xml").contains("<loc>http://localhost/</loc>"));
}

#[test]
fn publishing_is_reproducible() {
    let site = fixture();
    let first = crate::common::snapshot(&site.build().ok().public);
    let second = crate::common::snapshot(&site.build().ok().public);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(
            second[path] == *bytes,
            "{} differs between builds",
            path.display()
        );
    }
    assert!(
        first.contains_key(Path::new("feed.xml")) && first.contains_key(Path::new("sitemap.xml"))
    );
}

/// Pagefind's UI inserts filter values as HTML: every name reaches it escaped.
#[cfg(feature = "search")]
#[test]
fn search_data_carries_names_as_escaped_text() {
    let site = TestSite::new()
        .briefing(
            "hostile",
            "title: 'Launch <b>bold</b> \"><img src=x onerror=alert(2)>'\ndate: 2023-01-01\nrockets: ['R2 \"><img src=x onerror=alert(1)>', 'Minotaur <IV>']\ncountries: ['<script>alert(3)</script>']\noutcome: success",
            "Body with a literal &lt;img src=x onerror=alert(4)&gt; and `<script>alert(5)</script>`.",
        );
    let built = site.build().ok();
    let fragments = fragments(&built);
    let page = &fragments[0];
    let mut rockets: Vec<&str> = page["filters"]["rocket"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    rockets.sort();
    assert_eq!(
        rockets,
        [
            "Minotaur &lt;IV&gt;",
            "R2 &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        ]
    );
    assert_eq!(
        page["filters"]["country"],
        serde_json::json!(["&lt;script&gt;alert(3)&lt;/script&gt;"])
    );
    // Titles and text stay plain text: Pagefind's UI sets titles as text and escapes
    // excerpts itself (checked in a browser by tests/browser/search_injection.mjs).
    assert_eq!(
        page["meta"]["title"],
        "Launch <b>bold</b> \"><img src=x onerror=alert(2)>"
    );
    let content = page["content"].as_str().unwrap();
    assert!(
        content.starts_with("Launch <b>bold</b> \"><img src=x onerror=alert(2)> Body"),
        "the title as written, not stripped as HTML: {content}"
    );
}
