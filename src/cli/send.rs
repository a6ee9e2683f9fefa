//! `pinspect send`: post the mapped events to the Conversions API and print Pinterest's answer
//! per event. Test mode (`?test=true`) unless `--live`; the token only from
//! `PINTEREST_ACCESS_TOKEN`, never from an argument.

use std::sync::atomic::AtomicBool;

use clap::Args;

use super::{
    CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, load_inputs, load_mapping, message, now,
    output,
};
use crate::core::inspect::inspect_all_with;
use crate::core::send::{
    self, AccessToken, Endpoint, HttpConfig, HttpTransport, Plan, Progress, SendOptions, Stage,
    ThreadSleeper,
};

/// Options of `send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// Send live: Pinterest records the events. Without it requests carry `?test=true`.
    #[arg(long)]
    pub live: bool,

    /// Also send events that have error diagnostics, to read Pinterest's own verdict on them.
    #[arg(long)]
    pub include_errors: bool,

    /// Print the requests as curl commands (the token as `$PINTEREST_ACCESS_TOKEN`) instead of
    /// sending them.
    #[arg(long)]
    pub curl: bool,

    /// The options shared with `check`.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `pinspect send`: the send report on stdout; 0 only when every event was processed.
pub fn send(args: &SendArgs) -> u8 {
    let mapping = match load_mapping(&args.common) {
        Ok(mapping) => mapping,
        Err(code) => return code,
    };

    let test_mode = !args.live;
    if test_mode && !mapping.settings.send_as_test_request {
        message(
            "note: the mapping config turns test requests off, but the command line sends live \
             only with --live; sending in test mode",
        );
    }

    let endpoint = match Endpoint::from_env(&mapping.settings.advertiser_id, test_mode) {
        Ok(endpoint) => endpoint,
        Err(err) => {
            message(&format!("error: {err}; nothing was sent"));
            return EXIT_USAGE;
        }
    };

    let token = if args.curl {
        None
    } else {
        match AccessToken::from_env() {
            Ok(token) => Some(token),
            Err(err) => {
                message(&format!("error: {err}; nothing was sent"));
                return EXIT_USAGE;
            }
        }
    };

    let inputs = load_inputs(&args.common.files);
    if inputs.failed {
        message("error: some input could not be read; nothing was sent");
        return EXIT_USAGE;
    }
    // No traces: sending needs only the payloads and diagnostics.
    let inspections = inspect_all_with(&inputs.events, &mapping, now(&args.common), false, &|_| {
        true
    })
    .unwrap_or_default();
    let plan = Plan::new(&inspections, args.include_errors);
    drop(inspections);

    let Some(token) = token else {
        for batch in plan.batches() {
            output(&send::curl_command(&endpoint, batch));
        }
        message(&format!(
            "{}; printed as curl commands, nothing sent",
            plan.describe()
        ));
        return EXIT_OK;
    };

    let transport = match HttpTransport::new(HttpConfig::from_env().for_endpoint(&endpoint)) {
        Ok(transport) => transport,
        Err(err) => {
            message(&format!("error: {err}; nothing was sent"));
            return EXIT_USAGE;
        }
    };

    announce(&plan, &endpoint);
    let outcome = send::send(
        &plan,
        &transport,
        &token,
        &SendOptions::new(endpoint),
        &ThreadSleeper,
        &report_progress,
        &AtomicBool::new(false),
    );

    match args.common.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&outcome.report()).unwrap_or_default();
            output(&format!("{text}\n"));
        }
        Format::Text => output(&outcome.text_report()),
    }
    if outcome.all_processed() {
        EXIT_OK
    } else {
        EXIT_ERRORS
    }
}

/// Says on stderr what is about to happen.
fn announce(plan: &Plan, endpoint: &Endpoint) {
    let mode = if endpoint.is_test() {
        "test mode: Pinterest validates the events and records none"
    } else {
        "LIVE: Pinterest records every processed event"
    };
    message(&format!(
        "{mode}; sending {} to {}",
        plan.describe(),
        endpoint.url()
    ));
    if plan.batches().is_empty() {
        let hint = if plan.includes_errors() {
            ""
        } else {
            " (--include-errors sends events with errors too)"
        };
        message(&format!("nothing to send: no event can be sent{hint}"));
    }
}

/// Progress lines on stderr.
fn report_progress(progress: &Progress) {
    let total = progress.requests_total;
    match &progress.stage {
        Stage::Sending { request, attempt } if *attempt > 1 => message(&format!(
            "request {}/{total}: attempt {attempt}…",
            request + 1
        )),
        Stage::Sending { request, .. } => {
            message(&format!("request {}/{total}: sending…", request + 1));
        }
        Stage::Waiting {
            request,
            delay,
            reason,
        } => message(&format!(
            "request {}/{total}: {reason}; retrying in {} s",
            request + 1,
            delay.as_secs_f32()
        )),
        Stage::Finished {
            request,
            http_status,
        } => message(&format!(
            "request {}/{total}: {}",
            request + 1,
            http_status.map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"))
        )),
        Stage::Done => {}
    }
}
