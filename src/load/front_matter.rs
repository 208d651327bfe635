//! Front matter, read in two steps: raw serde structs that mirror what a writer typed, then
//! validated documents ([`Briefing`], [`TermPage`]) with typed dates, outcomes and slugs.
//!
//! Every problem is located in the file itself (the YAML block starts on line 2, so positions
//! the parser gives are shifted), worded for writers, and all problems of a file are reported
//! together where the parser allows. Markdown bodies are kept as text: rendering them is
//! `markdown`'s job.

use std::collections::BTreeMap;
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
    sources: Option<Vec<RawCitation>>,
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

/// A list of names; a single name is a list of one (`rockets: H3`).
#[derive(Debug, Default)]
pub(super) struct Names(Vec<String>);

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NamesVisitor).map(Names)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a name or a list of names, like [Chollima-1]")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(vec![v.to_owned()])
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(vec![v.to_string()])
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut names = Vec::new();
        while let Some(Scalar(name)) = seq.next_element()? {
            names.push(name);
        }
        Ok(names)
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
    let text = source.text.as_str();
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
            let body = Body {
                markdown: rest[body_start..].to_owned(),
                first_line: YAML_FIRST_LINE + index + 1,
            };
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

    pub(super) fn error_at_key(&self, key: &str, problem: Problem) -> Diagnostic {
        Diagnostic::error(self.at_key(key), problem)
    }

    /// The top-level keys not in `known`, and an error for each at its line.
    fn unknown_keys(
        &self,
        known: &[&'static str],
    ) -> Result<(Vec<String>, Vec<Diagnostic>), Vec<Diagnostic>> {
        let keys =
            yaml::top_level_keys(self.yaml).map_err(|error| vec![self.yaml_error(error, known)])?;
        let unknown: Vec<String> = keys
            .into_iter()
            .filter(|key| !known.contains(&key.as_str()))
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
        Ok((unknown, errors))
    }

    fn yaml_error(&self, error: YamlError, known: &[&'static str]) -> Diagnostic {
        let problem = error.problem(known, YAML_FIRST_LINE);
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
        let (mut unknown, mut errors) = self.unknown_keys(&all)?;
        unknown.extend(declared.iter().map(|key| (*key).to_owned()));
        let yaml = if unknown.is_empty() {
            self.yaml.to_owned()
        } else {
            yaml::without_keys(self.yaml, &unknown)
        };
        match yaml::parse(&yaml) {
            Ok(raw) => Ok((raw, errors)),
            Err(error) => {
                errors.push(self.yaml_error(error, &all));
                Err(errors)
            }
        }
    }

    /// The names listed under each of `keys` (a single name is a list of one), or an error
    /// at a key whose value is not names.
    fn names_of(&self, keys: &[&'static str]) -> Result<Vec<Vec<String>>, Vec<Diagnostic>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: BTreeMap<String, Option<Names>> = yaml::parse_keys(self.yaml, keys)
            .map_err(|error| vec![self.yaml_error(error, keys)])?;
        Ok(keys
            .iter()
            .map(|key| names(values.remove(*key).flatten()))
            .collect())
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
            errors.push(block.error_at_key("date", Problem::BadDate { value: text }));
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
    let slug = match raw.slug {
        Some(Scalar(slug)) => check_slug(&slug)
            .map(|()| slug)
            .map_err(|p| block.error_at_key("slug", p)),
        None => slug_from_stem(&source.path)
            .map_err(|p| Diagnostic::error(Location::file(&source.path), p)),
    };
    let slug = slug.map_err(|error| errors.push(error)).ok();
    let sources = raw.sources.unwrap_or_default();
    if sources.iter().any(|c| c.title.0.trim().is_empty()) {
        errors.push(block.error_at_key(
            "sources",
            Problem::EmptyValue {
                key: "sources[].title",
            },
        ));
    }

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
        rockets: names(raw.rockets),
        countries: names(raw.countries),
        satellites: names(raw.satellites),
        tags: names(raw.tags),
        declared,
        launched_by: non_empty(raw.launched_by),
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

/// `redirect_from:` paths inside the site, each normalised to start with `/`; a path that
/// is not one is located at itself.
pub(super) fn redirects(
    value: Option<Names>,
    block: &Block,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
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
        name: non_empty(raw.name),
        aliases: names(raw.aliases),
        country: non_empty(raw.country),
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

pub(super) fn names(value: Option<Names>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in value.unwrap_or_default().0 {
        let name = name.trim();
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
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
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(text: &str) -> Source {
        Source {
            path: PathBuf::from("content/briefings/2023-08-24-x.md"),
            text: text.to_owned(),
        }
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
        assert_eq!(
            briefing.body,
            Body {
                markdown: "Body.\n".into(),
                first_line: 10
            }
        );
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
