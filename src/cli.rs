//! The command line: clap's flags turned into the library's options, results turned into
//! messages and exit codes. This is the only place that prints.
//!
//! Exit codes: 0 success, 1 problems in the site (or the disk refused), 2 a usage error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostic::{Diagnostic, JsonDiagnostic, Problem, Severity};
use crate::load::date::LaunchDate;
use crate::output::OutputError;
use crate::scaffold::{self, NewBriefing};
use crate::serve::{self, ServeError, ServeEvent, ServeOptions};
use crate::vocabulary::Outcome;

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
    /// Report every error and warning in the site, writing nothing.
    Check(CheckArgs),
    /// Scaffold a briefing in content/briefings/ (a draft), and print its path.
    New(NewArgs),
    /// Preview the site locally: rebuild on every save and reload the browser.
    Serve(ServeArgs),
    /// Start a new archive in an empty (or new) folder, ready to build.
    Init(InitArgs),
}

/// Flags of `apogee init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new site; created if missing, refused if not empty.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
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
    /// Skip the search page and its index (faster builds).
    #[arg(long)]
    pub no_search: bool,
    /// Build into a non-empty output folder that apogee did not make: its files are kept,
    /// except those at paths apogee writes, which are replaced.
    #[arg(long)]
    pub force: bool,
}

/// Flags of `apogee check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site root: the folder with content/ and site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check briefings marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors (exit 1 on any).
    #[arg(long)]
    pub strict: bool,
    /// `human` (for people, on stderr) or `json` (for editors and CI, on stdout).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:column: warning: message`, the source line, a caret and help.
    Human,
    /// One JSON document: counts and a list of diagnostics.
    Json,
}

/// Flags of `apogee new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The headline; the file name is made from it.
    #[arg(value_parser = parse_title)]
    pub title: String,
    /// A rocket that flew (repeat for several); known names take their page's spelling.
    #[arg(long = "rocket", value_name = "NAME")]
    pub rockets: Vec<String>,
    /// A country the briefing is about (repeat for several); a known rocket adds its own.
    #[arg(long = "country", value_name = "NAME")]
    pub countries: Vec<String>,
    /// What happened; by default left empty to fill in (scheduled for a future date).
    #[arg(long, value_enum, ignore_case = true)]
    pub outcome: Option<Outcome>,
    /// The launch date, YYYY-MM-DD or RFC 3339; by default today.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<LaunchDate>,
    /// The site root: the folder with content/ and site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Open the new file in $VISUAL or $EDITOR.
    #[arg(long)]
    pub edit: bool,
}

impl clap::ValueEnum for Outcome {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Outcome::Success,
            Outcome::Failure,
            Outcome::Partial,
            Outcome::Scheduled,
            Outcome::Unknown,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.key()))
    }
}

fn parse_title(title: &str) -> Result<String, String> {
    if crate::vocabulary::slugify(title).is_empty() {
        return Err(Problem::TitleWithoutSlug.to_string());
    }
    Ok(title.to_owned())
}

fn parse_date(text: &str) -> Result<LaunchDate, String> {
    LaunchDate::parse(text).ok_or_else(|| {
        Problem::BadDate {
            value: text.to_owned(),
        }
        .to_string()
    })
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
        Command::Check(args) => run_check(args),
        Command::New(args) => run_new(args),
        Command::Serve(args) => run_serve(args),
        Command::Init(args) => run_init(args),
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    let made = match scaffold::init::init(&args.dir) {
        Ok(made) => made,
        Err(diagnostic) if diagnostic.problem.code() == "not-empty" => {
            print_problem(&diagnostic.problem);
            return ExitCode::from(1);
        }
        Err(diagnostic) => {
            print_reports(&[diagnostic]);
            return ExitCode::from(1);
        }
    };
    for file in &made.files {
        print_out(format_args!("{}", args.dir.join(file).display()));
    }
    let cd = if args.dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", args.dir.display())
    };
    print_err(format_args!(
        "Started a site in {}. Next: {cd}apogee serve (preview), apogee new \"Title\" (a briefing), apogee build (publish)",
        args.dir.display()
    ));
    ExitCode::SUCCESS
}

fn run_build(args: BuildArgs) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        args.root.join(&args.output)
    };
    let options = BuildOptions {
        base_url: args.base_url,
        drafts: args.drafts,
        search: !args.no_search,
        force: args.force,
        ..BuildOptions::new(&args.root)
    };
    match build::build(&options, &output) {
        Ok(report) => {
            if !report.warnings.is_empty() {
                print_diagnostics(&report.warnings, report.files_read);
            }
            let written = report.written;
            print_out(format_args!(
                "Built {} pages ({} briefings), {} feeds, data and search files, and {} static files into {} in {} ms ({} files changed)",
                written.pages,
                report.briefings,
                written.generated,
                written.assets,
                output.display(),
                report.elapsed.as_millis(),
                written.changed
            ));
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(rejected)) => {
            print_diagnostics(&rejected.diagnostics, rejected.files_read);
            print_err(format_args!(
                "Build failed; the previous output was left as it was."
            ));
            ExitCode::from(1)
        }
        Err(BuildError::Output(
            error @ (OutputError::Unsafe { .. }
            | OutputError::NotAFolder { .. }
            | OutputError::NotApogees { .. }
            | OutputError::WouldReplace { .. }),
        )) => {
            print_err(format_args!("error: {error}"));
            ExitCode::from(2)
        }
        Err(BuildError::Output(error)) => {
            print_err(format_args!("error: {error}"));
            print_err(format_args!(
                "Build failed; the previous output was left as it was."
            ));
            ExitCode::from(1)
        }
    }
}

/// A site root that is not a folder is a typo in `--root`, not an empty site; a folder with
/// neither `site.yaml` nor `content/` is the wrong folder, where a build would make an empty
/// site.
fn site_root(root: &Path) -> Result<(), ExitCode> {
    if !root.is_dir() {
        print_err(format_args!(
            "error: the site root {} is not a folder (see --root)",
            root.display()
        ));
        return Err(ExitCode::from(2));
    }
    if crate::load::is_site(root) {
        return Ok(());
    }
    print_problem(&Problem::NotASite {
        root: root.to_path_buf(),
    });
    Err(ExitCode::from(2))
}

/// A problem about a folder as a whole, which has no line to point at.
fn print_problem(problem: &Problem) {
    print_err(format_args!("error: {problem}"));
    if let Some(help) = problem.help() {
        print_err(format_args!("  help: {help}"));
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let options = BuildOptions {
        drafts: args.drafts,
        ..BuildOptions::new(&args.root)
    };
    let report = build::check(&options, args.strict);
    match args.format {
        Format::Human => {
            print_diagnostics(&report.diagnostics, report.files_read);
            if report.drafts_left_out > 0 {
                let drafts = plural(report.drafts_left_out, "draft");
                print_err(format_args!(
                    "note: {drafts} not checked for warnings and links (add --drafts)"
                ));
            }
        }
        Format::Json => {
            let json = JsonReport {
                files_read: report.files_read,
                drafts_left_out: report.drafts_left_out,
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
                diagnostics: report.diagnostics.iter().map(Diagnostic::to_json).collect(),
            };
            match serde_json::to_string_pretty(&json) {
                Ok(text) => print_out(format_args!("{text}")),
                Err(error) => print_err(format_args!("error: {error}")),
            }
        }
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_new(args: NewArgs) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let request = NewBriefing {
        root: args.root.clone(),
        title: args.title,
        rockets: args.rockets,
        countries: args.countries,
        outcome: args.outcome,
        date: args.date,
        today: jiff::ZonedDateTime::now().date(),
    };
    let created = match scaffold::create(&request) {
        Ok(created) => created,
        Err(diagnostics) => {
            print_reports(&diagnostics);
            return ExitCode::from(1);
        }
    };
    print_reports(&created.notes);
    let path = if args.root == Path::new(".") {
        created.path
    } else {
        args.root.join(created.path)
    };
    print_out(format_args!("{}", path.display()));
    if args.edit
        && let Err(message) = open_in_editor(&path)
    {
        print_err(format_args!("error: {message}"));
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// What `check --format json` prints.
#[derive(serde::Serialize)]
struct JsonReport {
    files_read: usize,
    drafts_left_out: usize,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

fn run_serve(args: ServeArgs) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
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
                print_err(format_args!(
                    "warning: listening beyond this machine: anyone on your network can read the preview"
                ));
            }
            print_out(format_args!(
                "Serving the site at {url} (live reload on; Ctrl+C to stop)"
            ));
            if open && let Err(error) = open::that_detached(url) {
                print_err(format_args!("warning: could not open a browser: {error}"));
            }
        }
        ServeEvent::Built {
            files,
            rendered,
            elapsed,
            warnings,
        } => {
            print_reports(warnings);
            print_out(format_args!(
                "Built {files} files ({rendered} pages rendered) in {} ms",
                elapsed.as_millis()
            ))
        }
        ServeEvent::Failed { diagnostics } => {
            print_reports(diagnostics);
            print_err(format_args!(
                "Build failed; the browser shows the problems over the last good build."
            ));
        }
        ServeEvent::WatchError { message } => print_err(format_args!("warning: {message}")),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ (ServeError::PortTaken { .. } | ServeError::Listen { .. })) => {
            print_err(format_args!("error: {error}"));
            ExitCode::from(2)
        }
        Err(error) => {
            print_err(format_args!("error: {error}"));
            ExitCode::from(1)
        }
    }
}

/// Prints a line on stdout; a reader that went away (`| head`) is not an error worth a panic.
fn print_out(line: std::fmt::Arguments) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Prints a line on stderr, plain; like [`print_out`], never panics.
fn print_err(line: std::fmt::Arguments) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Runs `$VISUAL` or `$EDITOR` through the shell, as git does, so that `code --wait` works.
fn open_in_editor(path: &Path) -> Result<(), String> {
    let editor = ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .ok_or("--edit needs $VISUAL or $EDITOR to name an editor")?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .map_err(|error| format!("cannot start {editor}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{editor} failed ({status})"))
    }
}

/// Prints every diagnostic, coloured on a terminal.
fn print_reports(diagnostics: &[Diagnostic]) {
    let mut out = anstream::stderr().lock();
    for diagnostic in diagnostics {
        let _ = writeln!(out, "{}", diagnostic.coloured());
    }
}

/// Prints every diagnostic, then a count of errors and warnings and of the files read.
pub fn print_diagnostics(diagnostics: &[Diagnostic], files_read: usize) {
    print_reports(diagnostics);
    let count = |severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let _ = writeln!(
        anstream::stderr(),
        "{}",
        tally(count(Severity::Error), count(Severity::Warning), files_read)
    );
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `2 errors, 1 warning in 118 files`.
pub fn tally(errors: usize, warnings: usize, files: usize) -> String {
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}
