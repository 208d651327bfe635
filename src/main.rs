//! The `apogee` binary: runs the command line and turns its outcome into an exit code.

/// A build allocates and frees many small strings and maps from every thread (views, Tera
/// values, search records); mimalloc does that faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    apogee::cli::main()
}
