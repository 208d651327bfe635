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
use crate::serve::{self, ServeError, ServeEvent, ServeOptions};

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
    /// Preview the site locally: rebuild on every save and reload the browser.
    Serve(ServeArgs),
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

/// Flags of `apogee serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site root: the folder with content/ and site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on; anything but loopback shows the site to your network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    #[arg(long)]
    pub open: bool,
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
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
                "Built {} pages ({} briefings) and copied {} files into {} in {} ms",
                written.pages,
                report.briefings,
                written.assets,
                output.display(),
                report.elapsed.as_millis()
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

fn run_serve(args: ServeArgs) -> ExitCode {
    let options = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
    };
    let open = args.open;
    let result = serve::run(&options, move |event| match event {
        ServeEvent::Listening { url, exposed } => {
            if exposed {
                eprintln!(
                    "warning: listening beyond this machine: anyone on your network can read the preview"
                );
            }
            say(format_args!(
                "Serving the site at {url} (live reload on; Ctrl+C to stop)"
            ));
            if open && let Err(error) = open::that_detached(url) {
                eprintln!("warning: could not open a browser: {error}");
            }
        }
        ServeEvent::Built {
            files,
            rendered,
            elapsed,
        } => {
            say(format_args!(
                "Built {files} files ({rendered} pages rendered) in {} ms",
                elapsed.as_millis()
            ));
        }
        ServeEvent::Failed { diagnostics } => {
            print_diagnostics(diagnostics);
            eprintln!("Build failed; the browser shows the problems over the last good build.");
        }
        ServeEvent::WatchError { message } => eprintln!("warning: {message}"),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ (ServeError::PortTaken { .. } | ServeError::Listen { .. })) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

/// Prints a line of a long-running command now; a closed stdout must not stop the preview.
fn say(line: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
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
