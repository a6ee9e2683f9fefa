//! Entry point: logging, argument parsing, dispatch to the CLI or the GUI — nothing else.

use std::process::ExitCode;

use clap::Parser as _;
use pinspect::cli::{self, Cli, Command, GuiArgs};

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();

    let cli = Cli::parse();
    let args = match cli.command {
        None => GuiArgs::default(),
        Some(Command::Gui(args)) => args,
        Some(command) => return cli::run(command),
    };

    let options = pinspect::gui::StartOptions {
        files: args.files,
        config: args.config,
        samples: args.samples,
        select: args.select,
        now: args.now,
        native_dialogs: true,
        token_from_env: true,
        api_base: None,
    };
    match pinspect::gui::run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            cli::message(&format!("error: {err}"));
            ExitCode::from(cli::EXIT_USAGE)
        }
    }
}
