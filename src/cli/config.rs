//! `pinspect config show` and `pinspect config diff`: mapping configs on the command line.
//!
//! `show` prints the effective mapping as a config file: by default the shortest config that
//! reproduces it (preset, settings and overrides), with `--full` the preset's whole table
//! written out as overrides, with `--format text` a table for people. `diff` compares two
//! mappings (config files or `preset:NAME`) like `diff` compares files: exit 0 when they map
//! every event the same way, 1 when they differ, 2 when one cannot be read.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::{Value, json};

use super::{CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, load_inputs, message, output};
use crate::core::config::{self, to_config_text, unknown_preset};
use crate::core::mapping::{
    EventNameChange, EventOutputChange, FieldChange, Mapping, MappingDiff, NameOrigin, RuleOrigin,
    RuleValue, diff, diff_outputs,
};
use crate::core::preset::Preset;
use crate::core::report::plural;
use crate::core::settings::UnmappedEvents;

/// `pinspect config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective mapping as a config file (pinspect-mapping/1).
    Show(ShowArgs),

    /// Print what differs between two mappings and, with event files, which output fields
    /// change on which events. Exit 0 = same, 1 = different, 2 = error.
    Diff(DiffArgs),
}

/// Options of `config show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A mapping config file to start from.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The preset (replaces the config's).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,

    /// Write every event name and field rule of the preset out as overrides, so the file
    /// shows the whole table (it then no longer follows changes of the preset).
    #[arg(long)]
    pub full: bool,

    /// `json`: the config file; `text`: the effective table for people.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

/// Options of `config diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The first mapping ("before"): a config file, or preset:NAME.
    #[arg(value_name = "A")]
    pub a: String,

    /// The second mapping ("after"): a config file, or preset:NAME.
    #[arg(value_name = "B")]
    pub b: String,

    /// Event files to map with both; `-` reads stdin.
    #[arg(value_name = "EVENTS")]
    pub events: Vec<String>,

    /// The clock for time checks, in Unix seconds (default: now).
    #[arg(long, value_name = "UNIX_SECONDS", allow_negative_numbers = true)]
    pub now: Option<i64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `pinspect config …`.
pub fn run(command: &ConfigCommand) -> u8 {
    match command {
        ConfigCommand::Show(args) => show(args),
        ConfigCommand::Diff(args) => diff_command(args),
    }
}

fn show(args: &ShowArgs) -> u8 {
    // The same loading as `map` and `check`, so `show` prints what they would use.
    let common = CommonArgs {
        config: args.config.clone(),
        preset: args.preset.clone(),
        advertiser_id: None,
        default_phone_country: None,
        now: None,
        format: args.format,
        files: Vec::new(),
    };
    let mapping = match super::load_mapping(&common) {
        Ok(mapping) => mapping,
        Err(status) => return status,
    };
    match args.format {
        Format::Json if args.full => output(&to_config_text(&mapping.explicit())),
        Format::Json => output(&to_config_text(&mapping)),
        Format::Text => output(&mapping_table(&mapping)),
    }
    EXIT_OK
}

/// Reads `preset:NAME` or a config file.
fn load(spec: &str) -> Result<Mapping, String> {
    if let Some(name) = spec.strip_prefix("preset:") {
        return if Preset::builtin(name).is_some() {
            Ok(Mapping {
                preset: name.to_owned(),
                ..Mapping::default()
            })
        } else {
            Err(unknown_preset(name))
        };
    }
    config::load_config(Path::new(spec)).map_err(|err| err.to_string())
}

fn diff_command(args: &DiffArgs) -> u8 {
    if let Err(status) = super::check_now(args.now) {
        return status;
    }
    let (a, b) = match (load(&args.a), load(&args.b)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for err in [a.err(), b.err()].into_iter().flatten() {
                message(&format!("error: {err}"));
            }
            return EXIT_USAGE;
        }
    };

    let changes = diff(&a, &b);
    let outputs = if args.events.is_empty() {
        None
    } else {
        let inputs = load_inputs(&args.events);
        if inputs.failed {
            return EXIT_USAGE;
        }
        let now = args
            .now
            .unwrap_or_else(|| jiff::Timestamp::now().as_second());
        Some((
            inputs.events.len(),
            diff_outputs(&a, &b, &inputs.events, now),
        ))
    };

    let text = match args.format {
        Format::Json => {
            let report = diff_report(&args.a, &args.b, &changes, outputs.as_ref());
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Text => diff_text((&args.a, &a), (&args.b, &b), &changes, outputs.as_ref()),
    };
    output(&text);

    if changes.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERRORS
    }
}

/// The JSON of `config diff`: the mapping changes, the per-event output changes (`null`
/// without event files) and counts.
fn diff_report(
    a: &str,
    b: &str,
    changes: &MappingDiff,
    outputs: Option<&(usize, Vec<EventOutputChange>)>,
) -> Value {
    json!({
        "a": a,
        "b": b,
        "identical": changes.is_empty(),
        "preset": changes.preset,
        "settings": changes.settings,
        "event_names": changes.event_names,
        "fields": changes.fields,
        "events": outputs.map(|(_, events)| events),
        "summary": {
            "settings": changes.settings.len(),
            "event_names": changes.event_names.len(),
            "fields": changes.fields.len(),
            "events_checked": outputs.map(|(count, _)| count),
            "events_changed": outputs.map(|(_, events)| events.len()),
        },
    })
}

fn diff_text(
    (a, a_mapping): (&str, &Mapping),
    (b, b_mapping): (&str, &Mapping),
    changes: &MappingDiff,
    outputs: Option<&(usize, Vec<EventOutputChange>)>,
) -> String {
    let mut text = String::new();
    if changes.is_empty() {
        let _ = writeln!(text, "{a} and {b} map every event the same way");
    } else {
        let _ = writeln!(text, "--- {a}\n+++ {b}");
    }
    if let Some(preset) = &changes.preset {
        let _ = writeln!(text, "preset: {} → {}", preset.before, preset.after);
    }
    for setting in &changes.settings {
        let _ = writeln!(
            text,
            "setting {}: {} → {}",
            setting.key, setting.before, setting.after
        );
    }
    for change in &changes.event_names {
        let _ = writeln!(text, "{}", event_name_line(change, a_mapping, b_mapping));
    }
    for change in &changes.fields {
        let _ = writeln!(text, "{}", field_line(change));
    }

    if let Some((checked, events)) = outputs {
        let _ = writeln!(
            text,
            "\n{} of {} {} differently",
            events.len(),
            plural(*checked, "event"),
            if events.len() == 1 {
                "comes out"
            } else {
                "come out"
            }
        );
        for event in events {
            let name = event
                .source_event_name
                .as_deref()
                .unwrap_or("(no event_name)");
            let _ = write!(text, "event {} ({name})", event.index);
            if event.before.event_name != event.after.event_name {
                let _ = write!(
                    text,
                    ": sent as {} → {}",
                    name_or_not_sent(event.before.event_name.as_deref()),
                    name_or_not_sent(event.after.event_name.as_deref())
                );
            }
            if event.before.sendable != event.after.sendable {
                let verdict = if event.after.sendable {
                    "now sendable"
                } else {
                    "no longer sendable"
                };
                let _ = write!(text, " ({verdict})");
            }
            text.push('\n');
            for field in &event.fields {
                let _ = writeln!(
                    text,
                    "  {}: {} → {}",
                    field.path,
                    value_or_absent(field.before.as_ref()),
                    value_or_absent(field.after.as_ref())
                );
            }
            for diagnostic in &event.diagnostics_added {
                let _ = writeln!(
                    text,
                    "  + {} {}: {}",
                    diagnostic.severity,
                    diagnostic.code.as_str(),
                    diagnostic.message
                );
            }
            for diagnostic in &event.diagnostics_removed {
                let _ = writeln!(
                    text,
                    "  - {} {}: {}",
                    diagnostic.severity,
                    diagnostic.code.as_str(),
                    diagnostic.message
                );
            }
        }
    }
    text
}

fn event_name_line(change: &EventNameChange, a: &Mapping, b: &Mapping) -> String {
    let side = |name: Option<&str>, origin: NameOrigin, mapping: &Mapping| match name {
        Some(name) => format!("{name} ({})", origin.as_str()),
        None => match mapping.settings.unmapped_events {
            UnmappedEvents::Custom => "custom (unmapped, with a warning)".to_owned(),
            UnmappedEvents::Skip => "not sent (unmapped)".to_owned(),
        },
    };
    format!(
        "event name {}: {} → {}",
        change.source,
        side(change.before.as_deref(), change.before_origin, a),
        side(change.after.as_deref(), change.after_origin, b),
    )
}

fn field_line(change: &FieldChange) -> String {
    format!(
        "field {}: {} → {}",
        change.path,
        rule_words(change.before.as_ref()),
        rule_words(change.after.as_ref())
    )
}

fn rule_words(rule: Option<&RuleValue>) -> String {
    match rule {
        None => "not mapped".to_owned(),
        Some(RuleValue::Sources(sources)) => {
            let texts: Vec<String> = sources.iter().map(ToString::to_string).collect();
            texts.join(", ")
        }
        Some(RuleValue::Const(value)) => format!("constant {value}"),
        Some(RuleValue::Skip) => "not sent".to_owned(),
    }
}

fn name_or_not_sent(name: Option<&str>) -> &str {
    name.unwrap_or("(not sent)")
}

fn value_or_absent(value: Option<&Value>) -> String {
    value.map_or_else(|| "(absent)".to_owned(), ToString::to_string)
}

/// The effective mapping for people: settings, every event name and every field rule, each
/// with where it comes from.
fn mapping_table(mapping: &Mapping) -> String {
    let preset = mapping.preset();
    let mut text = String::new();
    let _ = writeln!(text, "preset {} — {}", preset.name, preset.title);

    let _ = writeln!(text, "\nsettings");
    if let Ok(Value::Object(settings)) = serde_json::to_value(&mapping.settings) {
        for (key, value) in settings {
            let _ = writeln!(text, "  {key}: {value}");
        }
    }
    if mapping.settings.default_phone_country.is_none() {
        let _ = writeln!(
            text,
            "  default_phone_country: not set (national phone numbers are not sent)"
        );
    }

    // Like the fields below: an override says what the preset would have used.
    let _ = writeln!(text, "\nevent names");
    let mut names: Vec<(&String, &String, String)> = preset
        .event_names
        .iter()
        .filter(|(source, _)| !mapping.event_names.contains_key(*source))
        .map(|(source, target)| (source, target, "preset".to_owned()))
        .collect();
    names.extend(mapping.event_names.iter().map(|(source, target)| {
        let origin = match preset.event_names.get(source) {
            Some(default) => format!("override; preset: {default}"),
            None => "override; the preset does not map it".to_owned(),
        };
        (source, target, origin)
    }));
    names.sort();
    for (source, target, origin) in names {
        let _ = writeln!(text, "  {source} → {target} ({origin})");
    }

    let _ = writeln!(text, "\nfields");
    for rule in mapping.rules() {
        let origin = match &rule.origin {
            RuleOrigin::Preset => "preset".to_owned(),
            RuleOrigin::Override { preset_default } if preset_default.is_empty() => {
                "override; the preset does not map it".to_owned()
            }
            RuleOrigin::Override { preset_default } => {
                let texts: Vec<String> = preset_default.iter().map(ToString::to_string).collect();
                format!("override; preset: {}", texts.join(", "))
            }
        };
        let _ = writeln!(
            text,
            "  {} ← {} ({origin})",
            rule.spec.path,
            rule_words(Some(&rule.value))
        );
    }
    text
}
