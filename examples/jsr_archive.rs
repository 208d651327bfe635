//! Converts the JSR orbital launch list into an apogee archive of generated briefings:
//!
//!     cargo run --release --example jsr_archive -- --out /tmp/jsr [--limit N] [--csv PATH]
//!
//! then `apogee build --root /tmp/jsr`. Every briefing says it is generated and credits the
//! data (CC BY 4.0). The conversion itself lives in `tests/support/jsr.rs`, shared with the tests.

#[path = "../tests/support/jsr.rs"]
mod jsr;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Where the data set sits beside the project (`../shared/data/jsr/`), from a checkout or a
/// worktree one folder deeper.
const DEFAULT_CSV: [&str; 2] = [
    "../shared/data/jsr/orbital_launches_1957_2024.csv",
    "../../shared/data/jsr/orbital_launches_1957_2024.csv",
];

#[derive(Parser)]
#[command(about = "Turn the JSR orbital launch list into an apogee archive")]
struct Args {
    /// The site folder to create (must not hold content yet).
    #[arg(long)]
    out: PathBuf,
    /// Convert only the first N launches.
    #[arg(long)]
    limit: Option<usize>,
    /// The CSV (default: ../shared/data/jsr/orbital_launches_1957_2024.csv).
    #[arg(long)]
    csv: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(csv) = args.csv.or_else(|| {
        DEFAULT_CSV
            .iter()
            .map(|p| manifest.join(p))
            .find(|p| p.is_file())
    }) else {
        eprintln!("error: the JSR CSV is not at ../shared/data/jsr/; pass --csv PATH");
        return ExitCode::from(2);
    };
    let result = jsr::read_file(&csv).and_then(|mut launches| {
        launches.truncate(args.limit.unwrap_or(usize::MAX));
        jsr::write_archive(&launches, &args.out)
    });
    match result {
        Ok(done) => {
            println!(
                "Wrote {} briefings and {} rocket pages into {}",
                done.briefings,
                done.rockets,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
