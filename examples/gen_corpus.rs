//! Writes a synthetic archive of N briefings for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_corpus -- --n 10000 /tmp/corpus-10k
//! cargo run --release -- build --root /tmp/corpus-10k
//! ```
//!
//! The briefings are generated (and say so): real rocket and country names, a spread of
//! outcomes and dates, bodies of realistic length with headings, lists, tables and links to
//! earlier briefings, and term pages with aliases. The same N always gives the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const ROCKETS: &[(&str, &str, &[&str])] = &[
    ("Falcon 9", "United States", &["F9"]),
    ("Long March 2C", "China", &["Chang Zheng 2C", "CZ-2C"]),
    ("Soyuz-2.1b", "Russia", &[]),
    ("H3", "Japan", &["H-3"]),
    ("Chollima-1", "North Korea", &["Cheonlima-1"]),
    ("Nuri", "South Korea", &["KSLV-II"]),
    ("Ariane 6", "Europe", &["Ariane 62"]),
    ("Vega-C", "Europe", &[]),
    ("PSLV", "India", &[]),
    ("Electron", "New Zealand", &[]),
    ("Simorgh", "Iran", &[]),
    ("Zhuque-2", "China", &[]),
    ("Starship", "United States", &[]),
    ("Kuaizhou-1A", "China", &[]),
    ("Angara-A5", "Russia", &[]),
];
const REACTING: &[&str] = &[
    "United States",
    "Japan",
    "South Korea",
    "China",
    "Russia",
    "India",
    "Europe",
];
const OUTCOMES: &[&str] = &[
    "success", "success", "success", "success", "success", "failure", "partial",
];
const WORDS: &[&str] = &[
    "stage",
    "orbit",
    "payload",
    "engine",
    "telemetry",
    "fairing",
    "separation",
    "ignition",
    "trajectory",
    "satellite",
    "ground",
    "station",
    "launch",
    "window",
    "agency",
    "statement",
    "analysts",
    "debris",
    "burn",
    "apogee",
    "perigee",
    "inclination",
    "recovery",
    "booster",
    "upper",
    "test",
    "mission",
];

/// A small deterministic generator (PCG-style LCG): no dependency, same corpus every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn sentence(dice: &mut Dice) -> String {
    let length = 8 + dice.below(14);
    let words: Vec<&str> = (0..length).map(|_| *dice.pick(WORDS)).collect();
    let mut text = words.join(" ");
    text[..1].make_ascii_uppercase();
    text.push('.');
    text
}

fn paragraph(dice: &mut Dice) -> String {
    (0..3 + dice.below(4))
        .map(|_| sentence(dice))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut n = 1000usize;
    let mut out: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--n" => {
                n = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--n takes a number")
            }
            other => out = Some(PathBuf::from(other)),
        }
    }
    let out = out.expect("usage: gen_corpus --n N DIR");
    if out.join("content").exists() {
        eprintln!(
            "{} already holds content/: choose an empty folder",
            out.display()
        );
        std::process::exit(2);
    }
    write_corpus(&out, n).expect("the corpus is written");
    println!("wrote {n} briefings into {}", out.display());
}

fn write_corpus(out: &Path, n: usize) -> std::io::Result<()> {
    let mut dice = Dice(42);
    std::fs::create_dir_all(out.join("content/rockets"))?;
    std::fs::write(
        out.join("site.yaml"),
        "title: Synthetic launch archive\nbase_url: https://bench.example.org/\ndescription: Generated briefings for benchmarks.\n",
    )?;
    for (name, country, aliases) in ROCKETS {
        let slug = slug::slugify(name);
        let aliases = aliases
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "---\nname: {name}\naliases: [{aliases}]\ncountry: {country}\n---\nGenerated description of {name}.\n\n{}\n",
            paragraph(&mut dice)
        );
        std::fs::write(out.join(format!("content/rockets/{slug}.md")), text)?;
    }
    let mut previous: Option<(String, String)> = None;
    for i in 0..n {
        // Spread n briefings evenly over 1990-2024, several per day when n is large.
        let day = (i * 12_700) / n.max(1);
        let date = jiff::civil::date(1990, 1, 1)
            .checked_add(jiff::Span::new().days(day as i64))
            .expect("in range");
        let (rocket, country, _) = *dice.pick(ROCKETS);
        let reacting = *dice.pick(REACTING);
        let outcome = *dice.pick(OUTCOMES);
        let stem = format!("{date}-generated-{i:05}-{}", slug::slugify(rocket));
        let folder = format!("content/briefings/{}", date.year());
        std::fs::create_dir_all(out.join(&folder))?;
        let mut body = String::new();
        writeln!(body, "{}\n", paragraph(&mut dice)).ok();
        writeln!(body, "## Flight\n\n{}\n", paragraph(&mut dice)).ok();
        writeln!(
            body,
            "- {}\n- {}\n- {}\n",
            sentence(&mut dice),
            sentence(&mut dice),
            sentence(&mut dice)
        )
        .ok();
        writeln!(
            body,
            "| Stage | Result |\n|---|---|\n| First | nominal |\n| Second | {outcome} |\n"
        )
        .ok();
        writeln!(body, "## Reaction\n\n{}\n", paragraph(&mut dice)).ok();
        if let Some((prev_folder, prev_stem)) = &previous {
            let link = if *prev_folder == folder {
                format!("{prev_stem}.md")
            } else {
                format!(
                    "../{}/{prev_stem}.md",
                    prev_folder.rsplit('/').next().unwrap_or_default()
                )
            };
            writeln!(
                body,
                "The [previous briefing]({link}) covers the launch before this one."
            )
            .ok();
        }
        let text = format!(
            "---\ntitle: \"Generated briefing {i}: {rocket} flight\"\ndate: {date}\nrockets: [{rocket}]\ncountries: [{country}, {reacting}]\nsatellites: [Sat-{}]\noutcome: {outcome}\nsources:\n  - title: Generated source\n---\nThis briefing is generated for benchmarks.\n\n{body}",
            i % 500
        );
        std::fs::write(out.join(format!("{folder}/{stem}.md")), text)?;
        previous = Some((folder, stem));
    }
    Ok(())
}
