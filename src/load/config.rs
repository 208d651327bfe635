//! Site configuration: `site.yaml` read into a validated [`Config`] with a default for every key.
//!
//! This module owns the schema of `site.yaml` and the rules for `base_url`. It does not know
//! where content lives (`content`) nor how URLs are laid out (`urls`).

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location, Problem};
use std::collections::BTreeMap;

use crate::load::Extra;
use crate::load::i18n::Strings;
use crate::load::yaml;
use crate::vocabulary::{self, Declaration, LOCAL_HOST, TaxonomyKind};

/// The file name of the configuration, at the site root.
pub const FILE_NAME: &str = "site.yaml";

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "author",
    "paginate",
    "feed_limit",
    "theme",
    "taxonomies",
    "search",
    "extra",
    "strings",
];

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    description: Option<String>,
    language: Option<String>,
    author: Option<String>,
    paginate: Option<usize>,
    feed_limit: Option<usize>,
    theme: Option<String>,
    taxonomies: Option<Vec<RawTaxonomy>>,
    search: Option<bool>,
    extra: Option<serde_json::Value>,
    strings: Option<BTreeMap<String, String>>,
}

/// One entry of `taxonomies:`: a name, or a mapping that declares a taxonomy.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
enum RawTaxonomy {
    Name(String),
    Declared(RawDeclaration),
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeclaration {
    name: String,
    title: Option<String>,
    singular: Option<String>,
    records: Option<bool>,
}

/// The site's settings, every one filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Shown in the header and the `<title>` of every page.
    pub title: String,
    /// Where the site is published.
    pub base_url: BaseUrl,
    /// One sentence about the archive.
    pub description: String,
    /// BCP 47 language tag of the content (`<html lang>`).
    pub language: String,
    /// Who publishes the archive (feeds, metadata).
    pub author: String,
    /// Briefings per page of the home page.
    pub paginate: usize,
    /// Entries per Atom feed.
    pub feed_limit: usize,
    /// The theme folder under `themes/`.
    pub theme: String,
    /// The taxonomies that get pages, in the order of the site's navigation.
    pub taxonomies: Vec<TaxonomyKind>,
    /// Build the `/search/` page and its index (`search: false` or `--no-search` skip it).
    pub search: bool,
    /// Free fields for templates (`site.extra`).
    pub extra: Extra,
    /// The theme's fixed strings in `language`, with the overrides of `strings:`.
    pub strings: Strings,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Launch briefings".to_owned(),
            base_url: BaseUrl::root(),
            description: "An archive of rocket and satellite launch briefings.".to_owned(),
            language: "en".to_owned(),
            author: "apogee".to_owned(),
            paginate: 20,
            feed_limit: 50,
            theme: "default".to_owned(),
            taxonomies: vec![TaxonomyKind::Rockets, TaxonomyKind::Countries],
            strings: Strings::english(),
            search: true,
            extra: Extra::default(),
        }
    }
}

/// The published address of the site, always ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org/archive/`, or just `/archive/` when no host is known.
    pub absolute: String,
    /// The path part, `/archive/`: the prefix of every link inside the site.
    pub path: String,
}

impl BaseUrl {
    /// The site served from the root of an unknown host.
    pub fn root() -> Self {
        BaseUrl {
            absolute: "/".to_owned(),
            path: "/".to_owned(),
        }
    }

    /// Reads `https://host/path`, `http://host`, or a bare `/path`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.chars().any(char::is_whitespace) || text.contains(['?', '#']) {
            return Err("must be a URL without spaces, query or fragment".to_owned());
        }
        if text.contains(['"', '\'', '<', '>', '`', '\\']) || text.chars().any(char::is_control) {
            return Err("must be a URL without quotes, `<`, `>` or backslashes".to_owned());
        }
        // Browsers read `//host/` as "this scheme, that host": every page would load its
        // styles and scripts from there.
        if text.starts_with("//") {
            return Err(
                "must start with https://, http:// or a single /: `//host/` is another host"
                    .to_owned(),
            );
        }
        let with_slash = |s: &str| {
            if s.ends_with('/') {
                s.to_owned()
            } else {
                format!("{s}/")
            }
        };
        if text.starts_with('/') {
            let path = with_slash(text);
            return Ok(BaseUrl {
                absolute: path.clone(),
                path,
            });
        }
        let Some(rest) = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
        else {
            return Err("must start with https://, http:// or /".to_owned());
        };
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() {
            return Err("has no host name".to_owned());
        }
        let path = with_slash(if path.is_empty() { "/" } else { path });
        let scheme_and_host = &text[..text.len() - rest.len() + host.len()];
        Ok(BaseUrl {
            absolute: format!("{scheme_and_host}{path}"),
            path,
        })
    }

    /// The link to a site-relative path (`rockets/h3/`) as used inside pages.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path)
    }

    /// Whether the published host is known (`base_url` starts with a scheme).
    pub fn has_host(&self) -> bool {
        !self.absolute.starts_with('/')
    }

    /// The absolute URL of a site-relative path, for feeds, the sitemap and canonical links.
    /// Those must be absolute, so a site without a host is assumed to be previewed on
    /// [`LOCAL_HOST`] (the build warns about it).
    pub fn permalink(&self, site_path: &str) -> String {
        if self.has_host() {
            format!("{}{}", self.absolute, site_path)
        } else {
            format!("{LOCAL_HOST}{}{}", self.absolute, site_path)
        }
    }
}

/// Configuration files of other names and generators that a writer may have meant as
/// `site.yaml`: a site with one of them and no `site.yaml` would otherwise build silently
/// with every default.
const MISNAMED: &[&str] = &[
    "site.yml",
    "Site.yaml",
    "site.toml",
    "site.json",
    "config.yaml",
    "config.yml",
    "config.toml",
    "hugo.toml",
    "hugo.yaml",
    "_config.yml",
];

/// The misnamed configuration file under `root`, when there is no `site.yaml`.
pub fn misnamed(root: &Path) -> Option<&'static str> {
    if root.join(FILE_NAME).is_file() {
        return None;
    }
    let names: Vec<String> = std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    // Listed rather than probed, so that `Site.yaml` is not found on a case-blind disk.
    MISNAMED
        .iter()
        .copied()
        .find(|name| names.iter().any(|n| n == name))
}

/// Reads `site.yaml` under `root` if there is one; a missing file is the default config,
/// unless a file of another name looks meant as one.
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Some(name) = misnamed(root) {
                let problem = Problem::MisnamedConfig { name };
                return Err(vec![Diagnostic::error(
                    Location::file(Path::new(name)),
                    problem,
                )]);
            }
            return Ok(Config::default());
        }
        Err(error) => {
            let problem = Problem::Unreadable {
                message: error.to_string(),
            };
            return Err(vec![Diagnostic::error(
                Location::file(Path::new(FILE_NAME)),
                problem,
            )]);
        }
    };
    let Ok(text) = String::from_utf8(text) else {
        return Err(vec![Diagnostic::error(
            Location::file(Path::new(FILE_NAME)),
            Problem::NotUtf8,
        )]);
    };
    parse(Path::new(FILE_NAME), text.trim_start_matches('\u{feff}'))
}

/// Validates the text of a configuration file; `path` is only used in diagnostics.
pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let at = |line, column| Location::in_text(path, text, line, column);
    let at_key = |key: &str| {
        let (line, column) = yaml::key_position(text, key).unwrap_or((1, 1));
        at(line, column)
    };
    let raw: RawConfig = yaml::parse(text).map_err(|error| {
        let problem = error.problem(FILE_NAME, KEYS, 1);
        vec![Diagnostic::error(at(error.line, error.column), problem)]
    })?;

    let defaults = Config::default();
    let mut diagnostics = Vec::new();
    let base_url = match raw.base_url.as_deref().map(BaseUrl::parse) {
        None => defaults.base_url,
        Some(Ok(url)) => url,
        Some(Err(message)) => {
            diagnostics.push(Diagnostic::error(
                at_key("base_url"),
                Problem::BadConfig {
                    key: "base_url",
                    message,
                },
            ));
            defaults.base_url
        }
    };
    let mut positive = |key: &'static str, value: Option<usize>, default: usize| match value {
        Some(0) => {
            let message = "must be 1 or more".to_owned();
            diagnostics.push(Diagnostic::error(
                at_key(key),
                Problem::BadConfig { key, message },
            ));
            default
        }
        Some(n) => n,
        None => default,
    };
    let paginate = positive("paginate", raw.paginate, defaults.paginate);
    let feed_limit = positive("feed_limit", raw.feed_limit, defaults.feed_limit);
    let mut taxonomies: Vec<TaxonomyKind> = Vec::new();
    let entries = raw.taxonomies.unwrap_or_else(|| {
        defaults
            .taxonomies
            .iter()
            .map(|k| RawTaxonomy::Name(k.name().to_owned()))
            .collect()
    });
    for entry in entries {
        match taxonomy(entry) {
            Ok(kind) if taxonomies.iter().any(|k| k.name() == kind.name()) => {}
            Ok(kind) => taxonomies.push(kind),
            Err(problem) => diagnostics.push(Diagnostic::error(at_key("taxonomies"), problem)),
        }
    }
    let extra = match raw.extra {
        None | Some(serde_json::Value::Null) => Extra::default(),
        Some(serde_json::Value::Object(map)) => Extra(map),
        Some(_) => {
            diagnostics.push(Diagnostic::error(
                at_key("extra"),
                Problem::BadConfig {
                    key: "extra",
                    message: "must be `key: value` lines (a mapping)".to_owned(),
                },
            ));
            Extra::default()
        }
    };
    let language = raw.language.unwrap_or(defaults.language);
    let strings = Strings::for_language(&language, &raw.strings.unwrap_or_default())
        .unwrap_or_else(|unknown| {
            for string in unknown {
                let (line, column) = nested_key_position(text, "strings", &string.key);
                diagnostics.push(Diagnostic::error(
                    at(line, column),
                    Problem::UnknownString {
                        key: string.key,
                        known: string.known,
                    },
                ));
            }
            defaults.strings
        });
    let theme = raw.theme.unwrap_or(defaults.theme);
    if !is_folder_name(&theme) {
        diagnostics.push(Diagnostic::error(
            at_key("theme"),
            Problem::BadConfig {
                key: "theme",
                message: "must be the name of a folder in themes/, not a path".to_owned(),
            },
        ));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Config {
        title: raw.title.unwrap_or(defaults.title),
        base_url,
        description: raw.description.unwrap_or(defaults.description),
        language,
        author: raw.author.unwrap_or(defaults.author),
        paginate,
        feed_limit,
        theme,
        taxonomies,
        search: raw.search.unwrap_or(defaults.search),
        extra,
        strings,
    })
}

/// Names a declared taxonomy may not take: a briefing's own keys, the folders of `content/`,
/// and the first segments of apogee's own pages (`routes::RESERVED_SEGMENTS`), which its
/// list page would replace.
const TAKEN_NAMES: &[&str] = &[
    "archive",
    "search",
    "page",
    "pagefind",
    "title",
    "date",
    "launched_by",
    "outcome",
    "summary",
    "sources",
    "draft",
    "slug",
    "extra",
    "redirect_from",
    "briefings",
    "pages",
];

/// A built-in taxonomy by name, or a declared one. A bare name close to a built-in one
/// (`contries`) is taken for a typo, not a declaration.
fn taxonomy(entry: RawTaxonomy) -> Result<TaxonomyKind, Problem> {
    let declaration = match entry {
        RawTaxonomy::Name(name) => {
            let name = name.trim().to_owned();
            if let Some(kind) = TaxonomyKind::from_name(&name) {
                return Ok(kind);
            }
            let built_in = ["rockets", "countries", "satellites", "tags"];
            if crate::diagnostic::did_you_mean(&name, built_in).is_some() {
                return Err(Problem::UnknownTaxonomy { name });
            }
            Declaration::new(&name, None, None, false)
        }
        RawTaxonomy::Declared(RawDeclaration {
            name,
            title,
            singular,
            records,
        }) => {
            let name = name.trim();
            if let Some(kind) = TaxonomyKind::from_name(name) {
                return Ok(kind);
            }
            Declaration::new(
                name,
                title.as_deref(),
                singular.as_deref(),
                records.unwrap_or(false),
            )
        }
    };
    let name = declaration.name.as_str();
    let well_formed = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return Err(Problem::BadConfig {
            key: "taxonomies",
            message: format!(
                "`{name}` cannot name a taxonomy: use lowercase letters, digits and `_` (launch_sites)"
            ),
        });
    }
    if TAKEN_NAMES.contains(&name) {
        return Err(Problem::BadConfig {
            key: "taxonomies",
            message: format!("`{name}` is a key apogee uses already: choose another name"),
        });
    }
    Ok(vocabulary::declare(declaration))
}

/// The line and column of `key` indented under the top-level `parent` (1, 1 if not found).
fn nested_key_position(text: &str, parent: &str, key: &str) -> (usize, usize) {
    let start = yaml::key_position(text, parent).map_or(0, |(line, _)| line);
    text.lines()
        .enumerate()
        .skip(start)
        .find_map(|(index, line)| {
            let trimmed = line.trim_start();
            let rest = trimmed.strip_prefix(key)?;
            rest.trim_start().starts_with(':').then(|| {
                let column = line.len() - trimmed.len() + 1;
                (index + 1, column)
            })
        })
        .unwrap_or((1, 1))
}

/// A plain folder name: not empty, not hidden, no separators, nothing that climbs.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path_and_gains_a_slash() {
        let url = BaseUrl::parse("https://example.org/archive").unwrap();
        assert_eq!(url.absolute, "https://example.org/archive/");
        assert_eq!(url.path, "/archive/");
        assert_eq!(url.link("rockets/h3/"), "/archive/rockets/h3/");
        assert_eq!(BaseUrl::parse("http://localhost:1111").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("//evil.example/").is_err());
        assert!(BaseUrl::parse("/\\evil.example/").is_err());
        assert!(BaseUrl::parse("https://a.example/\"><script>").is_err());
    }

    #[test]
    fn permalinks_are_absolute_even_without_a_host() {
        let url = BaseUrl::parse("https://example.org/archive").unwrap();
        assert!(url.has_host());
        assert_eq!(
            url.permalink("feed.xml"),
            "https://example.org/archive/feed.xml"
        );
        let bare = BaseUrl::parse("/archive").unwrap();
        assert!(!bare.has_host());
        assert_eq!(
            bare.permalink("feed.xml"),
            "http://localhost/archive/feed.xml"
        );
        assert_eq!(BaseUrl::root().permalink(""), "http://localhost/");
    }

    #[test]
    fn defaults_fill_every_key() {
        let config = parse(Path::new("site.yaml"), "title: Mine\n").unwrap();
        assert_eq!(config.title, "Mine");
        assert_eq!(config.paginate, 20);
        assert_eq!(
            config.taxonomies,
            vec![TaxonomyKind::Rockets, TaxonomyKind::Countries]
        );
        assert!(config.search, "search is on unless turned off");
        assert!(
            !parse(Path::new("site.yaml"), "search: false\n")
                .unwrap()
                .search
        );
    }

    #[test]
    fn unknown_keys_and_taxonomies_are_located() {
        let errors = parse(Path::new("site.yaml"), "title: x\npaginat: 3\n").unwrap_err();
        assert_eq!(errors[0].location.line, 2);
        assert_eq!(
            errors[0].problem.help().as_deref(),
            Some("did you mean `paginate`?")
        );
        let config = parse(
            Path::new("site.yaml"),
            "taxonomies:\n  - rockets\n  - name: launch_sites\n    title: Launch sites\n    records: true\n  - orbits\n",
        )
        .unwrap();
        let names: Vec<_> = config.taxonomies.iter().map(|k| k.segment()).collect();
        assert_eq!(names, vec!["rockets", "launch-sites", "orbits"]);
        assert!(config.taxonomies[1].keeps_records() && !config.taxonomies[2].keeps_records());
        let errors = parse(
            Path::new("site.yaml"),
            "taxonomies: [Launch Sites, date, archive]\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        let errors =
            parse(Path::new("site.yaml"), "taxonomies: [rockets, contries]\n").unwrap_err();
        assert_eq!(
            errors[0].problem,
            Problem::UnknownTaxonomy {
                name: "contries".into()
            }
        );
    }
}
