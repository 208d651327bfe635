//! Turns the JSR orbital launch list (every orbital launch 1957–2024, one CSV row per launch)
//! into an apogee archive of generated briefings with rocket term pages: a realistic corpus
//! for tests and benchmarks. Used by `examples/jsr_archive.rs` and `tests/it/jsr_records.rs`.
//!
//! Each row becomes a briefing that says it was generated and credits the data (CC BY 4.0):
//! the rocket as JSR spells it, the vehicle's state as `launched_by` only where it differs
//! from the rocket page's `country`, and the outcome (`OS` success, `OF` failure, `OSnn`/`OFnn`
//! partial). Each vehicle gets a term page whose `country` is its most frequent state; JSR
//! spellings that differ from the archive's (`Cheonlima-1`) become aliases of its name. This
//! module writes files only under the output folder it is given, and never into content that
//! is already there.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use apogee::load::date::LaunchDate;
use apogee::vocabulary::Outcome;
use apogee::vocabulary::slugify;

/// Credit line required by the data's licence.
pub const ATTRIBUTION: &str = "Data: Jonathan McDowell, Jonathan's Space Report launch log (planet4589.org), as published in \"JSR Orbital Launch History (1957–2024)\" by Dev Verma (GitHub: dataninja88/jsr-orbital-launch-history-1957-2024), licensed CC BY 4.0.";

/// JSR spellings that the archive writes differently: (JSR, archive name).
pub const RENAMED_VEHICLES: &[(&str, &str)] = &[("Cheonlima-1", "Chollima-1")];

/// Why a conversion failed.
#[derive(Debug, thiserror::Error)]
pub enum JsrError {
    /// The CSV could not be read or parsed.
    #[error("{path}: {source}")]
    Csv {
        /// The input file.
        path: PathBuf,
        /// What went wrong.
        source: csv::Error,
    },
    /// A row holds a value the converter does not understand.
    #[error("{path}:{line}: {message}")]
    BadRow {
        /// The input file.
        path: PathBuf,
        /// The 1-based line of the row.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// An output file could not be written.
    #[error("{path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The output already holds content, which a conversion must not overwrite.
    #[error("{0}: already holds content; choose an empty or new folder")]
    NotEmpty(PathBuf),
}

#[derive(Debug, Deserialize)]
struct Row {
    launch_id: String,
    dt_min: String,
    site_raw: String,
    pad_raw: String,
    vehicle: String,
    agency: String,
    lv_state: String,
    launch_code: String,
    n_payload_rows: u32,
}

/// One launch of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsrLaunch {
    /// JSR's key of the launch.
    pub launch_id: String,
    /// Launch time, UTC.
    pub time: LaunchDate,
    /// The launch vehicle as JSR spells it.
    pub vehicle: String,
    /// JSR's state code of the vehicle (`KP`).
    pub state: String,
    /// Launch site and pad codes.
    pub site: String,
    /// JSR's operating agency code.
    pub agency: String,
    /// JSR's launch code (`OS`, `OF`, `OS75`...).
    pub code: String,
    /// What happened, in apogee's terms.
    pub outcome: Outcome,
    /// Payloads carried.
    pub payloads: u32,
}

/// apogee's outcome for a JSR launch code.
pub fn outcome_of(code: &str) -> Option<Outcome> {
    match code {
        "OS" => Some(Outcome::Success),
        "OF" => Some(Outcome::Failure),
        _ if (code.starts_with("OS") || code.starts_with("OF"))
            && code[2..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some(Outcome::Partial)
        }
        _ => None,
    }
}

/// The country name of a JSR state code; an unknown code is kept as it is.
pub fn country_name(state: &str) -> &str {
    match state {
        "SU" => "Soviet Union",
        "US" => "United States",
        "RU" => "Russia",
        "CN" => "China",
        "F" => "France",
        "J" => "Japan",
        "IN" => "India",
        "NZ" => "New Zealand",
        "IR" => "Iran",
        "I-ESA" => "European Space Agency",
        "IL" => "Israel",
        "I" => "Italy",
        "KP" => "North Korea",
        "KR" => "South Korea",
        "I-ELDO" => "ELDO",
        "CYM" => "Cayman Islands",
        "UK" => "United Kingdom",
        "BR" => "Brazil",
        other => other,
    }
}

/// The archive's name of a vehicle.
pub fn vehicle_name(vehicle: &str) -> &str {
    RENAMED_VEHICLES
        .iter()
        .find(|(jsr, _)| *jsr == vehicle)
        .map_or(vehicle, |(_, name)| name)
}

/// Reads every launch of the CSV at `path`.
pub fn read_file(path: &Path) -> Result<Vec<JsrLaunch>, JsrError> {
    let file = std::fs::File::open(path).map_err(|source| JsrError::Csv {
        path: path.to_path_buf(),
        source: csv::Error::from(source),
    })?;
    read(file, path)
}

/// Reads every launch of a CSV; `path` names it in errors.
pub fn read(input: impl Read, path: &Path) -> Result<Vec<JsrLaunch>, JsrError> {
    let mut reader = csv::Reader::from_reader(input);
    let mut launches = Vec::new();
    for row in reader.deserialize::<Row>() {
        let row = row.map_err(|source| JsrError::Csv {
            path: path.to_path_buf(),
            source,
        })?;
        let line = launches.len() as u64 + 2;
        let bad = |message: String| JsrError::BadRow {
            path: path.to_path_buf(),
            line,
            message,
        };
        let time = LaunchDate::parse(&row.dt_min)
            .ok_or_else(|| bad(format!("`{}` is not an RFC 3339 time", row.dt_min)))?;
        let outcome = outcome_of(&row.launch_code)
            .ok_or_else(|| bad(format!("unknown launch code `{}`", row.launch_code)))?;
        launches.push(JsrLaunch {
            launch_id: row.launch_id,
            time,
            vehicle: row.vehicle,
            state: row.lv_state,
            site: format!("{} {}", row.site_raw, row.pad_raw),
            agency: row.agency,
            code: row.launch_code,
            outcome,
            payloads: row.n_payload_rows,
        });
    }
    Ok(launches)
}

/// What a conversion wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Converted {
    /// Briefings written.
    pub briefings: usize,
    /// Rocket term pages written.
    pub rockets: usize,
}

#[derive(Serialize)]
struct BriefingMatter<'a> {
    title: String,
    date: String,
    rockets: [&'a str; 1],
    countries: [&'a str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    launched_by: Option<&'a str>,
    outcome: &'static str,
    summary: String,
    tags: [&'static str; 1],
    sources: [Citation; 1],
    slug: String,
}

#[derive(Serialize)]
struct Citation {
    title: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct RocketMatter<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: Vec<&'a str>,
    country: &'a str,
}

/// The most frequent state of each vehicle (by slug of its archive name); ties go to the
/// alphabetically first code, so that output is stable.
fn rocket_states(launches: &[JsrLaunch]) -> BTreeMap<String, String> {
    let mut counts: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for launch in launches {
        *counts
            .entry(slugify(vehicle_name(&launch.vehicle)))
            .or_default()
            .entry(&launch.state)
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(slug, states)| {
            let best = states.values().copied().max().unwrap_or(0);
            let state = states
                .iter()
                .find(|(_, n)| **n == best)
                .map(|(s, _)| (*s).to_owned())
                .unwrap_or_default();
            (slug, state)
        })
        .collect()
}

fn write(path: &Path, text: &str) -> Result<(), JsrError> {
    let fail = |source| JsrError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(path, text).map_err(fail)
}

fn front_matter(matter: &impl Serialize, path: &Path) -> Result<String, JsrError> {
    serde_yaml::to_string(matter).map_err(|e| JsrError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Writes `launches` as an apogee site under `out` (`site.yaml`, `NOTICE.md`,
/// `content/briefings/<year>/*.md`, `content/rockets/*.md`).
pub fn write_archive(launches: &[JsrLaunch], out: &Path) -> Result<Converted, JsrError> {
    let content = out.join("content");
    if content
        .read_dir()
        .is_ok_and(|mut entries| entries.next().is_some())
    {
        return Err(JsrError::NotEmpty(content));
    }
    write(
        &out.join("site.yaml"),
        "title: Orbital launches 1957–2024 (generated)\ndescription: Briefings generated from the JSR orbital launch list, one per launch.\n",
    )?;
    write(
        &out.join("NOTICE.md"),
        &format!("This archive is generated by apogee's JSR converter.\n\n{ATTRIBUTION}\n"),
    )?;

    let states = rocket_states(launches);
    let mut used_slugs: BTreeMap<String, usize> = BTreeMap::new();
    for launch in launches {
        let rocket_state = states
            .get(&slugify(vehicle_name(&launch.vehicle)))
            .map(String::as_str);
        let base = format!("{}-{}", launch.time.iso_day(), slugify(&launch.vehicle));
        let seen = used_slugs.entry(base.clone()).or_default();
        *seen += 1;
        let slug = if *seen == 1 {
            base
        } else {
            format!("{base}-{seen}")
        };
        let country = country_name(&launch.state);
        let path = content
            .join("briefings")
            .join(launch.time.year().to_string())
            .join(format!("{slug}.md"));
        let matter = BriefingMatter {
            title: format!(
                "{} launch from {} ({})",
                launch.vehicle,
                launch.site,
                launch.outcome.label().to_lowercase()
            ),
            date: launch.time.rfc3339(),
            rockets: [&launch.vehicle],
            countries: [country],
            launched_by: (rocket_state != Some(launch.state.as_str())).then_some(country),
            outcome: launch.outcome.key(),
            summary: format!(
                "Generated from the JSR launch list: {} flew from {}, outcome {}.",
                launch.vehicle, launch.site, launch.code
            ),
            tags: ["generated"],
            sources: [Citation {
                title: "JSR Orbital Launch History (1957–2024), CC BY 4.0",
                url: "https://planet4589.org/space/gcat/",
            }],
            slug,
        };
        let body = format!(
            "This briefing is **generated** from one row of a data set, not written by an analyst.\n\n\
             JSR launch `{}`: a {} operated by agency {} flew from {} with {} payload{}. JSR launch code `{}` ({}).\n\n{ATTRIBUTION}\n",
            launch.launch_id,
            launch.vehicle,
            launch.agency,
            launch.site,
            launch.payloads,
            if launch.payloads == 1 { "" } else { "s" },
            launch.code,
            launch.outcome.label().to_lowercase(),
        );
        write(
            &path,
            &format!("---\n{}---\n{body}", front_matter(&matter, &path)?),
        )?;
    }

    let mut rockets = 0;
    let mut written: BTreeMap<String, ()> = BTreeMap::new();
    for launch in launches {
        let name = vehicle_name(&launch.vehicle);
        let slug = slugify(name);
        if written.insert(slug.clone(), ()).is_some() {
            continue;
        }
        let state = states.get(&slug).map_or("", String::as_str);
        let aliases = if name == launch.vehicle {
            Vec::new()
        } else {
            vec![launch.vehicle.as_str()]
        };
        let matter = RocketMatter {
            name,
            aliases,
            country: country_name(state),
        };
        let path = content.join("rockets").join(format!("{slug}.md"));
        let body =
            format!("A launch vehicle of the JSR launch list (generated page).\n\n{ATTRIBUTION}\n");
        write(
            &path,
            &format!("---\n{}---\n{body}", front_matter(&matter, &path)?),
        )?;
        rockets += 1;
    }
    Ok(Converted {
        briefings: launches.len(),
        rockets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launch_codes_map_to_outcomes() {
        assert_eq!(outcome_of("OS"), Some(Outcome::Success));
        assert_eq!(outcome_of("OF"), Some(Outcome::Failure));
        assert_eq!(outcome_of("OS75"), Some(Outcome::Partial));
        assert_eq!(outcome_of("OF40"), Some(Outcome::Partial));
        assert_eq!(outcome_of("OX"), None);
        assert_eq!(outcome_of("OSx"), None);
    }

    #[test]
    fn rows_parse_and_bad_codes_are_located() {
        let csv = "launch_id,dt_min,year,site_raw,pad_raw,vehicle,agency,lv_state,launch_code,success,n_payload_rows,success_hard\n\
                   a,2023-11-21T13:42:00Z,2023,SOHAE,LC2,Cheonlima-1,KCST,KP,OS,TRUE,1,TRUE\n\
                   b,2023-11-22T13:42:00Z,2023,SOHAE,LC2,Cheonlima-1,KCST,KP,XX,NA,1,FALSE\n";
        let error = read(csv.as_bytes(), Path::new("x.csv")).unwrap_err();
        assert_eq!(error.to_string(), "x.csv:3: unknown launch code `XX`");
        let ok = read(
            csv.lines()
                .take(2)
                .collect::<Vec<_>>()
                .join("\n")
                .as_bytes(),
            Path::new("x.csv"),
        )
        .unwrap();
        assert_eq!(
            (
                ok[0].vehicle.as_str(),
                ok[0].outcome,
                country_name(&ok[0].state)
            ),
            ("Cheonlima-1", Outcome::Success, "North Korea")
        );
        assert_eq!(vehicle_name(&ok[0].vehicle), "Chollima-1");
    }
}
