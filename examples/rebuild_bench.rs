//! Benchmark of the preview's rebuilds: a full in-memory build, then rebuilds after editing
//! one briefing (its body, then its title), as `apogee serve` does them on a save.
//!
//!     cargo run --release --example rebuild_bench -- SITE_ROOT [ROUNDS]
//!
//! The edited file is restored at the end. Times are wall-clock medians over the rounds (and
//! the fastest round, the least disturbed by other work on the machine).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use apogee::build::{self, BuildOptions};
use apogee::serve::rebuild::{Rebuilder, Rebuilt};
use apogee::serve::watch::Changes;

/// The allocator of the `apogee` binary, so that the preview is timed as `apogee serve` runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn rebuild(
    rebuilder: &mut Rebuilder,
    changes: Option<&Changes>,
) -> (Duration, usize, Vec<(&'static str, Duration)>) {
    match rebuilder.rebuild(changes) {
        Rebuilt::Built {
            elapsed,
            rendered,
            stages,
            ..
        } => (elapsed, rendered, stages),
        Rebuilt::Cancelled => panic!("nothing cancels a benchmark's rebuild"),
        Rebuilt::Failed(diagnostics) => panic!(
            "the benchmark site does not build: {:?}",
            diagnostics.first()
        ),
    }
}

fn middle_briefing(root: &Path) -> PathBuf {
    let (listing, _) = apogee::load::list(root, &[]);
    let path = &listing.briefings[listing.briefings.len() / 2];
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .expect("usage: rebuild_bench SITE_ROOT [ROUNDS]"),
    );
    let rounds: usize = args
        .next()
        .map_or(7, |n| n.parse().expect("ROUNDS is a number"));
    let options = BuildOptions {
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..BuildOptions::new(&root)
    };

    let full: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let rendered = build::prepare(&options).expect("the benchmark site builds");
            assert!(!rendered.pages.is_empty());
            started.elapsed()
        })
        .collect();
    println!(
        "build::prepare (full, in memory): {} (median of 3)",
        ms(median(full))
    );

    let mut rebuilder = Rebuilder::on_day(options);
    let (first, pages, _) = rebuild(&mut rebuilder, None);
    println!("serve: first build: {} ({pages} pages)", ms(first));

    let edited = middle_briefing(&root);
    let file = root.join(&edited);
    let original = std::fs::read_to_string(&file).expect("the briefing reads");
    let _restore = Restore {
        file: file.clone(),
        original: original.clone(),
    };
    let changes = Changes {
        paths: [edited.clone()].into_iter().collect(),
        rescan: false,
    };
    println!("edited file: {}", edited.display());

    for (what, edit) in [
        (
            "body",
            &(|text: &str, round: usize| format!("{text}\nEdited in round {round}.\n"))
                as &dyn Fn(&str, usize) -> String,
        ),
        ("title", &|text: &str, round: usize| {
            // Inside the quotes when the title is quoted.
            let at = if text.contains("title: \"") {
                "title: \""
            } else {
                "title: "
            };
            text.replacen(at, &format!("{at}Round {round} "), 1)
        }),
    ] {
        let mut times = Vec::new();
        let mut stage_times: Vec<(&'static str, Vec<Duration>)> = Vec::new();
        let mut rendered = 0;
        let cpu_before = cpu_time();
        for round in 0..rounds {
            std::fs::write(&file, edit(&original, round)).expect("the briefing writes");
            let (elapsed, pages, stages) = rebuild(&mut rebuilder, Some(&changes));
            times.push(elapsed);
            rendered = pages;
            for (stage, time) in stages {
                match stage_times.iter_mut().find(|(name, _)| *name == stage) {
                    Some((_, times)) => times.push(time),
                    None => stage_times.push((stage, vec![time])),
                }
            }
        }
        let cpu = match (cpu_before, cpu_time()) {
            (Some(before), Some(after)) => format!(
                ", {} of CPU per edit",
                ms((after.saturating_sub(before)) / rounds as u32)
            ),
            _ => String::new(),
        };
        let stages: Vec<String> = stage_times
            .into_iter()
            .map(|(stage, times)| format!("{stage} {}", ms(median(times))))
            .collect();
        println!(
            "serve: one {what} edit: {} (median of {rounds}, fastest {}{cpu}), {rendered} pages rendered; stage medians: {}",
            ms(median(times.clone())),
            ms(times.iter().copied().min().unwrap_or_default()),
            stages.join(", ")
        );
    }
}

/// The CPU time (user and system) of this process so far, on Linux: steadier than wall time
/// on a machine shared with other work, though it counts every core.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which ends with the last ')': utime and stime are
    // the 14th and 15th fields of the line, in clock ticks (100 a second on Linux).
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Puts the edited briefing back as it was, even when the benchmark panics.
struct Restore {
    file: PathBuf,
    original: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.file, &self.original);
    }
}
