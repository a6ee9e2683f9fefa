//! `pinspect send`: post the mapped events to the Conversions API and print Pinterest's answer
//! per event. Test mode (`?test=true`) unless `--live`; the token only from
//! `PINTEREST_ACCESS_TOKEN`, never from an argument.

use std::collections::HashSet;
use std::sync::atomic::AtomicBool;

use clap::Args;

use super::{
    CommonArgs, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, load_inputs_shown, load_mapping, message,
    now, output,
};
use crate::core::inspect::{Inspection, inspect_all_with};
use crate::core::report::plural;
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
///
/// Everything it prints (stdout, stderr, the curl commands) goes through [`AccessToken::redact`]
/// when the token is known, so its value never shows, wherever it comes from.
pub fn send(args: &SendArgs) -> u8 {
    let mapping = match load_mapping(&args.common) {
        Ok(mapping) => mapping,
        Err(code) => return code,
    };

    let test_mode = !args.live;
    if test_mode && !mapping.settings.send_as_test_request {
        message(if args.curl {
            "note: the mapping config turns test requests off, but the command line sends live \
             only with --live; the curl commands use test mode"
        } else {
            "note: the mapping config turns test requests off, but the command line sends live \
             only with --live; sending in test mode"
        });
    }

    let endpoint = match Endpoint::from_env(&mapping.settings.advertiser_id, test_mode) {
        Ok(endpoint) => endpoint,
        Err(err) => {
            message(&format!("error: {err}; nothing was sent"));
            return EXIT_USAGE;
        }
    };

    // `--curl` needs no token, but hides it when the variable holds one.
    let token = match AccessToken::from_env() {
        Ok(token) => Some(token),
        Err(_) if args.curl => None,
        Err(err) => {
            message(&format!("error: {err}; nothing was sent"));
            return EXIT_USAGE;
        }
    };
    let shown = |text: &str| {
        token
            .as_ref()
            .map_or_else(|| text.to_owned(), |token| token.redact(text))
    };
    let say = |text: &str| message(&shown(text));

    let inputs = load_inputs_shown(&args.common.files, &shown);
    if inputs.failed {
        say("error: some input could not be read; nothing was sent");
        return EXIT_USAGE;
    }
    // No traces: sending needs only the payloads and diagnostics.
    let inspections = inspect_all_with(&inputs.events, &mapping, now(&args.common), false, &|_| {
        true
    })
    .unwrap_or_default();
    let plan = Plan::new(&inspections, args.include_errors);
    if let Some(token) = &token {
        warn_if_events_hold_the_token(&plan, &inspections, token, args.curl);
    }
    drop(inspections);

    if args.curl {
        // The same status as `map`: 1 when some events are left out of the commands.
        let all_in = plan.events_planned() == plan.events_total();
        let status = if all_in { EXIT_OK } else { EXIT_ERRORS };
        if plan.batches().is_empty() {
            say(&format!(
                "nothing to send: 0 of {} can be sent, so no curl command was printed",
                plural(plan.events_total(), "event")
            ));
            return status;
        }
        for batch in plan.batches() {
            output(&shown(&send::curl_command(&endpoint, batch)));
        }
        say(&format!(
            "{}; printed as curl commands, nothing sent",
            plan.describe()
        ));
        return status;
    }
    let Some(token) = &token else {
        return EXIT_USAGE;
    };

    let transport = match HttpTransport::new(HttpConfig::from_env().for_endpoint(&endpoint)) {
        Ok(transport) => transport,
        Err(err) => {
            say(&format!("error: {err}; nothing was sent"));
            return EXIT_USAGE;
        }
    };

    announce(&plan, &endpoint);
    let outcome = send::send(
        &plan,
        &transport,
        token,
        &SendOptions::new(endpoint),
        &ThreadSleeper,
        &|progress: &Progress| report_progress(progress, &shown),
        &AtomicBool::new(false),
    );

    match args.common.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&outcome.report()).unwrap_or_default();
            output(&shown(&format!("{text}\n")));
        }
        Format::Text => output(&shown(&outcome.text_report())),
    }
    if outcome.all_processed() {
        EXIT_OK
    } else {
        EXIT_ERRORS
    }
}

/// Warns when the token's value is inside payloads about to be sent (a constant or an event
/// field holding it by mistake): it is hidden in everything printed, but it would be sent.
fn warn_if_events_hold_the_token(
    plan: &Plan,
    inspections: &[Inspection],
    token: &AccessToken,
    curl: bool,
) {
    if !plan.batches().iter().any(|b| token.appears_in(b.body())) {
        return;
    }
    let planned: HashSet<usize> = plan
        .batches()
        .iter()
        .flat_map(|b| b.indexes().iter().copied())
        .collect();
    let holding: Vec<String> = inspections
        .iter()
        .filter(|i| planned.contains(&i.index))
        .filter(|i| {
            i.payload
                .as_ref()
                .is_some_and(|p| token.appears_in(&p.to_string()))
        })
        .map(|i| format!("#{}", i.index))
        .collect();
    let named: Vec<&str> = holding.iter().take(5).map(String::as_str).collect();
    let more = match holding.len().saturating_sub(named.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let what = if curl {
        "the curl commands show *** in its place, so they do not send what pinspect would"
    } else {
        "it is shown as *** here, but it is sent as it is"
    };
    message(&format!(
        "warning: the access token's value is in the payload of {} {}{more}; {what}. Remove it \
         from the events",
        if holding.len() == 1 {
            "event"
        } else {
            "events"
        },
        named.join(", ")
    ));
}

/// Says on stderr what is about to happen.
fn announce(plan: &Plan, endpoint: &Endpoint) {
    if plan.batches().is_empty() {
        let hint = if plan.includes_errors() {
            ""
        } else {
            " (--include-errors sends events with errors too)"
        };
        message(&format!(
            "nothing to send: 0 of {} can be sent{hint}",
            plural(plan.events_total(), "event")
        ));
        return;
    }
    let mode = if endpoint.is_test() {
        "test mode: Pinterest checks the events and records none"
    } else {
        "LIVE: Pinterest records every processed event"
    };
    message(&format!(
        "{mode}; sending {} to {}",
        plan.describe(),
        endpoint.url()
    ));
}

/// Progress lines on stderr.
fn report_progress(progress: &Progress, shown: &dyn Fn(&str) -> String) {
    let message = |text: &str| message(&shown(text));
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
