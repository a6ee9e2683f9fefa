//! `pinspect map` and `pinspect check`.

use super::{
    CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, MapArgs, load_inputs, load_mapping, now,
    output,
};
use crate::core::inspect::{Inspection, inspect_all};
use crate::core::report;

/// Loads, maps and inspects; `Err` carries the exit status of a usage or input problem.
fn inspect_inputs(args: &CommonArgs) -> Result<(Vec<Inspection>, super::Inputs), u8> {
    let mapping = load_mapping(args)?;
    let inputs = load_inputs(&args.files);
    let inspections = inspect_all(&inputs.events, &mapping, now(args));
    Ok((inspections, inputs))
}

fn status(inspections: &[Inspection], inputs: &super::Inputs) -> u8 {
    if inputs.failed {
        EXIT_USAGE
    } else if inspections.iter().any(Inspection::has_errors) {
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
    let body = report::map_body(&inspections, args.include_errors);
    let text = match args.common.format {
        Format::Json => serde_json::to_string(&body),
        Format::Text => serde_json::to_string_pretty(&body),
    }
    .unwrap_or_default();
    output(&format!("{text}\n"));
    status(&inspections, &inputs)
}

/// `pinspect check`: the report on stdout.
pub fn check(args: &CommonArgs) -> u8 {
    let (inspections, inputs) = match inspect_inputs(args) {
        Ok(result) => result,
        Err(code) => return code,
    };
    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&report::check_report(&inspections))
                .unwrap_or_default();
            output(&format!("{text}\n"));
        }
        Format::Text => output(&report::text_report(&inspections, &inputs.events)),
    }
    status(&inspections, &inputs)
}
