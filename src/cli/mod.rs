//! The command line: `map`, `check`, `send`, `hash`, `config` (and `gui`), a thin layer over
//! [`crate::core`].
//!
//! Results go to stdout, messages to stderr. Exit status: 0 when every event can be sent (for
//! `send`: was processed), 1 when at least one has an error diagnostic (was not processed), 2
//! for usage errors, unreadable input, an invalid mapping config, advertiser id or token, and
//! for a result that could not be written (a full disk; a reader that closed the pipe is not
//! an error).
//! `config diff` follows `diff`: 0 = same mappings, 1 = different, 2 = error.

mod check;
mod config;
mod hash;
mod send;

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::core::config::{check_advertiser_id, load_config};
use crate::core::event::{self, SourceEvent};
use crate::core::mapping::Mapping;
use crate::core::preset::{Preset, builtin_presets};

/// pinspect: see exactly what the Commanders Act → Pinterest Conversions API destination sends.
#[derive(Debug, Parser)]
#[command(name = "pinspect", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command the GUI opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the GUI with these event files loaded.
    Gui(GuiArgs),

    /// Print the Pinterest request body {"data":[...]} for the events.
    Map(MapArgs),

    /// Print the inspection report: payload, diagnostics and trace of every event.
    Check(CommonArgs),

    /// Send the events to Pinterest (test mode unless --live) and print its answer per event.
    /// The token comes from the `PINTEREST_ACCESS_TOKEN` environment variable only.
    Send(send::SendArgs),

    /// Print the normalized value and SHA-256 of a value, as the mapping would.
    Hash(hash::HashArgs),

    /// Show a mapping as a config file, or compare two mappings.
    Config {
        /// `show` or `diff`.
        #[command(subcommand)]
        command: config::ConfigCommand,
    },
}

/// Options of `gui`.
#[derive(Debug, Default, Args)]
pub struct GuiArgs {
    /// A mapping config file (pinspect-mapping/1) to start with.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Also load the sample events shipped with pinspect, timed a few minutes before now.
    #[arg(long)]
    pub samples: bool,

    /// Select the event with this index once loaded (default: the first with a warning).
    #[arg(long, value_name = "N")]
    pub select: Option<usize>,

    /// The clock for time checks, in Unix seconds (default: now), e.g. to inspect old exports.
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,

    /// Event files (JSON, JSON array or NDJSON).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Options shared by the commands that read events.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// A mapping config file (pinspect-mapping/1).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The preset to start from (overrides the config's).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,

    /// The Pinterest ad account id (overrides the config's).
    #[arg(long, value_name = "ID")]
    pub advertiser_id: Option<String>,

    /// Default country for national phone numbers, e.g. FR (overrides the config's).
    #[arg(long, value_name = "CC")]
    pub default_phone_country: Option<String>,

    /// The clock for time checks, in Unix seconds (default: now), for reproducible results.
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Event files (JSON object, JSON array or NDJSON); `-` reads stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

/// Options of `map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// Also emit events that have error diagnostics.
    #[arg(long)]
    pub include_errors: bool,

    /// The options shared with `check`.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For scripts; a stable contract.
    Json,
}

/// Exit status: every event can be sent.
pub const EXIT_OK: u8 = 0;

/// Exit status: at least one event has an error diagnostic.
pub const EXIT_ERRORS: u8 = 1;

/// Exit status: usage error, unreadable input or invalid mapping config.
pub const EXIT_USAGE: u8 = 2;

/// Runs a CLI command (not `gui`).
pub fn run(command: Command) -> ExitCode {
    let status = match command {
        Command::Gui(_) => EXIT_USAGE,
        Command::Map(args) => check::map(&args),
        Command::Check(args) => check::check(&args),
        Command::Send(args) => send::send(&args),
        Command::Hash(args) => hash::hash(&args),
        Command::Config { command } => config::run(&command),
    };
    if let Some(err) = WRITE_FAILURE.get() {
        message(&format!("error: cannot write the result to stdout: {err}"));
        return ExitCode::from(EXIT_USAGE);
    }
    ExitCode::from(status)
}

/// The first error writing to stdout other than a closed pipe (a full disk, `> /dev/full`).
/// Results are written from many places; the command's exit status must still say that the
/// result is not all there, so `pinspect map … > body.json` never leaves a cut body behind a
/// success.
static WRITE_FAILURE: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records a failed write to stdout; a closed pipe (`| head`) is the reader's choice, not a
/// failure.
fn record_write_error(err: &std::io::Error) {
    if err.kind() != std::io::ErrorKind::BrokenPipe {
        let _ = WRITE_FAILURE.set(err.to_string());
    }
}

/// Events read from every input, and whether any input failed.
pub struct Inputs {
    /// The events, in input order.
    pub events: Vec<SourceEvent>,

    /// Whether some input could not be read at all.
    pub failed: bool,
}

/// Reads every input; each problem is reported on stderr, and good inputs are still used.
// TODO(#2): inputs are held whole (about 20 times the file size in memory, 1.1 GB for 100 000
// events); reading NDJSON line by line would bound `map` and `check` by a chunk.
pub fn load_inputs(files: &[String]) -> Inputs {
    load_inputs_shown(files, &str::to_owned)
}

/// [`load_inputs`], with every stderr line passed through `shown` first (`send` hides the
/// token's value with it).
pub fn load_inputs_shown(files: &[String], shown: &dyn Fn(&str) -> String) -> Inputs {
    let message = |text: &str| message(&shown(text));
    let mut inputs = Inputs {
        events: Vec::new(),
        failed: false,
    };
    for file in files {
        let loaded = if file == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => event::parse_bytes("stdin", &bytes),
                Err(err) => Err(event::LoadError::Io {
                    source_name: "stdin".to_owned(),
                    err,
                }),
            }
        } else {
            event::load_file(std::path::Path::new(file))
        };
        match loaded {
            Ok(events) => {
                for event in events {
                    // Messages about reading a record start with its place already.
                    if let Some(problem) = &event.problem {
                        message(&format!("error: {}", problem.message));
                    }
                    for warning in &event.warnings {
                        message(&format!("warning: {}", warning.message));
                    }
                    let position = inputs.events.len();
                    inputs.events.push(SourceEvent {
                        origin: event::Origin {
                            position,
                            ..event.origin
                        },
                        ..event
                    });
                }
            }
            Err(err) => {
                message(&format!("error: {err}"));
                inputs.failed = true;
            }
        }
    }
    inputs
}

/// The mapping from `--config`, `--preset` and the setting flags. The problem has been
/// reported on stderr when this returns `Err` with the exit status to use.
pub fn load_mapping(args: &CommonArgs) -> Result<Mapping, u8> {
    let mut mapping = match &args.config {
        Some(path) => load_config(path).map_err(|err| {
            message(&format!("error: {err}"));
            EXIT_USAGE
        })?,
        None => Mapping::default(),
    };
    if let Some(preset) = &args.preset {
        if Preset::builtin(preset).is_none() {
            let names: Vec<&str> = builtin_presets().iter().map(|p| p.name.as_str()).collect();
            message(&format!(
                "error: unknown preset {preset:?}; the presets are {}",
                names.join(", ")
            ));
            return Err(EXIT_USAGE);
        }
        mapping.preset.clone_from(preset);
    }
    if let Some(id) = &args.advertiser_id {
        // The same rule and words as a config's advertiser_id, for every command.
        if let Err(problem) = check_advertiser_id("--advertiser-id", id) {
            message(&format!("error: {problem}"));
            return Err(EXIT_USAGE);
        }
        mapping.settings.advertiser_id.clone_from(id);
    }
    check_now(args.now)?;
    if let Some(country) = &args.default_phone_country {
        if rust_iso3166::from_alpha2(&country.trim().to_ascii_uppercase()).is_none() {
            message(&format!(
                "error: --default-phone-country {country:?} is not an ISO 3166-1 alpha-2 code such as FR"
            ));
            return Err(EXIT_USAGE);
        }
        mapping.settings.default_phone_country = Some(country.trim().to_ascii_uppercase());
    }
    Ok(mapping)
}

/// Refuses a `--now` in milliseconds (reported on stderr; `Err` carries the exit status):
/// every event would look thousands of years old.
pub fn check_now(now: Option<i64>) -> Result<(), u8> {
    match now {
        Some(now) if now > LATEST_PLAUSIBLE_NOW => {
            message(&format!(
                "error: --now {now} is after the year 5000; it is in Unix seconds, and this looks like milliseconds (drop the last three digits)"
            ));
            Err(EXIT_USAGE)
        }
        _ => Ok(()),
    }
}

/// The largest `--now` taken as seconds (in the year 5138); a millisecond clock of today is
/// a thousand times larger.
const LATEST_PLAUSIBLE_NOW: i64 = 100_000_000_000;

/// `--now`, or the system clock.
pub fn now(args: &CommonArgs) -> i64 {
    args.now
        .unwrap_or_else(|| jiff::Timestamp::now().as_second())
}

/// Writes a result to stdout, with control characters other than line breaks and tabs escaped
/// (values and server answers must not drive the terminal); a closed pipe
/// (`pinspect check … | head`) is not an error.
pub fn output(text: &str) {
    let text = crate::core::report::printable_lines(text);
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        record_write_error(&err);
    }
}

/// A buffered writer to stdout for big results. A closed pipe (`pinspect check … | head`) is
/// not an error: the rest of the output is dropped and the command still finishes its work, so
/// its exit status does not depend on the reader.
pub fn stdout_writer() -> std::io::BufWriter<Lenient<std::io::Stdout>> {
    std::io::BufWriter::with_capacity(64 * 1024, Lenient::new(std::io::stdout()))
}

/// A writer that stops writing after its first error and reports success, so that a result
/// streamed to a closed pipe does not stop the work that decides the exit status. Any other
/// error is recorded, and makes the command exit with status 2 once its work is done.
pub struct Lenient<W> {
    inner: W,
    broken: bool,
}

impl<W> Lenient<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            broken: false,
        }
    }
}

impl<W: std::io::Write> std::io::Write for Lenient<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.broken
            && let Err(err) = self.inner.write_all(buf)
        {
            record_write_error(&err);
            self.broken = true;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.broken
            && let Err(err) = self.inner.flush()
        {
            record_write_error(&err);
            self.broken = true;
        }
        Ok(())
    }
}

/// Writes a message line to stderr, escaped like [`output`].
pub fn message(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", crate::core::report::printable_lines(text));
}
