//! Front matter, read in two steps: raw serde structs that mirror what a writer typed, then
//! validated documents ([`Briefing`], [`TermPage`]) with typed dates, outcomes and slugs.
//!
//! Every problem is located in the file itself (the YAML block starts on line 2, so positions
//! the parser gives are shifted), worded for writers, and all problems of a file are reported
//! together where the parser allows. Markdown bodies are kept as text: rendering them is
//! `markdown`'s job.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::{Body, Briefing, Citation, Extra, Source, TermPage};
use crate::diagnostic::{Diagnostic, Location, Problem};
use crate::load::date::LaunchDate;
use crate::load::yaml::{self, YamlError};
use crate::vocabulary::Outcome;
use crate::vocabulary::TaxonomyKind;

/// The keys of a briefing's front matter.
pub const BRIEFING_KEYS: &[&str] = &[
    "title",
    "date",
    "rockets",
    "countries",
    "satellites",
    "launched_by",
    "outcome",
    "summary",
    "tags",
    "sources",
    "draft",
    "slug",
    "extra",
    "redirect_from",
];
const ROCKET_PAGE_KEYS: &[&str] = &["name", "aliases", "country", "extra"];
const TERM_PAGE_KEYS: &[&str] = &["name", "aliases", "extra"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBriefing {
    title: Option<Scalar>,
    date: Option<Scalar>,
    rockets: Option<Names>,
    countries: Option<Names>,
    satellites: Option<Names>,
    launched_by: Option<Scalar>,
    outcome: Option<Scalar>,
    summary: Option<Scalar>,
    tags: Option<Names>,
    sources: Option<Citations>,
    draft: Option<bool>,
    slug: Option<Scalar>,
    extra: Option<serde_json::Value>,
    redirect_from: Option<Names>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a source with `title:` and optional `url:`"
)]
struct RawCitation {
    title: Scalar,
    url: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTermPage {
    name: Option<Scalar>,
    aliases: Option<Names>,
    country: Option<Scalar>,
    extra: Option<serde_json::Value>,
}

/// A YAML scalar read as text: `title: 1984` is a title, not a type error.
#[derive(Debug)]
pub(super) struct Scalar(pub(super) String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a single value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// The most entries one list of front matter may hold (`rockets`, `tags`, `sources`,
/// `aliases`...): a rideshare launch carries some 150 satellites, and a list of millions
/// would hold up every later stage.
pub const MAX_LIST: usize = 1_000;

/// A list as read: its first [`MAX_LIST`] entries, and how many it had, so that one too long
/// is reported at its key rather than read on.
#[derive(Debug)]
struct Listed<T> {
    items: Vec<T>,
    count: usize,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            items: Vec::new(),
            count: 0,
        }
    }
}

/// Reads up to [`MAX_LIST`] entries of `seq`, then only counts the rest (each is still
/// parsed, so the cost stays linear in the text).
fn read_listed<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(
    mut seq: A,
) -> Result<Listed<T>, A::Error> {
    let mut listed = Listed::default();
    while listed.count < MAX_LIST {
        let Some(item) = seq.next_element()? else {
            return Ok(listed);
        };
        listed.items.push(item);
        listed.count += 1;
    }
    while seq.next_element::<de::IgnoredAny>()?.is_some() {
        listed.count += 1;
    }
    Ok(listed)
}

/// A list of names; a single name is a list of one (`rockets: H3`).
#[derive(Debug, Default)]
pub(super) struct Names(Listed<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NamesVisitor).map(Names)
    }
}

struct NamesVisitor;

impl NamesVisitor {
    fn one(name: String) -> Listed<String> {
        Listed {
            items: vec![name],
            count: 1,
        }
    }
}

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Listed<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a name or a list of names, like [Chollima-1]")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Self::one(v.to_owned()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Self::one(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Self::one(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Listed::default())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let listed: Listed<Scalar> = read_listed(seq)?;
        Ok(Listed {
            items: listed.items.into_iter().map(|Scalar(name)| name).collect(),
            count: listed.count,
        })
    }
}

/// The `sources` of a briefing.
#[derive(Debug, Default)]
struct Citations(Listed<RawCitation>);

impl<'de> Deserialize<'de> for Citations {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_seq(CitationsVisitor)
            .map(Citations)
    }
}

struct CitationsVisitor;

impl<'de> Visitor<'de> for CitationsVisitor {
    type Value = Listed<RawCitation>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        read_listed(seq)
    }
}

/// The parts of a file: its YAML block and its body, with the lines they start on.
pub(super) struct Split<'a> {
    pub(super) yaml: &'a str,
    pub(super) body: Body,
}

/// The YAML block begins on this line of the file (after the opening `---`).
const YAML_FIRST_LINE: usize = 2;

pub(super) fn split<'a>(source: &'a Source) -> Result<Split<'a>, Diagnostic> {
    let text = &*source.text;
    let at_start = || Location::in_text(&source.path, text, 1, 1);
    if text.trim().is_empty() {
        return Err(Diagnostic::error(at_start(), Problem::EmptyFile));
    }
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Err(Diagnostic::error(at_start(), Problem::NoFrontMatter));
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if matches!(line.trim_end(), "---" | "...") {
            let body_start = offset + line.len();
            // `rest` is the end of the file's text.
            let start = text.len() - rest.len() + body_start;
            let body = Body::within(&source.text, start, YAML_FIRST_LINE + index + 1);
            return Ok(Split {
                yaml: &rest[..offset],
                body,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(at_start(), Problem::UnclosedFrontMatter))
}

/// Where a problem in the YAML block sits in the file.
pub(super) struct Block<'a> {
    pub(super) source: &'a Source,
    pub(super) yaml: &'a str,
}

impl Block<'_> {
    pub(super) fn at(&self, yaml_line: usize, column: usize) -> Location {
        Location::in_text(
            &self.source.path,
            &self.source.text,
            yaml_line + YAML_FIRST_LINE - 1,
            column,
        )
    }

    pub(super) fn at_key(&self, key: &str) -> Location {
        let (line, column) = yaml::key_position(self.yaml, key).unwrap_or((0, 1));
        self.at(line, column)
    }

    /// At `needle` in the value of `key`, else at the key.
    fn at_value(&self, key: &str, needle: &str) -> Location {
        match yaml::value_position(self.yaml, key, needle) {
            Some((line, column)) => self.at(line, column),
            None => self.at_key(key),
        }
    }

    pub(super) fn error_at_key(&self, key: &str, problem: Problem) -> Diagnostic {
        Diagnostic::error(self.at_key(key), problem)
    }

    /// The top-level keys not in `known`, and an error for each at its line.
    fn unknown_keys(
        &self,
        keys: &[String],
        known: &[&'static str],
    ) -> (Vec<String>, Vec<Diagnostic>) {
        let unknown: Vec<String> = keys
            .iter()
            .filter(|key| !known.contains(&key.as_str()))
            .cloned()
            .collect();
        let errors = unknown
            .iter()
            .map(|key| {
                // Under the key itself, where the typo is: top-level keys start their line.
                let line = yaml::key_position(self.yaml, key).map_or(0, |(line, _)| line);
                let problem = Problem::UnknownKey {
                    key: key.clone(),
                    known: known.to_vec(),
                };
                Diagnostic::error(self.at(line, 1), problem)
            })
            .collect();
        (unknown, errors)
    }

    fn yaml_error(&self, error: YamlError, known: &[&'static str]) -> Diagnostic {
        let problem = error.problem("the front matter", known, YAML_FIRST_LINE);
        Diagnostic::error(self.at(error.line, error.column), problem)
    }

    /// The raw document, with an error for each unknown key. Unknown keys are left out of
    /// the parse rather than stopping it, so that a writer sees every problem of the file
    /// at once (`rocket:` and a bad `date:` together).
    pub(super) fn parse<T: serde::de::DeserializeOwned>(
        &self,
        known: &'static [&'static str],
    ) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        self.parse_with(known, &[])
    }

    /// Like [`Block::parse`], with the keys of declared taxonomies known too but left out
    /// of `T` (read them with [`Block::names_of`]).
    pub(super) fn parse_with<T: serde::de::DeserializeOwned>(
        &self,
        known: &'static [&'static str],
        declared: &[&'static str],
    ) -> Result<(T, Vec<Diagnostic>), Vec<Diagnostic>> {
        let all: Vec<&'static str> = known.iter().chain(declared).copied().collect();
        let bounded =
            yaml::bounded(self.yaml).map_err(|error| vec![self.yaml_error(error, &all)])?;
        let (mut unknown, mut errors) = self.unknown_keys(bounded.keys(), &all);
        unknown.extend(declared.iter().map(|key| (*key).to_owned()));
        match bounded.parse_without(&unknown) {
            Ok(raw) => Ok((raw, errors)),
            Err(error) => {
                errors.push(self.yaml_error(error, &all));
                Err(errors)
            }
        }
    }

    /// The names listed under each of `keys` (a single name is a list of one), with an error
    /// for a value that is not names or a list that is too long.
    fn names_of(&self, keys: &[&'static str]) -> Result<Vec<Vec<String>>, Vec<Diagnostic>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: BTreeMap<String, Option<Names>> = yaml::parse_keys(self.yaml, keys)
            .map_err(|error| vec![self.yaml_error(error, keys)])?;
        let mut errors = Vec::new();
        let counts: Vec<(&str, usize)> = keys
            .iter()
            .map(|key| {
                let count = values
                    .get(*key)
                    .and_then(Option::as_ref)
                    .map_or(0, |n| n.0.count);
                (*key, count)
            })
            .collect();
        self.lists_too_long(&counts, &mut errors);
        let lists: Vec<Vec<String>> = keys
            .iter()
            .map(|key| names(values.remove(*key).flatten()))
            .collect();
        for (key, list) in keys.iter().zip(&lists) {
            errors.extend(check_names(self, key, list));
        }
        if errors.is_empty() {
            Ok(lists)
        } else {
            Err(errors)
        }
    }

    /// An error at `key` for each list longer than [`MAX_LIST`].
    fn lists_too_long(&self, lists: &[(&str, usize)], errors: &mut Vec<Diagnostic>) {
        for &(key, count) in lists {
            if count > MAX_LIST {
                let problem = Problem::ListTooLong {
                    key: key.to_owned(),
                    count,
                    limit: MAX_LIST,
                };
                errors.push(self.error_at_key(key, problem));
            }
        }
    }
}

/// Reads one briefing file into a validated [`Briefing`], or every problem found in it.
pub fn parse_briefing(source: &Source) -> Result<Briefing, Vec<Diagnostic>> {
    parse_briefing_with(source, &[])
}

/// Like [`parse_briefing`], for a site whose `site.yaml` declares `taxonomies` of its own:
/// their names are keys of the front matter too.
pub fn parse_briefing_with(
    source: &Source,
    taxonomies: &[TaxonomyKind],
) -> Result<Briefing, Vec<Diagnostic>> {
    let split = split(source).map_err(|d| vec![d])?;
    let block = Block {
        source,
        yaml: split.yaml,
    };
    let declared: Vec<TaxonomyKind> = taxonomies
        .iter()
        .copied()
        .filter(|kind| matches!(kind, TaxonomyKind::Declared(_)))
        .collect();
    let keys: Vec<&'static str> = declared.iter().map(|kind| kind.name()).collect();
    let (raw, mut errors): (RawBriefing, _) = block.parse_with(BRIEFING_KEYS, &keys)?;
    let declared: Vec<(TaxonomyKind, Vec<String>)> = match block.names_of(&keys) {
        Ok(lists) => declared.into_iter().zip(lists).collect(),
        Err(found) => {
            errors.extend(found);
            Vec::new()
        }
    };

    let title = non_empty(raw.title);
    if title.is_none() {
        errors.push(missing(&block, "title", "briefing"));
    }
    let date = match raw.date.map(|Scalar(text)| text) {
        None => {
            errors.push(missing(&block, "date", "briefing"));
            None
        }
        Some(text) => LaunchDate::parse(&text).or_else(|| {
            let problem = match crate::load::date::unreal_offset(&text) {
                Some(offset) => Problem::BadOffset {
                    value: text,
                    offset,
                },
                None => Problem::BadDate { value: text },
            };
            errors.push(block.error_at_key("date", problem));
            None
        }),
    };
    let outcome = raw.outcome.map(|Scalar(word)| {
        Outcome::parse(&word)
            .ok_or_else(|| block.error_at_key("outcome", Problem::BadOutcome { value: word }))
    });
    let outcome = match outcome.transpose() {
        Ok(outcome) => outcome,
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let slug = slug(raw.slug, &block, &mut errors);
    let count = |names: &Option<Names>| names.as_ref().map_or(0, |n| n.0.count);
    block.lists_too_long(
        &[
            ("rockets", count(&raw.rockets)),
            ("countries", count(&raw.countries)),
            ("satellites", count(&raw.satellites)),
            ("tags", count(&raw.tags)),
            ("sources", raw.sources.as_ref().map_or(0, |s| s.0.count)),
        ],
        &mut errors,
    );
    let sources = raw.sources.unwrap_or_default().0.items;
    if sources.iter().any(|c| c.title.0.trim().is_empty()) {
        errors.push(block.error_at_key(
            "sources",
            Problem::EmptyValue {
                key: "sources[].title",
            },
        ));
    }

    let (rockets, countries) = (names(raw.rockets), names(raw.countries));
    let (satellites, tags) = (names(raw.satellites), names(raw.tags));
    let launched_by = non_empty(raw.launched_by);
    for (key, list) in [
        ("rockets", &rockets[..]),
        ("countries", &countries),
        ("satellites", &satellites),
        ("tags", &tags),
        ("launched_by", launched_by.as_slice()),
    ] {
        errors.extend(check_names(&block, key, list));
    }
    errors.extend(check_source_urls(&block, &sources));
    let extra = extra(raw.extra, &block, &mut errors);
    let redirect_from = redirects(raw.redirect_from, &block, &mut errors);

    let (Some(title), Some(date), Some(slug), true) = (title, date, slug, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Briefing {
        source: source.path.clone(),
        slug,
        title,
        date,
        rockets,
        countries,
        satellites,
        tags,
        declared,
        launched_by,
        outcome,
        summary: non_empty(raw.summary),
        sources: sources
            .into_iter()
            .map(|c| Citation {
                title: c.title.0.trim().to_owned(),
                url: non_empty(c.url),
            })
            .collect(),
        draft: raw.draft.unwrap_or(false),
        extra,
        redirect_from,
        body: split.body,
    })
}

/// The `slug:` of a briefing or page, checked, else the file's stem; a bad one goes to
/// `errors`.
pub(super) fn slug(
    written: Option<Scalar>,
    block: &Block,
    errors: &mut Vec<Diagnostic>,
) -> Option<String> {
    let slug = match written {
        Some(Scalar(slug)) => check_slug(&slug)
            .map(|()| slug)
            .map_err(|p| block.error_at_key("slug", p)),
        None => slug_from_stem(&block.source.path)
            .map_err(|p| Diagnostic::error(Location::file(&block.source.path), p)),
    };
    slug.map_err(|error| errors.push(error)).ok()
}

/// `extra:` must be a mapping; its contents are the writer's own.
pub(super) fn extra(
    value: Option<serde_json::Value>,
    block: &Block,
    errors: &mut Vec<Diagnostic>,
) -> Extra {
    match value {
        None | Some(serde_json::Value::Null) => Extra::default(),
        Some(serde_json::Value::Object(map)) => Extra(map),
        Some(_) => {
            let problem = Problem::WrongType {
                key: "extra".to_owned(),
                message: "must be `key: value` lines (a mapping)".to_owned(),
            };
            errors.push(block.error_at_key("extra", problem));
            Extra::default()
        }
    }
}

/// `redirect_from:` paths inside the site; a path that is not one is located at itself.
pub(super) fn redirects(
    value: Option<Names>,
    block: &Block,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let count = value.as_ref().map_or(0, |n| n.0.count);
    block.lists_too_long(&[("redirect_from", count)], errors);
    let mut paths = Vec::new();
    for path in names(value) {
        match check_redirect(&path) {
            Ok(()) => paths.push(path),
            Err(reason) => {
                let location = match yaml::value_position(block.yaml, "redirect_from", &path) {
                    Some((line, column)) => block.at(line, column),
                    None => block.at_key("redirect_from"),
                };
                errors.push(Diagnostic::error(
                    location,
                    Problem::BadRedirect { path, reason },
                ));
            }
        }
    }
    paths
}

/// An old address of this site: a path from its root, without query, fragment or `..`.
fn check_redirect(path: &str) -> Result<(), &'static str> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err("must be a path from the site's root, starting with `/` (`/old/url/`)");
    }
    if path.contains(['?', '#', '\\']) || path.chars().any(char::is_whitespace) {
        return Err("may not hold spaces, `?`, `#` or `\\`");
    }
    if path
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return Err("may not hold `.` or `..` segments");
    }
    if path == "/" {
        return Err("cannot be the home page");
    }
    Ok(())
}

/// Reads one term page (`content/rockets/h3.md`) into a [`TermPage`].
pub fn parse_term_page(kind: TaxonomyKind, source: &Source) -> Result<TermPage, Vec<Diagnostic>> {
    let split = split(source).map_err(|d| vec![d])?;
    let block = Block {
        source,
        yaml: split.yaml,
    };
    let known = if kind == TaxonomyKind::Rockets {
        ROCKET_PAGE_KEYS
    } else {
        TERM_PAGE_KEYS
    };
    let (raw, mut errors): (RawTermPage, _) = block.parse(known)?;
    let alias_count = raw.aliases.as_ref().map_or(0, |names| names.0.count);
    block.lists_too_long(&[("aliases", alias_count)], &mut errors);
    let (name, aliases, country) = (
        non_empty(raw.name),
        names(raw.aliases),
        non_empty(raw.country),
    );
    errors.extend(check_names(&block, "name", name.as_slice()));
    errors.extend(check_names(&block, "aliases", &aliases));
    errors.extend(check_names(&block, "country", country.as_slice()));
    let extra = extra(raw.extra, &block, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let slug = slug_from_stem(&source.path)
        .map_err(|p| vec![Diagnostic::error(Location::file(&source.path), p)])?;
    Ok(TermPage {
        source: source.path.clone(),
        kind,
        slug,
        name,
        aliases,
        country,
        extra,
        body: split.body,
    })
}

/// Where a key of a parsed file's front matter is: at `needle` within its value when given
/// and found, else at the value, else at the first line. Used by checks that run after
/// parsing (the parsed documents keep no positions).
pub fn locate(source: &Source, key: &str, needle: Option<&str>) -> Location {
    let Ok(split) = split(source) else {
        return Location::file(&source.path);
    };
    let block = Block {
        source,
        yaml: split.yaml,
    };
    let found = needle
        .and_then(|needle| yaml::value_position(block.yaml, key, needle))
        .or_else(|| yaml::key_position(block.yaml, key));
    match found {
        Some((line, column)) => block.at(line, column),
        None => Location::in_text(&source.path, &source.text, 1, 1),
    }
}

pub(super) fn missing(block: &Block, key: &'static str, kind: &'static str) -> Diagnostic {
    let location = match yaml::key_position(block.yaml, key) {
        Some((line, column)) => block.at(line, column),
        None => Location::in_text(&block.source.path, &block.source.text, 1, 1),
    };
    Diagnostic::error(location, Problem::MissingKey { key, kind })
}

pub(super) fn non_empty(value: Option<Scalar>) -> Option<String> {
    value
        .map(|Scalar(text)| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// The names of a list, trimmed, without blanks and repeats, in the order written. A set
/// of the names seen keeps this linear in the length of the list.
pub(super) fn names(value: Option<Names>) -> Vec<String> {
    let listed = value.unwrap_or_default().0.items;
    let mut seen: HashSet<&str> = HashSet::with_capacity(listed.len());
    let mut names: Vec<String> = Vec::new();
    for name in &listed {
        let name = name.trim();
        if !name.is_empty() && seen.insert(name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// Every name of `list` (under `key`) must make a slug, the name of its page's folder: one
/// of letters or digits, and not too long for a file system.
fn check_names(block: &Block, key: &str, list: &[String]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for name in list {
        let slug = crate::vocabulary::slugify(name);
        let problem = if slug.is_empty() {
            Problem::EmptyTermSlug { name: name.clone() }
        } else if slug.len() > crate::vocabulary::MAX_SLUG_BYTES {
            Problem::NameTooLong {
                name: name.chars().take(40).chain(['…']).collect(),
                bytes: slug.len(),
            }
        } else {
            continue;
        };
        errors.push(Diagnostic::error(block.at_value(key, name), problem));
    }
    errors
}

/// A source's URL becomes a link on the page: it may be a web or mail address, or a path
/// without a scheme (which `check` warns about), never `javascript:` or `data:`.
fn check_source_urls(block: &Block, sources: &[RawCitation]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for url in sources.iter().filter_map(|c| c.url.as_ref()) {
        let Some(scheme) = forbidden_scheme(&url.0) else {
            continue;
        };
        let problem = Problem::SourceScheme {
            url: url.0.trim().to_owned(),
            scheme,
        };
        errors.push(Diagnostic::error(
            block.at_value("sources", url.0.trim()),
            problem,
        ));
    }
    errors
}

/// The scheme of `url` unless it is http, https or mailto (or there is none). Browsers drop
/// tabs and line breaks anywhere in a URL and leading spaces and controls, so `java\tscript:`
/// is `javascript:` to them: the scheme is read the same way.
fn forbidden_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if !cleaned[end..].starts_with(':') {
        return None;
    }
    let scheme = cleaned[..end].to_ascii_lowercase();
    (!matches!(scheme.as_str(), "http" | "https" | "mailto")).then_some(scheme)
}

/// A slug a writer set must already be a safe URL segment.
pub(super) fn check_slug(slug: &str) -> Result<(), Problem> {
    let bad = |reason| {
        Err(Problem::BadSlug {
            slug: slug.to_owned(),
            reason,
        })
    };
    if slug.is_empty() {
        return bad("is empty");
    }
    if slug.contains('/') || slug.contains('\\') {
        return bad("contains `/`: a slug is one segment of a URL");
    }
    if slug.contains("..") {
        return bad("contains `..`");
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return bad("may only hold lowercase letters a-z, digits, `-` and `_`");
    }
    check_slug_length(slug)
}

/// A slug names a folder of the output: it must fit in a file name everywhere.
fn check_slug_length(slug: &str) -> Result<(), Problem> {
    if slug.len() > crate::vocabulary::MAX_SLUG_BYTES {
        return Err(Problem::SlugTooLong {
            slug: slug.to_owned(),
            bytes: slug.len(),
        });
    }
    Ok(())
}

/// A file's slug is its stem (a bundle's: its folder's name), made URL-safe the way term
/// names are.
pub(super) fn slug_from_stem(path: &Path) -> Result<String, Problem> {
    // A bundle (`<stem>/index.md`) is named by its folder.
    let named = if super::bundle::is_bundle(path) {
        path.parent().and_then(Path::file_name)
    } else {
        path.file_stem()
    };
    let stem = named.map(|s| s.to_string_lossy()).unwrap_or_default();
    let slug = crate::vocabulary::slugify(&stem);
    if slug.is_empty() {
        return Err(Problem::BadSlug {
            slug: stem.into_owned(),
            reason: "has no letters or digits to make a URL of",
        });
    }
    check_slug_length(&slug)?;
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(text: &str) -> Source {
        Source {
            path: PathBuf::from("content/briefings/2023-08-24-x.md"),
            text: text.into(),
        }
    }

    #[test]
    fn a_body_shares_its_file_text_until_it_lets_go() {
        let file = source("---\ntitle: x\n---\nThe body.\n");
        let mut body = split(&file).unwrap().body;
        assert_eq!(body.markdown(), "The body.\n");
        assert_eq!(body.first_line, 4);
        assert!(std::sync::Arc::ptr_eq(&body.text, &file.text));
        assert_eq!(body, Body::new("The body.\n", 4));
        body.forget_text();
        assert_eq!(body.markdown(), "");
        assert_eq!(std::sync::Arc::strong_count(&file.text), 1);
    }

    fn errors(text: &str) -> Vec<Diagnostic> {
        parse_briefing(&source(text)).unwrap_err()
    }

    #[test]
    fn reads_a_complete_briefing() {
        let text = "---\ntitle: Second launch fails\ndate: 2023-08-24\nrockets: Chollima-1\ncountries: [North Korea, Japan]\noutcome: Failure\nsources:\n  - title: KCNA\n---\nBody.\n";
        let briefing = parse_briefing(&source(text)).unwrap();
        assert_eq!(briefing.slug, "2023-08-24-x");
        assert_eq!(briefing.rockets, vec!["Chollima-1"]);
        assert_eq!(briefing.outcome, Some(Outcome::Failure));
        assert_eq!(
            briefing.sources,
            vec![Citation {
                title: "KCNA".into(),
                url: None
            }]
        );
        assert_eq!(briefing.body, Body::new("Body.\n", 10));
    }

    #[test]
    fn every_unknown_key_is_reported_with_a_suggestion() {
        let found =
            errors("---\ntitle: x\ndate: 2023-01-01\nrocket: [H3]\ncountrys: [Japan]\n---\n");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].location.line, found[0].location.column), (4, 1));
        assert_eq!(
            found[0].problem.help().as_deref(),
            Some("did you mean `rockets`?")
        );
        assert_eq!(
            found[1].problem.help().as_deref(),
            Some("did you mean `countries`?")
        );
    }

    #[test]
    fn an_unknown_key_does_not_hide_the_other_problems() {
        let found = errors("---\ntitle: x\nrocket: [H3]\ndate: 2023-02-30\noutcome: sucess\n---\n");
        let codes: Vec<_> = found
            .iter()
            .map(|d| (d.problem.code(), d.location.line))
            .collect();
        assert_eq!(
            codes,
            vec![("unknown-key", 3), ("bad-date", 4), ("bad-outcome", 5)]
        );
        let found = errors("---\ntitle: x\nrocket:\n  - H3\ndraft: maybe\n---\n");
        let codes: Vec<_> = found
            .iter()
            .map(|d| (d.problem.code(), d.location.line))
            .collect();
        assert_eq!(codes, vec![("unknown-key", 3), ("wrong-type", 5)]);
    }

    #[test]
    fn missing_title_and_bad_date_are_both_reported() {
        let found = errors("---\ndate: 2023-02-30\n---\n");
        let codes: Vec<_> = found.iter().map(|d| d.problem.code()).collect();
        assert_eq!(codes, vec!["missing-key", "bad-date"]);
        assert_eq!((found[1].location.line, found[1].location.column), (2, 7));
    }

    #[test]
    fn bad_outcome_suggests_the_closest_word() {
        let found = errors("---\ntitle: x\ndate: 2023-08-24\noutcome: sucess\n---\n");
        assert_eq!(
            found[0].problem,
            Problem::BadOutcome {
                value: "sucess".into()
            }
        );
        assert_eq!(found[0].location.line, 4);
        assert_eq!(
            found[0].problem.help().as_deref(),
            Some("did you mean `success`?")
        );
    }

    #[test]
    fn wrong_types_are_located_and_reworded() {
        let found = errors("---\ntitle: x\ndate: 2023-08-24\ndraft: maybe\n---\n");
        assert_eq!(found[0].location.line, 4);
        assert_eq!(
            found[0].problem.to_string(),
            "`draft` must be true or false, not `maybe`"
        );
    }

    #[test]
    fn a_list_past_the_limit_is_an_error_at_its_key() {
        let tags = vec!["t"; MAX_LIST + 1].join(", ");
        let found = errors(&format!(
            "---\ntitle: x\ndate: 2023-08-24\ntags: [{tags}]\n---\n"
        ));
        assert_eq!(
            found[0].problem,
            Problem::ListTooLong {
                key: "tags".into(),
                count: MAX_LIST + 1,
                limit: MAX_LIST
            }
        );
        assert_eq!((found[0].location.line, found[0].location.column), (4, 7));
        let at_the_limit = vec!["t"; MAX_LIST].join(", ");
        let text = format!("---\ntitle: x\ndate: 2023-08-24\ntags: [{at_the_limit}]\n---\n");
        assert_eq!(parse_briefing(&source(&text)).unwrap().tags, vec!["t"]);
    }

    #[test]
    fn names_keep_their_first_spelling_once_in_order() {
        let listed = Listed {
            count: 5,
            items: ["H3", " Nuri", "H3", "", "Nuri", "Epsilon"]
                .map(str::to_owned)
                .to_vec(),
        };
        assert_eq!(names(Some(Names(listed))), vec!["H3", "Nuri", "Epsilon"]);
    }

    #[test]
    fn structural_problems() {
        assert_eq!(errors("")[0].problem, Problem::EmptyFile);
        assert_eq!(errors("title: x\n")[0].problem, Problem::NoFrontMatter);
        assert_eq!(
            errors("---\ntitle: x\n")[0].problem,
            Problem::UnclosedFrontMatter
        );
        let found = errors("---\ntitle: [x\ndate: 2023-01-01\n---\n");
        assert_eq!(found[0].problem.code(), "malformed-yaml");
        assert!(found[0].location.line >= 2);
    }

    #[test]
    fn slugs_may_not_escape() {
        for slug in ["../up", "a/b", "Has Space", "x..y"] {
            let found = errors(&format!(
                "---\ntitle: x\ndate: 2023-08-24\nslug: \"{slug}\"\n---\n"
            ));
            assert_eq!(found[0].problem.code(), "bad-slug", "{slug}");
            assert_eq!(found[0].location.line, 4);
        }
    }

    #[test]
    fn locates_keys_and_names_after_parsing() {
        let text =
            source("---\ntitle: x\nrockets:\n  - H3\n  - Chollima-l\n---\nrockets: in the body\n");
        let at = |key, needle| {
            let location = locate(&text, key, needle);
            (location.line, location.column)
        };
        assert_eq!(at("rockets", Some("Chollima-l")), (5, 5));
        assert_eq!(at("rockets", Some("Nuri")), (3, 9));
        assert_eq!(at("title", None), (2, 8));
        assert_eq!(at("outcome", None), (1, 1));
    }

    #[test]
    fn term_pages_take_aliases_and_country() {
        let page = Source { path: PathBuf::from("content/rockets/chollima-1.md"), text: "---\nname: Chollima-1\naliases: [\"Ch'ollima-1\"]\ncountry: North Korea\n---\nA rocket.\n".into() };
        let term = parse_term_page(TaxonomyKind::Rockets, &page).unwrap();
        assert_eq!(
            (term.slug.as_str(), term.country.as_deref()),
            ("chollima-1", Some("North Korea"))
        );
        let country = Source {
            path: PathBuf::from("content/countries/japan.md"),
            text: "---\ncountry: x\n---\n".into(),
        };
        assert_eq!(
            parse_term_page(TaxonomyKind::Countries, &country).unwrap_err()[0]
                .problem
                .code(),
            "unknown-key"
        );
    }
}
