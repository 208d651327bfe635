//! The words of the domain that every stage shares: the taxonomies a briefing is filed
//! under ([`TaxonomyKind`]), what happened at a launch ([`Outcome`]), and how a name becomes a
//! URL segment ([`slugify`]).
//!
//! This module depends on nothing else in the crate, so that any stage (loading, indexing,
//! rendering, diagnostics) can use these words without importing a stage above it.
//!
//! A taxonomy that `site.yaml` declares (`launch_sites`) is [`TaxonomyKind::Declared`],
//! carrying its [`Declaration`] by a `&'static` reference, so that the kind stays a small
//! `Copy` value that names itself (`kind.name()`, `kind.segment()`) in every stage, from
//! routes to messages, without threading the configuration through them. Declarations are
//! interned once per distinct declaration ([`declare`]): a preview that reloads `site.yaml`
//! a thousand times holds each declaration once.

use std::collections::BTreeSet;
use std::sync::{Mutex, OnceLock};

/// The taxonomies apogee knows; each is a list field of a briefing's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TaxonomyKind {
    /// `rockets:`
    Rockets,
    /// `countries:` and `launched_by:`
    Countries,
    /// `satellites:`
    Satellites,
    /// `tags:`
    Tags,
    /// A taxonomy declared in `site.yaml`; its key is its name.
    Declared(&'static Declaration),
}

/// A taxonomy declared in `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Declaration {
    /// The front matter key and content folder (`launch_sites`).
    pub name: String,
    /// The URL segment: the name with `_` as `-` (`launch-sites`).
    pub segment: String,
    /// The heading of its list page (`Launch sites`).
    pub title: String,
    /// What one of its terms is called (`Launch site`).
    pub singular: String,
    /// Whether its terms keep launch records, like rockets.
    pub records: bool,
}

impl Declaration {
    /// A declaration with the title and singular made from the name where not given.
    pub fn new(name: &str, title: Option<&str>, singular: Option<&str>, records: bool) -> Self {
        let title = title.map(str::to_owned).unwrap_or_else(|| title_of(name));
        let singular = singular
            .map(str::to_owned)
            .unwrap_or_else(|| singular_of(&title));
        Declaration {
            name: name.to_owned(),
            segment: name.replace('_', "-"),
            title,
            singular,
            records,
        }
    }
}

/// `launch_sites` → `Launch sites`.
fn title_of(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `Launch sites` → `Launch site`, `Orbit families` → `Orbit family`.
fn singular_of(title: &str) -> String {
    if let Some(stem) = title.strip_suffix("ies") {
        return format!("{stem}y");
    }
    title
        .strip_suffix('s')
        .filter(|stem| !stem.ends_with('s'))
        .unwrap_or(title)
        .to_owned()
}

/// The one interned copy of `declaration`, as a kind.
pub fn declare(declaration: Declaration) -> TaxonomyKind {
    static DECLARED: OnceLock<Mutex<BTreeSet<&'static Declaration>>> = OnceLock::new();
    let mut declared = DECLARED
        .get_or_init(|| Mutex::new(BTreeSet::new()))
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = declared.get(&declaration) {
        return TaxonomyKind::Declared(known);
    }
    let interned: &'static Declaration = Box::leak(Box::new(declaration));
    declared.insert(interned);
    TaxonomyKind::Declared(interned)
}

impl TaxonomyKind {
    /// Every kind, in navigation order.
    pub const ALL: [TaxonomyKind; 4] = [
        TaxonomyKind::Rockets,
        TaxonomyKind::Countries,
        TaxonomyKind::Satellites,
        TaxonomyKind::Tags,
    ];

    /// The front matter key and the content folder.
    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Rockets => "rockets",
            TaxonomyKind::Countries => "countries",
            TaxonomyKind::Satellites => "satellites",
            TaxonomyKind::Tags => "tags",
            TaxonomyKind::Declared(declaration) => &declaration.name,
        }
    }

    /// The URL segment of its pages (`rockets`, `launch-sites`).
    pub fn segment(self) -> &'static str {
        match self {
            TaxonomyKind::Declared(declaration) => &declaration.segment,
            built_in => built_in.name(),
        }
    }

    /// Whether its terms keep launch records: rockets, countries, and declared taxonomies
    /// with `records: true`.
    pub fn keeps_records(self) -> bool {
        match self {
            TaxonomyKind::Rockets | TaxonomyKind::Countries => true,
            TaxonomyKind::Declared(declaration) => declaration.records,
            _ => false,
        }
    }

    /// Reads the name of a built-in taxonomy from `site.yaml`.
    pub fn from_name(name: &str) -> Option<TaxonomyKind> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name.trim())
    }

    /// The heading of its list page.
    pub fn title(self) -> &'static str {
        match self {
            TaxonomyKind::Rockets => "Rockets",
            TaxonomyKind::Countries => "Countries",
            TaxonomyKind::Satellites => "Satellites",
            TaxonomyKind::Tags => "Tags",
            TaxonomyKind::Declared(declaration) => &declaration.title,
        }
    }

    /// What one of its terms is called.
    pub fn singular(self) -> &'static str {
        match self {
            TaxonomyKind::Rockets => "Rocket",
            TaxonomyKind::Countries => "Country",
            TaxonomyKind::Satellites => "Satellite",
            TaxonomyKind::Tags => "Tag",
            TaxonomyKind::Declared(declaration) => &declaration.singular,
        }
    }
}

/// The longest slug, in bytes. A slug becomes a folder name of the output; file systems
/// take at most 255 bytes (ext4, APFS, NTFS in UTF-16 units), and encrypted home folders
/// (eCryptfs) about 143: 140 keeps every page writable everywhere.
pub const MAX_SLUG_BYTES: usize = 140;

/// The URL-safe form of a name: lowercase ASCII words joined by `-`
/// (`Côte d'Ivoire` → `cote-d-ivoire`).
pub fn slugify(name: &str) -> String {
    slug::slugify(name)
}

/// The words a writer may use for `outcome`.
pub const OUTCOMES: &[&str] = &["success", "failure", "partial", "scheduled", "unknown"];

/// What happened at a launch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Reached the planned orbit.
    Success,
    /// Did not reach orbit.
    Failure,
    /// Reached orbit, but not as planned.
    Partial,
    /// Planned, not flown yet.
    Scheduled,
    /// Flown; the result is not known.
    Unknown,
}

impl Outcome {
    /// Reads a writer's word, case-insensitively.
    pub fn parse(word: &str) -> Option<Outcome> {
        match word.trim().to_lowercase().as_str() {
            "success" => Some(Outcome::Success),
            "failure" => Some(Outcome::Failure),
            "partial" => Some(Outcome::Partial),
            "scheduled" => Some(Outcome::Scheduled),
            "unknown" => Some(Outcome::Unknown),
            _ => None,
        }
    }

    /// The word used in front matter, CSS classes and data.
    pub fn key(self) -> &'static str {
        OUTCOMES[self as usize]
    }

    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "Success",
            Outcome::Failure => "Failure",
            Outcome::Partial => "Partial failure",
            Outcome::Scheduled => "Scheduled",
            Outcome::Unknown => "Outcome unknown",
        }
    }
}

/// The scheme and host of absolute URLs when `base_url` gives none.
pub const LOCAL_HOST: &str = "http://localhost";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_taxonomies_name_themselves_and_are_interned() {
        let sites = declare(Declaration::new("launch_sites", None, None, true));
        assert_eq!(
            (
                sites.name(),
                sites.segment(),
                sites.title(),
                sites.singular()
            ),
            (
                "launch_sites",
                "launch-sites",
                "Launch sites",
                "Launch site"
            )
        );
        assert!(sites.keeps_records());
        let again = declare(Declaration::new("launch_sites", None, None, true));
        let (TaxonomyKind::Declared(a), TaxonomyKind::Declared(b)) = (sites, again) else {
            unreachable!("declared");
        };
        assert!(std::ptr::eq(a, b), "one copy per declaration");
        let families = declare(Declaration::new("orbit_families", None, None, false));
        assert_eq!(families.singular(), "Orbit family");
        assert!(!families.keeps_records());
    }

    #[test]
    fn outcomes_round_trip() {
        for word in OUTCOMES {
            assert_eq!(Outcome::parse(word).map(Outcome::key), Some(*word));
        }
        assert_eq!(Outcome::parse("Failure"), Some(Outcome::Failure));
        assert_eq!(Outcome::parse("exploded"), None);
    }
}
