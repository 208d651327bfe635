//! Pages stay bounded as the archive grows: term pages, years of the archive and the home
//! page are split into pages whose pager links only to the pages around it, and every
//! briefing is still listed exactly once across a list's pages.

use std::sync::OnceLock;

use crate::common::{Built, TestSite, links};

/// Briefings in the large fixture: more than two pages of a list (100 each).
const COUNT: usize = 230;

/// 230 briefings of one rocket from one country, all in 2023, the home page paginated by 2.
fn large() -> &'static (TestSite, Built) {
    static SITE: OnceLock<(TestSite, Built)> = OnceLock::new();
    SITE.get_or_init(|| {
        let mut site = TestSite::new().file("site.yaml", "title: Large\npaginate: 2\n");
        for i in 0..COUNT {
            let (month, day) = (1 + i / 28 % 12, 1 + i % 28);
            site = site.briefing(
                &format!("2023-{month:02}-{day:02}-flight-{i:03}"),
                &format!(
                    "title: Flight {i:03}\ndate: 2023-{month:02}-{day:02}\nrockets: [Workhorse]\ncountries: [Utopia]\noutcome: success"
                ),
                "Text.",
            );
        }
        let built = site.build_with(&["--no-search"]).ok();
        (site, built)
    })
}

/// The titles `Flight nnn` in `html`, in order of appearance, each once.
fn flights(html: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for piece in html.split("Flight ").skip(1) {
        let number: String = piece.chars().take_while(char::is_ascii_digit).collect();
        if number.len() == 3 && !found.contains(&number) {
            found.push(number);
        }
    }
    found
}

#[test]
fn a_rockets_launch_history_continues_on_later_pages_and_stays_complete() {
    let (_, built) = large();
    assert!(built.has_page("/rockets/workhorse/page/2/"));
    assert!(built.has_page("/rockets/workhorse/page/3/"));
    assert!(!built.has_page("/rockets/workhorse/page/4/"));
    let first = built.page("/rockets/workhorse/");
    assert!(
        first.contains("id=\"record-heading\"") && first.contains("chart--timeline"),
        "the record and charts stay on the first page"
    );
    let later = built.page("/rockets/workhorse/page/2/");
    assert!(
        !later.contains("id=\"record-heading\"") && !later.contains("chart--timeline"),
        "later pages carry only the list"
    );
    assert!(later.contains("Page 2 of 3") && later.contains("101–200 of 230"));
    assert!(links(&later).contains(&"/rockets/workhorse/page/3/".to_owned()));
    let mut all = Vec::new();
    for url in [
        "/rockets/workhorse/",
        "/rockets/workhorse/page/2/",
        "/rockets/workhorse/page/3/",
    ] {
        let page = built.page(url);
        let table = &page[page.find("id=\"history-heading\"").expect("a history")..];
        let table = &table[..table.find("</table>").expect("a table")];
        all.extend(flights(table));
    }
    let expected: Vec<String> = (0..COUNT).map(|i| format!("{i:03}")).collect();
    assert_eq!(
        all, expected,
        "every flight once, oldest first, across the pages"
    );
}

#[test]
fn a_countrys_briefings_and_a_year_are_paginated() {
    let (_, built) = large();
    assert!(built.has_page("/countries/utopia/page/3/"));
    assert!(!built.has_page("/countries/utopia/page/4/"));
    let country = built.page("/countries/utopia/page/3/");
    assert_eq!(flights(&country).len(), 30, "the last page holds the rest");
    assert!(built.has_page("/archive/2023/page/3/"));
    let year = built.page("/archive/2023/");
    // The months list links each month to the page where it starts.
    let hrefs = links(&year);
    assert!(
        hrefs.contains(&"/archive/2023/#2023-09".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        hrefs
            .iter()
            .any(|h| h.starts_with("/archive/2023/page/3/#2023-")),
        "{hrefs:?}"
    );
    let mut all = Vec::new();
    for url in [
        "/archive/2023/",
        "/archive/2023/page/2/",
        "/archive/2023/page/3/",
    ] {
        let page = built.page(url);
        all.extend(flights(&page[page.find("<main").expect("main")..]));
    }
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        COUNT,
        "every briefing of the year on one of its pages"
    );
}

#[test]
fn the_pager_links_to_the_pages_around_it_not_to_every_page() {
    let (_, built) = large();
    let pages = COUNT / 2;
    let middle = built.page("/page/50/");
    let hrefs = links(&middle);
    for near in ["/", "/page/48/", "/page/49/", "/page/51/", "/page/52/"] {
        assert!(hrefs.contains(&near.to_owned()), "{near} in {hrefs:?}");
    }
    assert!(hrefs.contains(&format!("/page/{pages}/")), "the last page");
    assert!(
        !hrefs.contains(&"/page/20/".to_owned()),
        "far pages left out"
    );
    assert!(middle.contains("pagination__gap"));
}

#[test]
fn the_sitemap_lists_later_pages() {
    let (site, _) = large();
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("/rockets/workhorse/page/3/</loc><lastmod>2023-"));
    assert!(sitemap.contains("/archive/2023/page/2/</loc>"));
}
