//! The one place that knows YAML: typed parsing with located, classified errors, and the
//! one place that rewords the parser's and serde's messages for writers.
//!
//! Front matter and `site.yaml` are both read through [`parse`]; nothing else in apogee names
//! the YAML crate, so replacing it touches this file only. The commonest mistakes of people
//! who write headlines get a class of their own, located where the writer must act: an
//! unquoted `: ` in a value (at the colon), a tab (at the tab), a key given twice (at its
//! second line); serde's type errors become "must be a whole number, not `ten`". Callers turn
//! a [`YamlError`] into a [`Problem`] with [`YamlError::problem`]; the wording of each
//! problem is in `diagnostic`. This module does not know the schema of either file.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use crate::diagnostic::Problem;

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
    /// A plain value holds `: ` (`title: North Korea: launch fails`); the error is at that
    /// colon.
    UnquotedColon {
        /// The key whose value it is.
        key: String,
        /// The value as written, to show quoted.
        value: String,
    },
    /// A tab where YAML needs spaces; the error is at the tab.
    Tab,
    /// A key given twice in one mapping; the error is at its second line.
    DuplicateKey {
        /// The key.
        key: String,
        /// The 1-based line of its first occurrence, when found.
        first_line: Option<usize>,
    },
    /// Larger than [`MAX_BYTES`].
    TooLarge,
    /// More than [`MAX_VALUES`] values once aliases are expanded.
    Expansion,
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

impl YamlError {
    /// The problem to report, worded for writers. `what` names the document (`the front
    /// matter`, `site.yaml`), `known` are its keys (for a did-you-mean); `first_line` is the
    /// line of the file on which the parsed text starts.
    pub fn problem(
        &self,
        what: &'static str,
        known: &[&'static str],
        first_line: usize,
    ) -> Problem {
        match &self.kind {
            YamlErrorKind::UnknownField(key) => Problem::UnknownKey {
                key: key.clone(),
                known: known.to_vec(),
            },
            YamlErrorKind::Type { field } => Problem::WrongType {
                key: field.clone().unwrap_or_else(|| "the value".to_owned()),
                message: self.message.clone(),
            },
            YamlErrorKind::NotAMapping => Problem::Yaml {
                message: "expected `key: value` lines".to_owned(),
            },
            YamlErrorKind::UnquotedColon { key, value } => Problem::UnquotedColon {
                key: key.clone(),
                quoted: scalar(value),
            },
            YamlErrorKind::Tab => Problem::YamlTab,
            YamlErrorKind::DuplicateKey {
                key,
                first_line: first,
            } => Problem::DuplicateKey {
                key: key.clone(),
                first_line: first.map(|line| line + first_line - 1),
            },
            YamlErrorKind::TooLarge => Problem::TooLarge {
                what,
                limit: format!("{} KiB", MAX_BYTES / 1024),
            },
            YamlErrorKind::Expansion => Problem::YamlExpansion { limit: MAX_VALUES },
            YamlErrorKind::Syntax => Problem::Yaml {
                message: self.message.clone(),
            },
        }
    }
}

/// The most bytes of YAML read from one place (a front matter, `site.yaml`): real ones are a
/// few kilobytes, and a parser holds every event of its input in memory.
pub const MAX_BYTES: usize = 256 * 1024;

/// The most values (scalars, lists, mappings) a document may hold once every alias (`*name`)
/// is expanded: each use of an alias repeats what it names, so a small text with nested
/// aliases ("billion laughs") would otherwise expand past any memory.
pub const MAX_VALUES: usize = 100_000;

/// Said by the walk of [`bounded`] when [`MAX_VALUES`] is spent, to tell it from the
/// parser's own errors.
const EXPANSION: &str = "apogee: more values than the limit";

/// A YAML text within apogee's bounds, with its top-level keys in order: the only way to a
/// typed parse, so that no text reaches serde before its size is known.
#[derive(Debug)]
pub struct Bounded<'a> {
    text: &'a str,
    keys: Vec<String>,
}

/// Checks `text` against [`MAX_BYTES`] and [`MAX_VALUES`] in one walk that stops as soon as
/// either is passed, and reads its top-level keys (a key given twice is an error there).
pub fn bounded(text: &str) -> Result<Bounded<'_>, YamlError> {
    if text.len() > MAX_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!("larger than {} KiB", MAX_BYTES / 1024),
            kind: YamlErrorKind::TooLarge,
        });
    }
    if text.trim().is_empty() {
        return Ok(Bounded {
            text,
            keys: Vec::new(),
        });
    }
    let budget = Cell::new(MAX_VALUES);
    let walk = TopLevel { budget: &budget };
    let keys = walk
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .map_err(|error| classify(&error, text))?;
    match keys {
        Some(keys) => Ok(Bounded { text, keys }),
        None => Err(YamlError {
            line: 1,
            column: 1,
            message: "expected `key: value` lines".to_owned(),
            kind: YamlErrorKind::NotAMapping,
        }),
    }
}

impl Bounded<'_> {
    /// The top-level keys, in order.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The text as a `T`; an empty document is an empty mapping.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, YamlError> {
        parse_unchecked(self.text)
    }

    /// The text as a `T`, with the lines of top-level `keys` left out (see [`without_keys`]).
    pub fn parse_without<T: DeserializeOwned>(&self, keys: &[String]) -> Result<T, YamlError> {
        if keys.is_empty() {
            return self.parse();
        }
        parse_unchecked(&without_keys(self.text, keys))
    }
}

/// Parses `text` as a `T` within apogee's bounds; an empty document is an empty mapping.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    bounded(text)?.parse()
}

fn parse_unchecked<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|error| classify(&error, text))
}

/// The walk of a whole document: the top-level keys if it is a mapping (`None` if it is
/// another kind of value), every value counted against the budget.
struct TopLevel<'b> {
    budget: &'b Cell<usize>,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = Option<Vec<String>>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = Option<Vec<String>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`key: value` lines")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        let mut seen = BTreeSet::new();
        let walk = Walk {
            budget: self.budget,
        };
        while let Some(key) = map.next_key_seed(walk)? {
            let key = key.unwrap_or_default();
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!(
                    "duplicate entry with key \"{key}\""
                )));
            }
            keys.push(key);
            map.next_value_seed(walk)?;
        }
        Ok(Some(keys))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Vec::new()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Walk {
            budget: self.budget,
        }
        .visit_seq(seq)
        .map(|_| None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// The walk of one value: spends one unit of the budget per value, aliases expanded, and
/// gives a scalar's text (for keys).
#[derive(Clone, Copy)]
struct Walk<'b> {
    budget: &'b Cell<usize>,
}

impl Walk<'_> {
    fn spend<E: de::Error>(self) -> Result<(), E> {
        match self.budget.get() {
            0 => Err(E::custom(EXPANSION)),
            left => {
                self.budget.set(left - 1);
                Ok(())
            }
        }
    }

    fn text<E: de::Error>(self, text: String) -> Result<Option<String>, E> {
        self.spend()?;
        Ok(Some(text))
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.text(v.to_owned())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.text(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.text(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.text(v.to_string())
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        self.text(v.to_string())
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        self.text(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.text(v.to_string())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.spend()?;
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.deserialize(deserializer)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        self.deserialize(deserializer)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.spend()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.spend()?;
        while map.next_entry_seed(self, self)?.is_some() {}
        Ok(None)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged value (`!tag value`): its value counts like any other.
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
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
    let bounded = bounded(text)?;
    let others: Vec<String> = bounded
        .keys()
        .iter()
        .filter(|key| !keys.contains(&key.as_str()))
        .cloned()
        .collect();
    bounded.parse_without(&others)
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

fn classify(error: &serde_yaml::Error, text: &str) -> YamlError {
    let (line, column) = error
        .location()
        .map_or((1, 1), |at| (at.line(), at.column()));
    let message = without_position(&error.to_string());
    let found = YamlError {
        line,
        column,
        kind: kind_of(&message),
        message,
    };
    reword(found, text)
}

/// The classes writers meet most, told apart by what the text holds where the parser
/// stopped, and serde's type errors in a writer's words.
fn reword(mut error: YamlError, text: &str) -> YamlError {
    let line_text = text.lines().nth(error.line.saturating_sub(1)).unwrap_or("");
    if let Some(key) = duplicate_key(&error.message) {
        let mut lines = top_level_lines(text, &key);
        if lines.len() < 2 {
            // A key of a nested mapping (one entry of `sources`): its lines from the start
            // of that mapping, where the parser stopped.
            lines = key_lines_from(text, &key, error.line);
        }
        if let [first, (second, column), ..] = lines[..] {
            (error.line, error.column) = (second, column);
            error.kind = YamlErrorKind::DuplicateKey {
                first_line: Some(first.0),
                key,
            };
        } else {
            error.kind = YamlErrorKind::DuplicateKey {
                first_line: None,
                key,
            };
        }
        return error;
    }
    if error.kind == YamlErrorKind::Expansion {
        // The parser stops wherever the budget ran out, deep inside what an alias repeats;
        // the writer's mistake is the first alias.
        if let Some((line, column)) = first_alias(text) {
            (error.line, error.column) = (line, column);
        }
        return error;
    }
    if error.kind != YamlErrorKind::Syntax {
        if matches!(error.kind, YamlErrorKind::Type { .. }) {
            error.message = reword_type_error(&error.message);
        }
        return error;
    }
    // A tab the parser stumbled on: named in its message, or indenting the line it stopped on.
    let indent = &line_text[..line_text.len() - line_text.trim_start().len()];
    if let Some(tab) = line_text.find('\t')
        && (error.message.contains("tab") || indent.contains('\t'))
    {
        error.column = line_text[..tab].chars().count() + 1;
        error.kind = YamlErrorKind::Tab;
        return error;
    }
    let at = line_text.char_indices().nth(error.column.saturating_sub(1));
    if error.message.starts_with("mapping values are not allowed")
        && let Some((colon, ':')) = at
        && let Some((key, value)) = line_text.split_once(": ")
        && key.len() < colon
    {
        let key = key.trim_start().trim_start_matches("- ").trim().to_owned();
        let value = value.trim().to_owned();
        error.kind = YamlErrorKind::UnquotedColon { key, value };
    }
    error
}

/// The 1-based line and column of the first alias (`*name` where a value starts).
fn first_alias(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(index, line)| {
        let mut previous = ' ';
        for (column, c) in line.chars().enumerate() {
            if c == '#' && previous == ' ' {
                return None;
            }
            if c == '*' && matches!(previous, ' ' | '[' | ',' | '{') {
                return Some((index + 1, column + 1));
            }
            previous = c;
        }
        None
    })
}

/// The key of serde's "duplicate field `title`" or the parser's "duplicate entry with key
/// \"title\"".
fn duplicate_key(message: &str) -> Option<String> {
    // Without the path serde puts first for a nested value (`sources[0]: `).
    let message = message
        .split_once(": ")
        .filter(|(path, _)| !path.contains(' '))
        .map_or(message, |(_, rest)| rest);
    let rest = message
        .strip_prefix("duplicate field `")
        .or_else(|| message.strip_prefix("duplicate entry with key \""))?;
    Some(rest.trim_end_matches(['`', '"']).to_owned())
}

/// The 1-based lines (and column 1) on which top-level `key` starts a line.
fn top_level_lines(text: &str, key: &str) -> Vec<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| is_key_of(line, key))
        .map(|(index, _)| (index + 1, 1))
        .collect()
}

/// The 1-based lines and columns, from line `from` on, on which `key` starts an entry of
/// a mapping at any depth (`    title:`, `  - title:`).
fn key_lines_from(text: &str, key: &str, from: usize) -> Vec<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .filter_map(|(index, line)| {
            let entry = line.trim_start().trim_start_matches("- ").trim_start();
            let column = line[..line.len() - entry.len()].chars().count() + 1;
            is_key_of(entry, key).then_some((index + 1, column))
        })
        .collect()
}

fn is_key_of(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'))
}

/// serde says `paginate: invalid type: string "ten", expected usize`; writers need
/// `must be a whole number, not `ten``, without Rust's names for types.
fn reword_type_error(message: &str) -> String {
    let message = message
        .split_once(": ")
        .filter(|(path, _)| !path.contains(' '))
        .map_or(message, |(_, rest)| rest);
    let Some(rest) = message.strip_prefix("invalid type: ") else {
        return message.to_owned();
    };
    let (found, expected) = rest
        .split_once(", expected ")
        .unwrap_or((rest, "another kind of value"));
    format!(
        "must be {}, not {}",
        expected_words(expected),
        found_words(found)
    )
}

fn expected_words(expected: &str) -> &str {
    match expected {
        "usize" | "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "an integer" => {
            "a whole number"
        }
        "a boolean" => "true or false",
        "a sequence" => "a list",
        "a string" => "text",
        e if e.starts_with("struct") || e == "a map" => "`key: value` lines",
        e => e,
    }
}

/// `string "ten"` → `` `ten` ``, `integer `-3` as u128` → `` `-3` ``, `sequence` → `a list`.
fn found_words(found: &str) -> String {
    match found {
        "sequence" => return "a list".to_owned(),
        "map" => return "`key: value` lines".to_owned(),
        "unit value" => return "nothing".to_owned(),
        _ => {}
    }
    let value = found
        .strip_prefix("string ")
        .map(|quoted| quoted.trim_matches('"'))
        .or_else(|| {
            found
                .split_once(" `")
                .map(|(_, value)| value.split('`').next().unwrap_or(value))
        });
    match value {
        Some(value) => format!("`{value}`"),
        None => found.to_owned(),
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
    if message.contains(EXPANSION) || message.starts_with("repetition limit exceeded") {
        return YamlErrorKind::Expansion;
    }
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

    fn top_level_keys(text: &str) -> Result<Vec<String>, YamlError> {
        bounded(text).map(|bounded| bounded.keys)
    }

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
    fn an_unquoted_colon_is_found_at_the_colon() {
        let error = parse::<Sample>("title: North Korea: launch fails\n").unwrap_err();
        assert_eq!((error.line, error.column), (1, 19));
        assert_eq!(
            error.kind,
            YamlErrorKind::UnquotedColon {
                key: "title".into(),
                value: "North Korea: launch fails".into()
            }
        );
        assert_eq!(
            error.problem("the front matter", &[], 1).help().as_deref(),
            Some(
                "in YAML, `: ` after a key starts its value; write the value in quotes: title: 'North Korea: launch fails'"
            )
        );
    }

    #[test]
    fn a_tab_is_found_at_the_tab() {
        for text in ["title: x\n\trockets: [a]\n", "rockets:\n  \t- a\n"] {
            let error = parse::<Sample>(text).unwrap_err();
            assert_eq!(error.kind, YamlErrorKind::Tab, "{text:?}");
            let line = text.lines().nth(error.line - 1).unwrap();
            assert_eq!(line.chars().nth(error.column - 1), Some('\t'), "{text:?}");
        }
    }

    #[test]
    fn a_tab_inside_a_value_is_not_blamed_for_another_mistake() {
        let error = parse::<Sample>("title: \"a\tb\" c: d\n").unwrap_err();
        assert_eq!(error.kind, YamlErrorKind::Syntax);
    }

    #[test]
    fn a_duplicate_key_of_a_nested_mapping_is_found_at_its_second_line() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Source {
            title: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Sources {
            sources: Vec<Source>,
        }
        let text = "sources:\n  - title: a\n  - title: b\n    title: c\n";
        let error = parse::<Sources>(text).unwrap_err();
        assert_eq!((error.line, error.column), (4, 5), "{error:?}");
        assert_eq!(
            error.kind,
            YamlErrorKind::DuplicateKey {
                key: "title".into(),
                first_line: Some(3)
            }
        );
    }

    #[test]
    fn a_duplicate_key_is_found_at_its_second_line() {
        let text = "title: x\nrockets: [a]\ntitle: y\n";
        for error in [
            parse::<Sample>(text).unwrap_err(),
            top_level_keys(text).unwrap_err(),
        ] {
            assert_eq!((error.line, error.column), (3, 1));
            assert_eq!(
                error.kind,
                YamlErrorKind::DuplicateKey {
                    key: "title".into(),
                    first_line: Some(1)
                }
            );
        }
    }

    #[test]
    fn type_errors_are_in_a_writer_s_words() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Numbers {
            paginate: Option<usize>,
            search: Option<bool>,
            taxonomies: Option<Vec<String>>,
        }
        for (text, message) in [
            ("paginate: ten", "must be a whole number, not `ten`"),
            ("paginate: -3", "must be a whole number, not `-3`"),
            ("paginate: 1.5", "must be a whole number, not `1.5`"),
            ("search: maybe", "must be true or false, not `maybe`"),
            (
                "taxonomies: {a: 1}",
                "must be a list, not `key: value` lines",
            ),
        ] {
            let error = parse::<Numbers>(text).unwrap_err();
            assert_eq!(error.message, message, "{text}");
        }
    }

    /// Ten levels of ten aliases each: 10^10 values from a text of a few hundred bytes.
    fn laughs() -> String {
        let mut text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n".to_owned();
        for level in 1..10 {
            let previous = format!("*l{}", level - 1);
            let list = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{list}]\n"));
        }
        text
    }

    #[test]
    fn nested_aliases_stop_at_the_limit_of_values() {
        let text = laughs();
        assert!(text.len() < 1_000);
        for error in [
            parse::<Sample>(&text).unwrap_err(),
            top_level_keys(&text).unwrap_err(),
        ] {
            assert_eq!(error.kind, YamlErrorKind::Expansion, "{error:?}");
            assert_eq!((error.line, error.column), (2, 10), "at the first alias");
            assert_eq!(
                error.problem("the front matter", &[], 1).to_string(),
                "the YAML holds more than 100000 values once its aliases (`*name`) are expanded"
            );
        }
        let few = "title: &t x\nrockets: [*t, *t]\n";
        assert_eq!(top_level_keys(few).unwrap(), vec!["title", "rockets"]);
    }

    #[test]
    fn text_past_the_limit_of_bytes_is_not_parsed() {
        let text = format!("title: {}\n", "x".repeat(MAX_BYTES));
        let error = parse::<Sample>(&text).unwrap_err();
        assert_eq!((&error.kind, error.line), (&YamlErrorKind::TooLarge, 1));
        assert_eq!(
            error.problem("the front matter", &[], 2).to_string(),
            "the front matter is larger than 256 KiB"
        );
    }

    #[test]
    fn empty_document_is_empty_mapping() {
        let sample: Sample = parse("  \n").unwrap();
        assert!(sample.title.is_none());
        assert_eq!(top_level_keys("").unwrap(), Vec::<String>::new());
        assert_eq!(top_level_keys("a: 1\nb: 2").unwrap(), vec!["a", "b"]);
    }
}
