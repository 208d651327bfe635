//! The command line: clap's flags turned into the library's options, results turned into
//! messages and exit codes. This is the only place that prints.
//!
//! Exit codes: 0 success, 1 problems in the site (or the disk refused), 2 a usage error.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::OutputError;

/// A static site generator for archives of launch briefings.
#[derive(Debug, Parser)]
#[command(name = "apogee", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced atomically).
    Build(BuildArgs),
}

/// Flags of `apogee build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site root: the folder with content/ and site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (relative paths are relative to the root).
    #[arg(long, default_value = "public")]
    pub output: PathBuf,
    /// The published address, overriding base_url of site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    if !args.root.is_dir() {
        eprintln!(
            "error: the site root {} is not a folder (see --root)",
            args.root.display()
        );
        return ExitCode::from(2);
    }
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        args.root.join(&args.output)
    };
    let options = BuildOptions {
        base_url: args.base_url,
        drafts: args.drafts,
        ..BuildOptions::new(&args.root)
    };
    match build::build(&options, &output) {
        Ok(report) => {
            let written = report.written;
            println!(
                "Built {} pages ({} briefings) and {} static files into {} in {} ms ({} files changed)",
                written.pages,
                report.briefings,
                written.assets,
                output.display(),
                report.elapsed.as_millis(),
                written.changed
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            eprintln!("Build failed; the previous output was left as it was.");
            ExitCode::from(1)
        }
        Err(BuildError::Output(error @ OutputError::Unsafe { .. })) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(BuildError::Output(error)) => {
            eprintln!("error: {error}");
            eprintln!("Build failed; the previous output was left as it was.");
            ExitCode::from(1)
        }
    }
}

/// Prints every diagnostic, then a count of errors and warnings.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for diagnostic in diagnostics {
        let _ = writeln!(out, "{diagnostic}");
    }
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let _ = writeln!(
        out,
        "{}",
        tally(count(Severity::Error), count(Severity::Warning))
    );
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `2 errors, 1 warning`.
pub fn tally(errors: usize, warnings: usize) -> String {
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
