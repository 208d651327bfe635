//! The theme contract (`themes/default/README.md`) against what templates really receive:
//! a copy of the sample archive, with every taxonomy and its drafts, is built with each
//! template replaced by a dump of its context as JSON; every variable a template gets must be
//! listed for it, and every row of the document must be given to some template.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::TestSite as Site;

const TEMPLATES: &[&str] = &[
    "404.html",
    "archive.html",
    "archive_year.html",
    "briefing.html",
    "index.html",
    "page.html",
    "search.html",
    "term.html",
    "term_list.html",
];

/// One row of the document: a path (relative to its type for type fields), its type column.
struct Row {
    path: String,
    kind: String,
}

/// The document, parsed: rows per template section (`Every page` included) and per type.
struct Contract {
    templates: BTreeMap<String, Vec<Row>>,
    types: BTreeMap<String, Vec<Row>>,
}

fn parse_contract(text: &str) -> Contract {
    let mut contract = Contract {
        templates: BTreeMap::new(),
        types: BTreeMap::new(),
    };
    let mut part = "";
    let mut section = String::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            part = if title == "Templates" || title == "Types" {
                title
            } else {
                ""
            };
            continue;
        }
        if let Some(title) = line.strip_prefix("### ") {
            section = title.trim().to_owned();
            continue;
        }
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let Some((path, rest)) = rest.split_once('`') else {
            continue;
        };
        let kind = rest.split('|').nth(1).unwrap_or_default().trim().to_owned();
        let row = Row {
            path: path.to_owned(),
            kind,
        };
        match part {
            "Templates" => contract
                .templates
                .entry(section.clone())
                .or_default()
                .push(row),
            "Types" => contract.types.entry(section.clone()).or_default().push(row),
            _ => {}
        }
    }
    contract
}

/// The type named in a type column (`array of [card](#card) or null` → `card`).
fn named_type(kind: &str) -> Option<&str> {
    let start = kind.find('[')? + 1;
    let end = start + kind[start..].find(']')?;
    Some(&kind[start..end])
}

/// Every path a row stands for, each with the row it came from (`section/path`), so that a
/// row counts as given when any of its paths is.
fn expand(
    contract: &Contract,
    prefix: &str,
    row: &Row,
    origin: &str,
    out: &mut Vec<(String, String)>,
) {
    let path = if prefix.is_empty() {
        row.path.clone()
    } else {
        format!("{prefix}.{}", row.path)
    };
    out.push((path.clone(), origin.to_owned()));
    let element = if row.kind.starts_with("array") {
        let element = format!("{path}[]");
        out.push((element.clone(), origin.to_owned()));
        element
    } else {
        path
    };
    if let Some(name) = named_type(&row.kind) {
        let fields = contract
            .types
            .get(name)
            .unwrap_or_else(|| panic!("no type `{name}` in the document"));
        for field in fields {
            expand(
                contract,
                &element,
                field,
                &format!("{name}/{}", field.path),
                out,
            );
        }
    }
}

/// Every path of `value`: maps' keys, `[]` for array elements.
fn paths(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    if !prefix.is_empty() {
        out.insert(prefix.to_owned());
    }
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if key == "extra" {
                    // A writer's free fields: any keys, documented as one map.
                    out.insert(path);
                    continue;
                }
                paths(child, &path, out);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// The sample archive with every taxonomy, each template dumping its context.
fn dumping_site() -> Site {
    let sample = crate::common::sample_root();
    let mut site = Site::new().file(
        "site.yaml",
        "title: Launch briefings\nbase_url: https://example.org/\ntaxonomies: [rockets, countries, satellites, tags, {name: launch_sites, title: Launch sites, records: true}]\n",
    );
    for entry in walkdir::WalkDir::new(sample.join("content")) {
        let entry = entry.expect("the sample archive is readable");
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(&sample)
                .expect("under the sample");
            let text = std::fs::read_to_string(entry.path()).expect("UTF-8 content");
            site = site.file(&relative.to_string_lossy(), &text);
        }
    }
    for template in TEMPLATES {
        site = site.file(
            &format!("templates/{template}"),
            &format!(
                "{{\"template\": \"{template}\", \"context\": {{{{ __tera_context | json | safe }}}}}}"
            ),
        );
    }
    site
}

#[test]
fn the_theme_document_lists_exactly_what_templates_receive() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/README.md"),
    )
    .expect("the theme document");
    let contract = parse_contract(&text);

    let site = dumping_site();
    let built = site.build_with(&["--drafts"]).ok();
    let mut given: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in crate::common::snapshot(&built.public).into_keys() {
        if file.extension().is_none_or(|e| e != "html") || file.starts_with("pagefind") {
            continue;
        }
        let text = std::fs::read_to_string(built.public.join(&file)).expect("a page");
        if text.contains(r#"<meta http-equiv="refresh""#) {
            // A redirect page (`redirect_from`) is apogee's own, made without a template.
            continue;
        }
        let dump: serde_json::Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not a context dump: {e}", file.display()));
        let template = dump["template"]
            .as_str()
            .expect("a template name")
            .to_owned();
        paths(&dump["context"], "", given.entry(template).or_default());
    }
    assert_eq!(
        given.keys().map(String::as_str).collect::<Vec<_>>(),
        TEMPLATES,
        "every template renders at least one page"
    );

    let mut undocumented = Vec::new();
    let mut seen_rows: BTreeSet<String> = BTreeSet::new();
    let mut all_rows: BTreeSet<String> = BTreeSet::new();
    for (template, received) in &given {
        let mut documented = Vec::new();
        for section in ["Every page", template.as_str()] {
            for row in contract.templates.get(section).into_iter().flatten() {
                expand(
                    &contract,
                    "",
                    row,
                    &format!("{section}/{}", row.path),
                    &mut documented,
                );
            }
        }
        let listed: BTreeSet<&str> = documented.iter().map(|(p, _)| p.as_str()).collect();
        undocumented.extend(
            received
                .iter()
                .filter(|path| !listed.contains(path.as_str()))
                .map(|path| format!("{template}: {path}")),
        );
        for (path, origin) in &documented {
            all_rows.insert(origin.clone());
            if received.contains(path) {
                seen_rows.insert(origin.clone());
            }
        }
    }
    for (name, fields) in &contract.types {
        for field in fields {
            all_rows.insert(format!("{name}/{}", field.path));
        }
    }
    let never_given: Vec<&String> = all_rows.difference(&seen_rows).collect();
    assert!(
        undocumented.is_empty(),
        "variables that themes/default/README.md does not list:\n{}",
        undocumented.join("\n")
    );
    assert!(
        never_given.is_empty(),
        "rows of themes/default/README.md that no template receives:\n{never_given:#?}"
    );
}
