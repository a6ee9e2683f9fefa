//! Entry point: logging, argument parsing, dispatch to the CLI or the GUI — nothing else.

use std::process::ExitCode;

use clap::Parser as _;
use pinspect::cli::{self, Cli, Command};

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();

    let cli = Cli::parse();
    let files = match cli.command {
        None => Vec::new(),
        Some(Command::Gui { files }) => files,
        Some(command) => return cli::run(command),
    };

    match pinspect::gui::run(&files) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cli::message(&format!("error: {err:#}"));
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
