//! The words of the domain that every stage shares: the taxonomies a briefing is filed
//! under ([`TaxonomyKind`]), what happened at a launch ([`Outcome`]), and how a name becomes a
//! URL segment ([`slugify`]).
//!
//! This module depends on nothing else in the crate, so that any stage (loading, indexing,
//! rendering, diagnostics) can use these words without importing a stage above it.

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
}

impl TaxonomyKind {
    /// Every kind, in navigation order.
    pub const ALL: [TaxonomyKind; 4] = [
        TaxonomyKind::Rockets,
        TaxonomyKind::Countries,
        TaxonomyKind::Satellites,
        TaxonomyKind::Tags,
    ];

    /// The front matter key, the content folder and the URL segment.
    pub fn name(self) -> &'static str {
        match self {
            TaxonomyKind::Rockets => "rockets",
            TaxonomyKind::Countries => "countries",
            TaxonomyKind::Satellites => "satellites",
            TaxonomyKind::Tags => "tags",
        }
    }

    /// Reads a name from `site.yaml`.
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
        }
    }

    /// What one of its terms is called.
    pub fn singular(self) -> &'static str {
        match self {
            TaxonomyKind::Rockets => "Rocket",
            TaxonomyKind::Countries => "Country",
            TaxonomyKind::Satellites => "Satellite",
            TaxonomyKind::Tags => "Tag",
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
    fn outcomes_round_trip() {
        for word in OUTCOMES {
            assert_eq!(Outcome::parse(word).map(Outcome::key), Some(*word));
        }
        assert_eq!(Outcome::parse("Failure"), Some(Outcome::Failure));
        assert_eq!(Outcome::parse("exploded"), None);
    }
}
