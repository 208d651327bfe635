//! No input makes apogee panic: arbitrary bytes, and arbitrary YAML-shaped front matter, go
//! through decoding and validation and come out as a document or as located errors; bodies
//! of arbitrary links go through rendering and the link pass, each problem in its file.

use std::path::{Path, PathBuf};

use apogee::diagnostic::Diagnostic;
use apogee::load::front_matter::BRIEFING_KEYS;
use apogee::load::{Source, decode, parse_briefing, parse_term_page};
use apogee::vocabulary::TaxonomyKind;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const PATH: &str = "content/briefings/2023-08-24-x.md";

/// Every error names the file and a position inside it (or just past its end).
fn assert_located(diagnostics: &[Diagnostic], text: &str) {
    assert!(!diagnostics.is_empty(), "an error without a diagnostic");
    let lines = text.lines().count() + 1;
    for diagnostic in diagnostics {
        let location = &diagnostic.location;
        assert_eq!(location.path, Path::new(PATH), "{diagnostic}");
        assert!(
            location.line >= 1 && location.line <= lines,
            "line {} of {lines}: {diagnostic}",
            location.line
        );
        assert!(location.column >= 1, "{diagnostic}");
        assert!(!diagnostic.problem.to_string().is_empty());
        // Rendering must not panic either (carets under odd characters, tabs, long lines).
        let _ = diagnostic.to_string();
    }
}

fn load_and_validate(bytes: Vec<u8>) {
    let path = PathBuf::from(PATH);
    let text = match decode(&path, bytes.clone()) {
        Ok(text) => text,
        Err(diagnostic) => {
            assert_eq!(diagnostic.problem.code(), "not-utf8");
            let text = String::from_utf8_lossy(&bytes).into_owned();
            return assert_located(&[diagnostic], &text);
        }
    };
    let source = Source {
        path,
        text: text.into(),
    };
    if let Err(diagnostics) = parse_briefing(&source) {
        assert_located(&diagnostics, &source.text);
    }
    for kind in TaxonomyKind::ALL {
        if let Err(diagnostics) = parse_term_page(kind, &source) {
            assert_located(&diagnostics, &source.text);
        }
    }
}

/// A key a writer might type: a real one, a typo, a nested path, or nonsense.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(BRIEFING_KEYS).prop_map(str::to_owned),
        1 => proptest::sample::select(&["name", "aliases", "country", "rocket", "Title", "url"][..]).prop_map(str::to_owned),
        1 => "[a-z_ ?!:\"'-]{0,8}",
    ]
}

/// A YAML value, from plain scalars to odd structures.
fn value() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9 .'-]{1,16}",
        Just("2023-08-24".to_owned()),
        Just("2023-02-30".to_owned()),
        Just("2023-08-24T06:50:00+09:00".to_owned()),
        Just("~".to_owned()),
        Just("true".to_owned()),
        Just("-12.5e3".to_owned()),
        Just("sucess".to_owned()),
        Just("\"quoted \\u00e9 \\x\"".to_owned()),
        Just("'single ''quoted'''".to_owned()),
        Just("&anchor value".to_owned()),
        Just("*anchor".to_owned()),
        Just("!!binary aGVsbG8=".to_owned()),
        Just("|\n  block\n  text".to_owned()),
        Just("\"unclosed".to_owned()),
        Just("\t tab".to_owned()),
        Just("a: b: c".to_owned()),
        Just("Côte d'Ivoire".to_owned()),
        Just("---".to_owned()),
        "\\PC{0,12}",
    ];
    scalar.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            proptest::collection::vec(inner.clone(), 0..3).prop_map(|items| items
                .iter()
                .map(|item| format!("\n  - {item}"))
                .collect::<String>()),
            proptest::collection::vec((key(), inner), 0..3).prop_map(|pairs| {
                pairs
                    .iter()
                    .map(|(key, value)| format!("\n  {key}: {value}"))
                    .collect::<String>()
            }),
        ]
    })
}

/// Lines of a briefing that validates, to start from before mutating.
const VALID_LINES: &[&str] = &[
    "rockets: [Chollima-1, H3]",
    "countries:\n  - North Korea\n  - Japan",
    "satellites: Malligyong-1",
    "launched_by: North Korea",
    "outcome: Failure",
    "summary: \"It failed: again.\"",
    "tags: []",
    "sources:\n  - title: KCNA\n    url: https://example.org/x\n  - title: NHK",
    "draft: false",
    "slug: custom-slug",
];

/// Front matter lines: a valid briefing's, with or without random lines mixed in.
fn front_matter_lines() -> impl Strategy<Value = Vec<String>> {
    let random = (key(), value(), "[ \t]{0,2}")
        .prop_map(|(key, value, indent)| format!("{indent}{key}: {value}"));
    let valid =
        proptest::sample::subsequence(VALID_LINES, 0..VALID_LINES.len()).prop_map(|lines| {
            lines
                .iter()
                .map(|line| (*line).to_owned())
                .collect::<Vec<_>>()
        });
    (
        any::<bool>(),
        valid,
        proptest::collection::vec(random, 0..6),
        0..3usize,
    )
        .prop_map(|(titled, mut lines, random, mix)| {
            if titled {
                lines.insert(0, "title: A launch\ndate: 2023-08-24".to_owned());
            }
            match mix {
                0 => lines,
                1 => random,
                _ => {
                    lines.extend(random);
                    lines
                }
            }
        })
}

/// A whole file: optional BOM and CRLF, front matter, a closing line, a body.
fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        any::<bool>(),
        front_matter_lines(),
        prop_oneof![4 => Just("---"), 1 => Just("..."), 1 => Just(""), 1 => Just("--- ")],
        "\\PC{0,40}",
    )
        .prop_map(|(bom, crlf, lines, close, body)| {
            let text = format!("---\n{}\n{close}\n{body}", lines.join("\n"));
            let text = if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            };
            let mut bytes = if bom {
                vec![0xef, 0xbb, 0xbf]
            } else {
                Vec::new()
            };
            bytes.extend(text.into_bytes());
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        load_and_validate(bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_front_matter_start_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut file = b"---\n".to_vec();
        file.extend(bytes);
        load_and_validate(file);
    }

    #[test]
    fn yaml_shaped_front_matter_never_panics(bytes in document()) {
        load_and_validate(bytes);
    }
}

/// The generator reaches both sides: documents that validate, and documents that do not
/// (otherwise the property above would only ever test one path).
#[test]
fn yaml_shaped_documents_are_sometimes_valid() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = document();
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..400 {
        let bytes = strategy
            .new_tree(&mut runner)
            .expect("a document")
            .current();
        let Ok(text) = decode(Path::new(PATH), bytes) else {
            continue;
        };
        match parse_briefing(&Source {
            path: PathBuf::from(PATH),
            text: text.into(),
        }) {
            Ok(_) => valid += 1,
            Err(_) => invalid += 1,
        }
    }
    assert!(
        valid >= 20 && invalid >= 20,
        "{valid} valid, {invalid} invalid"
    );
}

// ---- Links: any body of link-shaped pieces is judged, never panics ----------------------

/// A piece of a body that a writer might link or anchor with, valid or not.
fn body_piece() -> impl Strategy<Value = String> {
    let target = prop_oneof![
        Just("a.md"),
        Just("b.md"),
        Just("b"),
        Just("../a.md"),
        Just("@/rockets/h3.md"),
        Just("@/rockets/h3"),
        Just("/"),
        Just("/rockets/"),
        Just("/briefings/b/"),
        Just("/nowhere/"),
        Just("//cdn.example/x"),
        Just("https://example.org/"),
        Just(""),
        Just("%"),
        Just("é.md"),
    ];
    let fragment = prop_oneof![
        Just(""),
        Just("#context"),
        Just("#contxt"),
        Just("#"),
        Just("#é")
    ];
    prop_oneof![
        (target, fragment).prop_map(|(target, fragment)| format!("[x]({target}{fragment})")),
        "[a-z#/. é]{0,12}".prop_map(|raw| format!("[x]({raw}) ![y]({raw})")),
        Just("## Context".to_owned()),
        Just("Note[^1].\n\n[^1]: text".to_owned()),
        Just("<a id=\"pad\"></a> <span id='x'".to_owned()),
        "\\PC{0,20}",
    ]
}

fn body() -> impl Strategy<Value = String> {
    proptest::collection::vec(body_piece(), 0..8).prop_map(|pieces| pieces.join("\n\n"))
}

fn briefing(path: &str, body: &str) -> apogee::load::Briefing {
    let text = format!("---\ntitle: x\ndate: 2023-08-24\n---\n{body}\n");
    let source = Source {
        path: PathBuf::from(path),
        text: text.into(),
    };
    parse_briefing(&source).expect("a valid briefing")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_links_are_judged_and_located_in_their_file(a in body(), b in body()) {
        use apogee::index::{links, markdown, routes};
        let briefings = [
            briefing("content/briefings/a.md", &a),
            briefing("content/briefings/b.md", &b),
        ];
        let (routes, _) = routes::plan(&briefings, &[], &[], &[]);
        // No files: a link to a file beside a page is judged (missing), located like any.
        let media = apogee::index::media::Media::default();
        let articles: Vec<markdown::Article> = briefings
            .iter()
            .map(|briefing| {
                let context = markdown::LinkContext {
                    source: &briefing.source,
                    routes: &routes,
                    prefix: "/archive/",
                    media: Some(&media),
                };
                markdown::render(&briefing.body, &context)
            })
            .collect();
        let site: links::SitePaths = ["index.html", "rockets/index.html", "briefings/b/index.html"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let documents = briefings
            .iter()
            .zip(&articles)
            .map(|(briefing, article)| (briefing.source.as_path(), article));
        for diagnostic in links::check(documents, &site) {
            let briefing = briefings
                .iter()
                .find(|b| b.source == diagnostic.location.path)
                .expect("located in one of the files");
            // In the body: after the front matter.
            prop_assert!(diagnostic.location.line >= briefing.body.first_line, "{diagnostic}");
            prop_assert!(diagnostic.location.source_line.is_some(), "{diagnostic}");
            let _ = diagnostic.to_string();
            let _ = diagnostic.problem.help();
        }
    }
}
