//! `pinspect map` and `pinspect check`.
//!
//! Memory stays bounded on big inputs: `map` and `check --format text` inspect without traces
//! (they print none), and `check --format json` streams its report chunk by chunk
//! ([`report::write_check_report`]).

use std::io::Write as _;

use super::{
    CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, Inputs, MapArgs, load_inputs,
    load_mapping, message, now, output, stdout_writer,
};
use crate::core::inspect::{Inspection, inspect_all_with};
use crate::core::report;
use crate::core::send::MAX_EVENTS_PER_REQUEST;

/// Loads, maps and inspects without traces; `Err` carries the exit status of a usage or input
/// problem.
fn inspect_inputs(args: &CommonArgs) -> Result<(Vec<Inspection>, Inputs), u8> {
    let mapping = load_mapping(args)?;
    let inputs = load_inputs(&args.files);
    let inspections =
        inspect_all_with(&inputs.events, &mapping, now(args), false, &|_| true).unwrap_or_default();
    Ok((inspections, inputs))
}

/// Whether nothing at all could be read: then no result goes to stdout, so that a script never
/// mistakes an empty body or report for "no events had problems".
fn nothing_read(inputs: &Inputs) -> bool {
    inputs.failed && inputs.events.is_empty()
}

fn status(has_errors: bool, inputs: &Inputs) -> u8 {
    if inputs.failed {
        EXIT_USAGE
    } else if has_errors {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// `pinspect map`: the request body on stdout.
pub fn map(args: &MapArgs) -> u8 {
    let (inspections, inputs) = match inspect_inputs(&args.common) {
        Ok(result) => result,
        Err(code) => return code,
    };
    if nothing_read(&inputs) {
        return EXIT_USAGE;
    }

    for note in map_notes(&inspections, args.include_errors) {
        message(&note);
    }

    let mut out = stdout_writer();
    let layout = match args.common.format {
        Format::Text => report::Layout::Pretty,
        Format::Json => report::Layout::Compact,
    };
    let _ = report::write_map_body(&mut out, &inspections, args.include_errors, layout);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
    status(inspections.iter().any(Inspection::has_errors), &inputs)
}

/// What `map` tells on stderr about its body: events left out and why, an empty body, a body
/// over Pinterest's 1000 events a request. A body is often piped straight on, so nothing it
/// lacks may pass without a word.
fn map_notes(inspections: &[Inspection], include_errors: bool) -> Vec<String> {
    let in_body = report::selected_payloads(inspections, include_errors).count();
    if in_body == 0 {
        return vec![empty_body_message(inspections, include_errors)];
    }

    let mut notes = Vec::new();
    let with_errors = inspections
        .iter()
        .filter(|i| i.payload.is_some() && i.has_errors())
        .count();
    let skipped = inspections.iter().filter(|i| i.payload.is_none()).count();
    if !include_errors && with_errors > 0 {
        notes.push(format!(
            "note: {} of {} left out of the body because of errors (see pinspect check; --include-errors emits them anyway)",
            report::plural(with_errors, "event"),
            inspections.len()
        ));
    }
    if skipped > 0 {
        notes.push(format!(
            "note: {} of {} not mapped at all (see pinspect check)",
            report::plural(skipped, "event"),
            inspections.len()
        ));
    }
    if in_body > MAX_EVENTS_PER_REQUEST {
        notes.push(format!(
            "warning: the body holds {in_body} events; Pinterest takes at most {MAX_EVENTS_PER_REQUEST} a request, so split it before sending (pinspect send does)"
        ));
    }
    notes
}

/// Why `map` prints a body without events: Pinterest refuses `{"data":[]}` (at least one
/// event a request), so an empty body must never pass silently.
fn empty_body_message(inspections: &[Inspection], include_errors: bool) -> String {
    let skipped = inspections.iter().filter(|i| i.payload.is_none()).count();
    let with_errors = inspections.len() - skipped;
    let mut reasons = Vec::new();
    if inspections.is_empty() {
        reasons.push("the input holds no events".to_owned());
    }
    if skipped > 0 {
        reasons.push(format!(
            "{} not mapped at all (see pinspect check)",
            report::plural(skipped, "event")
        ));
    }
    if with_errors > 0 && !include_errors {
        reasons.push(format!(
            "{} {} an error (see pinspect check; --include-errors emits {} anyway)",
            report::plural(with_errors, "event"),
            if with_errors == 1 { "has" } else { "have" },
            if with_errors == 1 { "it" } else { "them" }
        ));
    }
    format!(
        "warning: the request body holds no event: {}; Pinterest refuses a body with an empty data list",
        reasons.join(", and ")
    )
}

/// `pinspect check`: the report on stdout.
pub fn check(args: &CommonArgs) -> u8 {
    match args.format {
        Format::Json => {
            let mapping = match load_mapping(args) {
                Ok(mapping) => mapping,
                Err(code) => return code,
            };
            let inputs = load_inputs(&args.files);
            if nothing_read(&inputs) {
                return EXIT_USAGE;
            }

            let mut out = stdout_writer();
            let summary = report::write_check_report(
                &mut out,
                &inputs.events,
                &mapping,
                now(args),
                report::STREAM_CHUNK,
            );
            let _ = out.write_all(b"\n");
            let _ = out.flush();
            // The writer never fails (a closed pipe only stops the output).
            let has_errors = summary.is_ok_and(|summary| summary.errors > 0);
            status(has_errors, &inputs)
        }
        Format::Text => {
            let (inspections, inputs) = match inspect_inputs(args) {
                Ok(result) => result,
                Err(code) => return code,
            };
            if nothing_read(&inputs) {
                return EXIT_USAGE;
            }

            output(&report::text_report(&inspections, &inputs.events));
            status(inspections.iter().any(Inspection::has_errors), &inputs)
        }
    }
}
