//! `apogee new`: scaffolds a briefing with complete front matter, ready to fill in.
//!
//! The names a writer passes are normalised to the `name` of the term page they stand for
//! (`--rocket "chollima 1"` → `Chollima-1`, `--country DPRK` → `North Korea`), using the
//! site's own term pages read the way a build reads them. Names no page knows are kept as
//! written, with a note (and a did-you-mean when one is close). The file is created, never
//! overwritten, as `content/briefings/<date>-<slug-of-title>.md`, marked `draft: true`.
//! This module does not open editors or print: the command line does. [`init`] starts a
//! whole site.

pub mod init;

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diagnostic::{self, Diagnostic, Location, Problem};
use crate::index::markdown::Article;
use crate::index::taxonomy::{self, Taxonomy};
use crate::load::config;
use crate::load::date::LaunchDate;
use crate::load::yaml;
use crate::load::{self, BRIEFINGS_DIR, CONTENT_DIR, Source, TermPage};
use crate::vocabulary::Outcome;
use crate::vocabulary::{TaxonomyKind, slugify};

/// What the writer asked for.
#[derive(Debug, Clone)]
pub struct NewBriefing {
    /// The site root.
    pub root: PathBuf,
    /// The headline.
    pub title: String,
    /// Rocket names, as typed.
    pub rockets: Vec<String>,
    /// Country names, as typed.
    pub countries: Vec<String>,
    /// What happened, if known already.
    pub outcome: Option<Outcome>,
    /// The launch date; else `today`.
    pub date: Option<LaunchDate>,
    /// Today, in the writer's time zone.
    pub today: Date,
}

/// A briefing scaffolded on disk.
#[derive(Debug, Clone)]
pub struct Created {
    /// The new file, relative to the site root.
    pub path: PathBuf,
    /// Notes about names no term page knows, located in the new file.
    pub notes: Vec<Diagnostic>,
}

/// A name as it goes into the file, and the note it earned if no page knows it.
struct Resolved {
    names: Vec<String>,
    unknown: Vec<(String, Option<String>)>,
}

/// Writes the new briefing, or says why not (the site's configuration is broken, the title
/// makes no file name, the file exists already, the disk refused).
pub fn create(request: &NewBriefing) -> Result<Created, Vec<Diagnostic>> {
    let slug = slugify(&request.title);
    if slug.is_empty() {
        return Err(vec![Diagnostic::error(
            Location::file(Path::new("<title>")),
            Problem::TitleWithoutSlug,
        )]);
    }
    let config = config::load(&request.root)?;
    let rockets_known = known_terms(&request.root, &config.taxonomies, TaxonomyKind::Rockets);
    let countries_known = known_terms(&request.root, &config.taxonomies, TaxonomyKind::Countries);

    let rockets = resolve(&request.rockets, &rockets_known.taxonomy);
    let operators: Vec<String> = rockets
        .names
        .iter()
        .filter_map(|name| rockets_known.page(name)?.country.clone())
        .collect();
    let countries = resolve(
        &[request.countries.clone(), operators].concat(),
        &countries_known.taxonomy,
    );

    let date = request
        .date
        .clone()
        .unwrap_or_else(|| LaunchDate::from_day(request.today));
    let outcome = request
        .outcome
        .or_else(|| date.is_after(request.today).then_some(Outcome::Scheduled));
    let text = front_matter(
        &request.title,
        &date,
        &rockets.names,
        &countries.names,
        outcome,
    );
    let path = Path::new(CONTENT_DIR)
        .join(BRIEFINGS_DIR)
        .join(format!("{}-{slug}.md", date.iso_day()));
    if let Some(other) = same_file_name(&request.root, &path) {
        let problem = Problem::AlreadyExists {
            path: other.clone(),
        };
        return Err(vec![Diagnostic::error(Location::file(&other), problem)]);
    }
    write_new(&request.root, &path, &text)?;

    let source = Source {
        path: path.clone(),
        text: text.into(),
    };
    let notes = [
        (TaxonomyKind::Rockets, rockets.unknown),
        (TaxonomyKind::Countries, countries.unknown),
    ]
    .into_iter()
    .flat_map(|(kind, unknown)| {
        unknown
            .into_iter()
            .map(move |(name, near)| (kind, name, near))
    })
    .map(|(kind, name, near)| {
        let location = load::front_matter::locate(&source, kind.name(), Some(&name));
        Diagnostic::warning(location, Problem::NewTerm { name, kind, near })
    })
    .collect();
    Ok(Created { path, notes })
}

/// The terms of one kind that have a page: the taxonomy made of the pages alone (their names
/// and aliases), and the pages.
struct Known {
    taxonomy: Taxonomy,
    pages: Vec<TermPage>,
}

impl Known {
    /// The page of the term `name` stands for.
    fn page(&self, name: &str) -> Option<&TermPage> {
        let term = self.taxonomy.resolve(name)?;
        self.pages.iter().find(|page| page.slug == term.slug)
    }
}

/// The site's term pages of `kind`. Broken pages are skipped: `check` reports them, and they
/// must not stop a writer.
fn known_terms(root: &Path, configured: &[TaxonomyKind], kind: TaxonomyKind) -> Known {
    let kinds: &[TaxonomyKind] = if configured.contains(&kind) {
        &[kind]
    } else {
        &[]
    };
    let (sources, _) = load::discover_term_pages(root, kinds);
    let pages: Vec<TermPage> = sources
        .iter()
        .filter_map(|(kind, source)| load::parse_term_page(*kind, source).ok())
        .collect();
    let blank = Article::default();
    let described: Vec<(&TermPage, &Article)> = pages.iter().map(|page| (page, &blank)).collect();
    let (taxonomy, _) = taxonomy::build(kind, &[], &described, &[]);
    Known { taxonomy, pages }
}

/// Each name as its term page spells it, once; unknown names kept with a possible near miss
/// (by the rule `check` warns with, so that `new` suggests `Chollima-1` for `Chollima-l`
/// but takes `Chollima-2` for the new rocket it may well be).
fn resolve(names: &[String], known: &Taxonomy) -> Resolved {
    let spellings: Vec<&str> = known
        .terms
        .iter()
        .flat_map(|term| {
            std::iter::once(&term.name)
                .chain(&term.aliases)
                .map(String::as_str)
        })
        .collect();
    let mut resolved = Resolved {
        names: Vec::new(),
        unknown: Vec::new(),
    };
    for name in names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
    {
        let spelled = match known.resolve(name) {
            Some(term) => term.name.clone(),
            None => {
                let near =
                    diagnostic::near_duplicate(name, spellings.iter().copied()).map(|spelling| {
                        known
                            .resolve(spelling)
                            .map_or(spelling, |term| term.name.as_str())
                            .to_owned()
                    });
                resolved.unknown.push((name.to_owned(), near));
                name.to_owned()
            }
        };
        if !resolved
            .names
            .iter()
            .any(|n| slugify(n) == slugify(&spelled))
        {
            resolved.names.push(spelled);
        }
    }
    resolved
}

/// The whole file: every key a briefing may have, the optional ones empty with a comment
/// saying what goes there.
fn front_matter(
    title: &str,
    date: &LaunchDate,
    rockets: &[String],
    countries: &[String],
    outcome: Option<Outcome>,
) -> String {
    let list = |names: &[String]| -> String {
        if names.is_empty() {
            return " []".to_owned();
        }
        names
            .iter()
            .map(|name| format!("\n  - {}", yaml::scalar(name)))
            .collect()
    };
    let outcome = outcome.map_or("", Outcome::key);
    [
        "---".to_owned(),
        format!("title: {}", yaml::scalar(title.trim())),
        format!("date: {}", date.machine()),
        format!("rockets:{}", list(rockets)),
        format!("countries:{}", list(countries)),
        "satellites: []".to_owned(),
        "launched_by:      # optional: the country that flew it; else its rocket's country"
            .to_owned(),
        format!("outcome: {outcome:<8} # success | failure | partial | scheduled | unknown"),
        "summary:          # optional: one sentence for lists and feeds; else the first paragraph"
            .to_owned(),
        "tags: []".to_owned(),
        "sources: []       # - title: Agency statement".to_owned(),
        "                  #   url: https://example.org/statement".to_owned(),
        "draft: true".to_owned(),
        "---".to_owned(),
        String::new(),
    ]
    .join("\n")
}

/// A briefing in a subfolder with the file name of `path` (`briefings/2023/<name>.md`): it
/// has the same slug, so a second one would fail the build.
fn same_file_name(root: &Path, path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    walkdir::WalkDir::new(root.join(CONTENT_DIR).join(BRIEFINGS_DIR))
        .into_iter()
        .filter_map(Result::ok)
        .find(|entry| entry.file_type().is_file() && entry.file_name() == name)
        .map(|entry| {
            entry
                .path()
                .strip_prefix(root)
                .unwrap_or(entry.path())
                .to_path_buf()
        })
}

/// Creates `path` under `root` with `text`; an existing file is left exactly as it was.
fn write_new(root: &Path, path: &Path, text: &str) -> Result<(), Vec<Diagnostic>> {
    let unwritable = |error: std::io::Error| {
        vec![Diagnostic::error(
            Location::file(path),
            Problem::Unwritable {
                message: error.to_string(),
            },
        )]
    };
    let full = root.join(path);
    if let Some(folder) = full.parent() {
        std::fs::create_dir_all(folder).map_err(unwritable)?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&full) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            let problem = Problem::AlreadyExists {
                path: path.to_path_buf(),
            };
            return Err(vec![Diagnostic::error(Location::file(path), problem)]);
        }
        Err(error) => return Err(unwritable(error)),
    };
    file.write_all(text.as_bytes()).map_err(unwritable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = root.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "content/rockets/chollima-1.md",
            "---\nname: Chollima-1\naliases: [Chollima 1]\ncountry: North Korea\n---\n",
        );
        write(
            "content/countries/north-korea.md",
            "---\nname: North Korea\naliases: [DPRK]\n---\n",
        );
        write("content/countries/japan.md", "---\nname: Japan\n---\n");
        root
    }

    fn request(root: &Path, title: &str) -> NewBriefing {
        NewBriefing {
            root: root.to_path_buf(),
            title: title.to_owned(),
            rockets: Vec::new(),
            countries: Vec::new(),
            outcome: None,
            date: LaunchDate::parse("2023-08-24"),
            today: "2023-08-25".parse().unwrap(),
        }
    }

    #[test]
    fn known_names_take_their_page_spelling_and_the_file_parses() {
        let root = site();
        let mut asked = request(root.path(), "Second launch: lost in third-stage flight");
        asked.rockets = vec!["chollima 1".into()];
        asked.countries = vec!["Japan".into(), "DPRK".into()];
        let created = create(&asked).unwrap();
        assert_eq!(
            created.path,
            Path::new("content/briefings/2023-08-24-second-launch-lost-in-third-stage-flight.md")
        );
        assert!(created.notes.is_empty(), "{:?}", created.notes);
        let text = std::fs::read_to_string(root.path().join(&created.path)).unwrap();
        let briefing = load::parse_briefing(&Source {
            path: created.path.clone(),
            text: text.into(),
        })
        .unwrap();
        assert_eq!(briefing.title, "Second launch: lost in third-stage flight");
        assert_eq!(briefing.rockets, vec!["Chollima-1"]);
        assert_eq!(briefing.countries, vec!["Japan", "North Korea"]);
        assert_eq!((briefing.draft, briefing.outcome), (true, None));
    }

    #[test]
    fn the_rockets_country_is_added_and_future_launches_are_scheduled() {
        let root = site();
        let mut asked = request(root.path(), "Next flight");
        asked.rockets = vec!["Chollima-1".into()];
        asked.date = LaunchDate::parse("2023-09-01");
        let created = create(&asked).unwrap();
        let text = std::fs::read_to_string(root.path().join(&created.path)).unwrap();
        let briefing = load::parse_briefing(&Source {
            path: created.path,
            text: text.into(),
        })
        .unwrap();
        assert_eq!(briefing.countries, vec!["North Korea"]);
        assert_eq!(briefing.outcome, Some(Outcome::Scheduled));
    }

    #[test]
    fn unknown_names_are_kept_with_a_located_note() {
        let root = site();
        let mut asked = request(root.path(), "Typo");
        asked.rockets = vec!["Chollima-l".into(), "Chollima-2".into()];
        let created = create(&asked).unwrap();
        let notes: Vec<(usize, usize, Option<String>)> = created
            .notes
            .iter()
            .map(|n| (n.location.line, n.location.column, n.problem.help()))
            .collect();
        assert_eq!(
            notes[0],
            (5, 5, Some("did you mean `Chollima-1`?".to_owned()))
        );
        assert_eq!(notes[1].0, 6);
        assert_eq!(
            notes[1].2.as_deref(),
            Some("it gets its own page; describe it in content/rockets/chollima-2.md")
        );
    }

    #[test]
    fn never_overwrites() {
        let root = site();
        let first = create(&request(root.path(), "Same")).unwrap();
        std::fs::write(root.path().join(&first.path), "mine").unwrap();
        let again = create(&request(root.path(), "Same")).unwrap_err();
        assert_eq!(again[0].problem.code(), "already-exists");
        assert_eq!(
            std::fs::read_to_string(root.path().join(&first.path)).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_briefing_of_the_same_name_in_a_subfolder_counts() {
        let root = site();
        let year = root.path().join("content/briefings/2023");
        std::fs::create_dir_all(&year).unwrap();
        std::fs::write(year.join("2023-08-24-same.md"), "mine").unwrap();
        let refused = create(&request(root.path(), "Same")).unwrap_err();
        assert_eq!(
            refused[0].problem,
            Problem::AlreadyExists {
                path: PathBuf::from("content/briefings/2023/2023-08-24-same.md")
            }
        );
        assert!(
            !root
                .path()
                .join("content/briefings/2023-08-24-same.md")
                .exists()
        );
    }

    #[test]
    fn a_title_needs_letters_or_digits() {
        let root = site();
        assert_eq!(
            create(&request(root.path(), "?!")).unwrap_err()[0].problem,
            Problem::TitleWithoutSlug
        );
    }
}
