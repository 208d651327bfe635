//! The one place that knows YAML: typed parsing with located, classified errors.
//!
//! Front matter and `site.yaml` are both read through [`parse`]; nothing else in apogee names
//! the YAML crate, so replacing it touches this file only. This module does not know the
//! schema of either file, nor how to word messages for writers (that is `diagnostic`).

use serde::de::DeserializeOwned;

/// What went wrong, classified so that callers can word it for writers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// Not YAML at all (bad indentation, unclosed quote...).
    Syntax,
    /// A key the schema does not have.
    UnknownField(String),
    /// A value of the wrong shape; `field` is the dotted path to it when known.
    Type {
        /// The dotted path to the value, when the parser gave one.
        field: Option<String>,
    },
    /// The document is not a mapping of keys to values.
    NotAMapping,
}

/// A YAML problem at a 1-based line and column of the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the parsed text.
    pub line: usize,
    /// 1-based column in the parsed text.
    pub column: usize,
    /// What the parser said, without its own "at line" suffix.
    pub message: String,
    /// The class of problem.
    pub kind: YamlErrorKind,
}

/// Parses `text` as a `T`; an empty document is an empty mapping.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|error| classify(&error))
}

/// The top-level keys of a mapping document, in order, so that every unknown key of a file
/// can be reported (serde stops at the first).
pub fn top_level_keys(text: &str) -> Result<Vec<String>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| classify(&error))?;
    match value {
        serde_yaml::Value::Mapping(mapping) => Ok(mapping.keys().map(key_text).collect()),
        serde_yaml::Value::Null => Ok(Vec::new()),
        _ => Err(YamlError {
            line: 1,
            column: 1,
            message: "expected `key: value` lines".to_owned(),
            kind: YamlErrorKind::NotAMapping,
        }),
    }
}

/// The 1-based line and column of the value of top-level `key` in `text`, found by reading
/// lines (the YAML parser keeps no positions of values it accepted).
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(index, line)| {
        let rest = line.strip_prefix(key)?;
        let after_colon = rest.trim_start_matches([' ', '\t']).strip_prefix(':')?;
        let value_start = line.len() - after_colon.trim_start().len();
        Some((index + 1, line[..value_start].chars().count() + 1))
    })
}

/// `text` with the lines of the top-level `keys` (the key's line and the indented lines
/// under it) blanked, so that the rest parses with its positions unchanged.
pub fn without_keys(text: &str, keys: &[String]) -> String {
    let mut blanking = false;
    let lines: Vec<&str> = text
        .lines()
        .map(|line| {
            let starts_key = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
            if starts_key {
                blanking = keys.iter().any(|key| key_position(line, key).is_some());
            }
            if blanking { "" } else { line }
        })
        .collect();
    lines.join("\n")
}

/// Parses only the top-level `keys` of a mapping document (the others blanked, so that
/// positions stay those of `text`).
pub fn parse_keys<T: DeserializeOwned>(text: &str, keys: &[&str]) -> Result<T, YamlError> {
    let others: Vec<String> = top_level_keys(text)?
        .into_iter()
        .filter(|key| !keys.contains(&key.as_str()))
        .collect();
    parse(&without_keys(text, &others))
}

/// The 1-based line and column of `needle` inside the value of top-level `key` (on the key's
/// line or the indented lines under it), so that one name of a list or one `url` of `sources`
/// can be pointed at.
pub fn value_position(text: &str, key: &str, needle: &str) -> Option<(usize, usize)> {
    let (key_line, value_column) = key_position(text, key)?;
    let mut lines = text.lines().enumerate().skip(key_line - 1);
    let (index, first) = lines.next()?;
    let value_start = first
        .char_indices()
        .nth(value_column - 1)
        .map_or(first.len(), |(i, _)| i);
    let found_on = |index: usize, line: &str, from: usize| {
        line[from..]
            .find(needle)
            .map(|at| (index + 1, line[..from + at].chars().count() + 1))
    };
    if let Some(found) = found_on(index, first, value_start) {
        return Some(found);
    }
    lines
        .take_while(|(_, line)| line.starts_with([' ', '\t', '-']) || line.trim().is_empty())
        .find_map(|(index, line)| found_on(index, line, 0))
}

/// `text` as a YAML scalar for a block context: plain when that reads back as the same
/// string, quoted otherwise (`title: "Launch: delayed"`).
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|yaml| yaml.trim_end().to_owned())
        .unwrap_or_else(|_| format!("{text:?}"))
}

fn key_text(key: &serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(text) => text.clone(),
        other => serde_yaml::to_string(other)
            .map(|text| text.trim().to_owned())
            .unwrap_or_default(),
    }
}

fn classify(error: &serde_yaml::Error) -> YamlError {
    let (line, column) = error
        .location()
        .map_or((1, 1), |at| (at.line(), at.column()));
    let message = without_position(&error.to_string());
    let kind = kind_of(&message);
    YamlError {
        line,
        column,
        message,
        kind,
    }
}

/// The parser's message without its " at line L column C" (positions are reported apart,
/// shifted to the file).
fn without_position(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[start + " at line ".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = rest
        .strip_prefix(" column ")
        .map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit()));
    format!("{}{}", &message[..start], without_position(rest))
}

fn kind_of(message: &str) -> YamlErrorKind {
    // serde words these two messages itself (`de::Error::unknown_field`, `invalid_type`), so
    // their shape is stable across YAML crates.
    let (field, rest) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => (Some(path.to_owned()), rest),
        _ => (None, message),
    };
    if let Some(after) = rest.strip_prefix("unknown field `") {
        let name = after.split('`').next().unwrap_or_default();
        return YamlErrorKind::UnknownField(name.to_owned());
    }
    if rest.starts_with("invalid type")
        || rest.starts_with("invalid value")
        || rest.starts_with("invalid length")
    {
        return YamlErrorKind::Type { field };
    }
    if rest.starts_with("invalid type: sequence, expected struct")
        || rest.contains("expected struct")
    {
        return YamlErrorKind::NotAMapping;
    }
    YamlErrorKind::Syntax
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: Option<String>,
        rockets: Option<Vec<String>>,
    }

    #[test]
    fn unknown_fields_are_named() {
        let error = parse::<Sample>("title: x\nrocket: [H3]\n").unwrap_err();
        assert_eq!(error.kind, YamlErrorKind::UnknownField("rocket".into()));
        assert_eq!(error.line, 2);
    }

    #[test]
    fn type_errors_name_the_field() {
        let error = parse::<Sample>("title: x\nrockets: {a: 1}\n").unwrap_err();
        assert_eq!(
            error.kind,
            YamlErrorKind::Type {
                field: Some("rockets".into())
            },
            "{error:?}"
        );
        assert_eq!(error.line, 2);
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = parse::<Sample>("title: \"x\ny: 2\n").unwrap_err();
        assert_eq!(error.kind, YamlErrorKind::Syntax);
        assert!(error.line >= 1);
        assert!(!error.message.contains(" at line "));
    }

    #[test]
    fn finds_values_of_top_level_keys() {
        let text = "title: x\noutcome:  exploded\n";
        assert_eq!(key_position(text, "outcome"), Some((2, 11)));
        assert_eq!(key_position(text, "out"), None);
    }

    #[test]
    fn finds_a_name_inside_a_value() {
        let text = "title: Chollima-1\nrockets: [H3, Chollima-l]\nsources:\n  - title: KCNA\n    url: ftp://x\ndraft: true\n";
        assert_eq!(value_position(text, "rockets", "Chollima-l"), Some((2, 15)));
        assert_eq!(value_position(text, "sources", "ftp://x"), Some((5, 10)));
        assert_eq!(value_position(text, "draft", "ftp://x"), None);
        assert_eq!(value_position(text, "rockets", "KCNA"), None);
    }

    #[test]
    fn blanks_the_lines_of_keys() {
        let text = "title: x\nrocket:\n  - H3\n- stray\ndate: 2023-01-01\nrocket2: y";
        let kept = without_keys(text, &["rocket".to_owned()]);
        assert_eq!(kept, "title: x\n\n\n\ndate: 2023-01-01\nrocket2: y");
    }

    #[test]
    fn scalars_read_back_as_written() {
        for text in [
            "Plain title",
            "Launch: delayed",
            "#1 in orbit",
            "yes",
            "2023",
            "'quoted'",
            "a \"b\"",
            "- dash",
            "",
        ] {
            let yaml = format!("value: {}\n", scalar(text));
            let back: std::collections::BTreeMap<String, String> = parse(&yaml).unwrap();
            assert_eq!(back["value"], text, "{yaml}");
        }
    }

    #[test]
    fn empty_document_is_empty_mapping() {
        let sample: Sample = parse("  \n").unwrap();
        assert!(sample.title.is_none());
        assert_eq!(top_level_keys("").unwrap(), Vec::<String>::new());
        assert_eq!(top_level_keys("a: 1\nb: 2").unwrap(), vec!["a", "b"]);
    }
}
