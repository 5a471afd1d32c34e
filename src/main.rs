//! The `kzcheck` command line: parse the arguments and run the command.
//! `cli::args` holds the words, `cli::run` what each command does;
//! everything else lives in the library.
mod cli;

use clap::Parser;
use cli::args::{Cli, Command};
use std::process::ExitCode;

// mimalloc: a run allocates and frees millions of small strings and lists
// from both threads; glibc's malloc took a tenth of the time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let parsed = Cli::parse();
    cli::run::on_interrupt_clean_up();
    let err_color = cli::run::stderr_color();
    match parsed.command {
        Some(Command::Extract(args)) => cli::run::extract(args, err_color),
        Some(Command::Compare(args)) => cli::run::compare(args),
        Some(Command::Rules { command }) => cli::run::rules_command(command, err_color),
        None => cli::run::check(parsed.check),
    }
}
