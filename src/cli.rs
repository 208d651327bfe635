//! The command line: clap's flags turned into the library's options, results turned into
//! messages and exit codes. This is the only place that prints.
//!
//! Exit codes: 0 success, 1 problems in the site (or the disk refused), 2 a usage error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

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
    /// Print errors only: no summary, warnings or notes.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each stage of a build took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// How much the commands print besides errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
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
    /// Print a completion script for a shell, e.g. `apogee completions bash > /etc/bash_completion.d/apogee`.
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
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
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (relative paths are relative to the root).
    #[arg(short, long, visible_alias = "output-dir", default_value = "public")]
    pub output: PathBuf,
    /// The published address, overriding base_url of site.yaml.
    #[arg(short = 'u', long)]
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
    #[arg(short, long, default_value = ".")]
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
    #[arg(short, long, default_value = ".")]
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
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// The port to listen on (0: any free port).
    #[arg(short, long, default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on; anything but loopback shows the site to your network.
    #[arg(
        short = 'i',
        long,
        visible_alias = "interface",
        default_value = "127.0.0.1"
    )]
    pub bind: std::net::IpAddr,
    /// The address the preview is reached at when it sits behind a proxy or under a path
    /// (`https://example.org/preview/`); links use it instead of the local address.
    #[arg(short = 'u', long)]
    pub base_url: Option<String>,
    /// Include briefings marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    #[arg(short = 'O', long)]
    pub open: bool,
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, true) => Verbosity::Verbose,
        (false, false) => Verbosity::Normal,
    };
    match cli.command {
        Command::Build(args) => run_build(args, verbosity),
        Command::Check(args) => run_check(args, verbosity),
        Command::New(args) => run_new(args, verbosity),
        Command::Serve(args) => run_serve(args, verbosity),
        Command::Init(args) => run_init(args),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "apogee", &mut out);
            ExitCode::SUCCESS
        }
    }
}

/// Errors always; with `--quiet`, nothing else.
fn errors_only(diagnostics: &[Diagnostic], verbosity: Verbosity) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| verbosity != Verbosity::Quiet || d.severity == Severity::Error)
        .cloned()
        .collect()
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

fn run_build(args: BuildArgs, verbosity: Verbosity) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let output = if args.output.is_absolute() {
        args.output.clone()
    } else {
        args.root.join(&args.output)
    };
    let spinner = Progress::start(verbosity);
    let options = BuildOptions {
        base_url: args.base_url,
        drafts: args.drafts,
        search: !args.no_search,
        progress: spinner.sender(),
        force: args.force,
        ..BuildOptions::new(&args.root)
    };
    let result = build::build(&options, &output);
    spinner.finish();
    match result {
        Ok(report) => {
            if verbosity == Verbosity::Quiet {
                return ExitCode::SUCCESS;
            }
            if !report.warnings.is_empty() {
                print_diagnostics(&report.warnings, report.files_read);
            }
            if verbosity == Verbosity::Verbose {
                print_stages(&report.stages.laps);
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
            let shown = errors_only(&rejected.diagnostics, verbosity);
            print_diagnostics(&shown, rejected.files_read);
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

fn run_check(args: CheckArgs, verbosity: Verbosity) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let options = BuildOptions {
        drafts: args.drafts,
        ..BuildOptions::new(&args.root)
    };
    let report = build::check(&options, args.strict);
    match args.format {
        Format::Human if verbosity == Verbosity::Quiet => {
            print_reports(&errors_only(&report.diagnostics, verbosity));
        }
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

fn run_new(args: NewArgs, verbosity: Verbosity) -> ExitCode {
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
    print_reports(&errors_only(&created.notes, verbosity));
    // The path is what `new` makes, not chatter: scripts read it, so --quiet keeps it.
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

fn run_serve(args: ServeArgs, verbosity: Verbosity) -> ExitCode {
    if let Err(code) = site_root(&args.root) {
        return code;
    }
    let options = ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        base_url: args.base_url,
    };
    let open = args.open;
    let links = options
        .base_url
        .as_deref()
        .map(|base| format!("links use {base}; "))
        .unwrap_or_default();
    let result = serve::run(&options, move |event| match event {
        ServeEvent::Listening { url, exposed } => {
            if exposed {
                print_err(format_args!(
                    "warning: listening beyond this machine: anyone on your network can read the preview"
                ));
            }
            print_out(format_args!(
                "Serving the site at {url} ({links}live reload on; Ctrl+C to stop)"
            ));
            if open && let Err(error) = open::that_detached(url) {
                print_err(format_args!("warning: could not open a browser: {error}"));
            }
        }
        ServeEvent::Built { .. } if verbosity == Verbosity::Quiet => {}
        ServeEvent::Built {
            files,
            rendered,
            elapsed,
            warnings,
            stages,
        } => {
            print_reports(warnings);
            if verbosity == Verbosity::Verbose {
                print_stages(stages);
            }
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

/// `--verbose`: one line per stage, `    412 ms  render`.
fn print_stages(stages: &[(&'static str, std::time::Duration)]) {
    for (stage, took) in stages {
        print_out(format_args!("{:>7} ms  {stage}", took.as_millis()));
    }
}

/// A spinner on stderr for builds that take more than a second, saying which stage the build
/// is in, and a bar that fills page by page while pages render: only on a terminal, never in CI or with `--quiet`, so that pipes and logs get the
/// summary line alone.
struct Progress {
    stages: Option<std::sync::mpsc::Sender<build::Stage>>,
    done: Option<std::sync::mpsc::Sender<()>>,
    drawer: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    const DELAY: std::time::Duration = std::time::Duration::from_secs(1);
    const TICK: std::time::Duration = std::time::Duration::from_millis(100);

    fn start(verbosity: Verbosity) -> Self {
        use std::io::IsTerminal;
        let wanted = verbosity != Verbosity::Quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none_or(|ci| ci.is_empty() || ci == "false");
        if !wanted {
            return Progress {
                stages: None,
                done: None,
                drawer: None,
            };
        }
        let (stages, stage_events) = std::sync::mpsc::channel::<build::Stage>();
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let drawer = std::thread::spawn(move || {
            // A build that ends within the delay never shows the spinner at all.
            if !matches!(
                finished.recv_timeout(Self::DELAY),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout)
            ) {
                return;
            }
            // The bar starts a second into the build: its clock starts there too.
            let bar = indicatif::ProgressBar::new_spinner().with_elapsed(Self::DELAY);
            let spinner_style =
                indicatif::ProgressStyle::with_template("{spinner} {msg}… {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            // While pages render, a bar that fills page by page.
            let bar_style =
                indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
                    .map(|style| style.progress_chars("=> "))
                    .unwrap_or_else(|_| spinner_style.clone());
            bar.set_style(spinner_style.clone());
            bar.enable_steady_tick(Self::TICK);
            let mut stage = None;
            // Told, or disconnected: either way the build is over.
            while matches!(
                finished.recv_timeout(Self::TICK),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout)
            ) {
                for event in stage_events.try_iter() {
                    match event {
                        build::Stage::Rendered => bar.inc(1),
                        build::Stage::Rendering(pages) => {
                            bar.set_length(pages as u64);
                            bar.set_position(0);
                            bar.set_style(bar_style.clone());
                            stage = Some(event);
                        }
                        other => {
                            bar.set_style(spinner_style.clone());
                            stage = Some(other);
                        }
                    }
                }
                bar.set_message(stage_words(stage));
            }
            bar.finish_and_clear();
        });
        Progress {
            stages: Some(stages),
            done: Some(done),
            drawer: Some(drawer),
        }
    }

    /// Where the build tells its stages.
    fn sender(&self) -> Option<std::sync::mpsc::Sender<build::Stage>> {
        self.stages.clone()
    }

    fn finish(self) {
        drop(self.done);
        if let Some(drawer) = self.drawer {
            let _ = drawer.join();
        }
    }
}

fn stage_words(stage: Option<build::Stage>) -> String {
    match stage {
        None | Some(build::Stage::Reading) => "Reading the site".to_owned(),
        Some(build::Stage::Rendering(_) | build::Stage::Rendered) => "Rendering".to_owned(),
        Some(build::Stage::Publishing) => "Making feeds, sitemap and search index".to_owned(),
        Some(build::Stage::Writing) => "Writing the output".to_owned(),
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
