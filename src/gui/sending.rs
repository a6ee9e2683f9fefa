//! Sending from the window: the token (in memory only), the last send's plan, endpoint and
//! outcome, and starting a send on a background task with progress and cancel.
//!
//! Everything that decides what is sent and how answers map back is the core's
//! ([`crate::core::send`]); this module only gathers the inputs and keeps the result.

use std::time::Duration;

use crate::core::diagnostics::Severity;
use crate::core::report::plural;
use crate::core::send::{
    self, AccessToken, Endpoint, EventOutcome, HttpConfig, HttpTransport, MAX_EVENTS_PER_REQUEST,
    Plan, SendOptions, SendOutcome, Stage, ThreadSleeper, api_base_from_env, curl_command,
};

use super::app::{App, TaskOutput};
use super::session::Stats;

/// Background task name of a send.
pub const TASK_SEND: &str = "send";

/// A finished send: what was planned, where it went, what came back.
#[derive(Clone, Debug)]
pub struct LastSend {
    /// The batches.
    pub plan: Plan,

    /// The URL and mode.
    pub endpoint: Endpoint,

    /// Pinterest's answers, per event and per request.
    pub outcome: SendOutcome,

    /// The session's events epoch when the send started ([`super::session::Session::events_epoch`]).
    pub events_epoch: u64,

    /// The mapping the payloads came from, with test mode set: switching the mode does not
    /// change what an event is sent as.
    pub mapping: crate::core::mapping::Mapping,

    /// How many events were loaded.
    pub events_len: usize,
}

impl SendState {
    /// Whether events with errors go too: only in test mode. In live mode they would be
    /// recorded as real (broken) conversions, so the box is off there whatever it says.
    pub fn includes_errors(&self, test: bool) -> bool {
        self.include_errors && test
    }
}

impl LastSend {
    /// Whether the answers are about the events loaded now: not when the events were cleared
    /// or replaced since the send started, whatever their number.
    pub fn is_about(&self, session: &super::session::Session) -> bool {
        self.events_epoch == session.events_epoch()
    }

    /// Whether the events and mapping are still those of the send, test mode aside: then the
    /// answers are about what the screen shows.
    pub fn is_current(&self, session: &super::session::Session) -> bool {
        // Drawn every frame: compared in place, without copying the mapping.
        let now = session.mapping();
        let sent = &self.mapping;
        self.is_about(session)
            && self.events_len == session.events().len()
            && sent.preset == now.preset
            && sent.event_names == now.event_names
            && sent.fields == now.fields
            && sent.settings
                == crate::core::settings::Settings {
                    send_as_test_request: true,
                    ..now.settings.clone()
                }
    }

    /// The answer for the event at input position `index`.
    pub fn event(&self, index: usize) -> Option<&EventOutcome> {
        self.outcome.event(index)
    }
}

/// The send panel's state. Not persisted, and deliberately without `Debug`: it holds the
/// access token.
#[derive(Default)]
pub struct SendState {
    /// The access token as typed (masked in the UI, never stored or logged).
    pub token: String,

    /// Also send events with errors, to read Pinterest's own verdict on them. Test mode
    /// only: see [`Self::includes_errors`].
    pub include_errors: bool,

    /// The last finished send.
    pub last: Option<LastSend>,

    /// Why the last press of Send did not send anything.
    pub problem: Option<String>,

    /// The API base; `None` reads `PINSPECT_API_BASE` or uses Pinterest's.
    pub api_base: Option<String>,
}

/// How many events and requests a send would make now: `(events, requests)`. The same
/// selection as the core's ([`crate::core::report::selected_payloads`]): sendable events, or
/// every event with a payload when errors are included; read from the totals computed once
/// per result, so drawing stays cheap on big inputs.
pub fn planned_counts(stats: &Stats, include_errors: bool) -> (usize, usize) {
    let events = if include_errors {
        stats.with_payload
    } else {
        stats.summary.sendable
    };
    (events, events.div_ceil(MAX_EVENTS_PER_REQUEST))
}

impl App {
    /// Validates the inputs and starts the send; a problem is shown in the panel and nothing
    /// is sent.
    pub(super) fn start_send(&mut self, ctx: &egui::Context) {
        self.send.problem = None;
        if self.tasks.is_running(TASK_SEND) {
            return;
        }
        if !self.session.is_current() {
            self.send.problem = Some(
                "Wait until every event is checked: the payloads are being recomputed".to_owned(),
            );
            return;
        }
        let token = match AccessToken::new(&self.send.token) {
            Ok(token) => token,
            Err(err) => {
                self.send.problem = Some(format!("Not sent: {err}"));
                return;
            }
        };
        let settings = &self.session.mapping().settings;
        // The field shows what the user typed; never send to another account than that.
        if let Err(problem) =
            crate::core::config::check_advertiser_id("the advertiser id", &self.view.advertiser_id)
        {
            self.send.problem = Some(format!("Not sent: {problem}"));
            return;
        }
        let test = settings.send_as_test_request;
        let base = self.send.api_base.clone().unwrap_or_else(api_base_from_env);
        let endpoint = match Endpoint::new(&base, &settings.advertiser_id, test) {
            Ok(endpoint) => endpoint,
            Err(err) => {
                self.send.problem = Some(format!("Not sent: {err}"));
                return;
            }
        };
        let test_mode = self.session.mapping().settings.send_as_test_request;
        let plan = Plan::new(
            self.session.inspections(),
            self.send.includes_errors(test_mode),
        );
        if plan.events_planned() == 0 {
            self.send.problem = Some(
                "Not sent: no event can be sent (every event has errors or no payload); tick \"Include events with errors\" to send them anyway"
                    .to_owned(),
            );
            return;
        }

        let total = plan.events_planned();
        let events_epoch = self.session.events_epoch();
        let mapping = mapping_sent(self.session.mapping());
        let events_len = self.session.events().len();
        let label = format!(
            "Sending {total} {} events",
            if test { "test" } else { "live" }
        );
        self.tasks
            .spawn(ctx, TASK_SEND, label, total, move |progress| {
                let config = HttpConfig::from_env().for_endpoint(&endpoint);
                let options = SendOptions::new(endpoint.clone());
                let transport =
                    HttpTransport::new(config).map(|t| t.with_cancel(progress.cancel_handle()));
                let outcome = match transport {
                    Ok(transport) => send::send(
                        &plan,
                        &transport,
                        &token,
                        &options,
                        &ThreadSleeper,
                        &|p: &send::Progress| {
                            progress.set(p.events_done);
                            progress.set_note(stage_text(&p.stage, p.requests_total));
                        },
                        progress.cancel_flag(),
                    ),
                    Err(err) => SendOutcome::unsent(&plan, test, &err.to_string()),
                };
                Ok(TaskOutput::Sent(Box::new(LastSend {
                    plan,
                    endpoint,
                    outcome,
                    events_epoch,
                    mapping,
                    events_len,
                })))
            });
    }

    /// Copies the requests a send would make now as curl commands; the token is written as
    /// `$PINTEREST_ACCESS_TOKEN`, never as itself.
    pub(super) fn copy_curl(&mut self, ctx: &egui::Context) {
        let settings = &self.session.mapping().settings;
        let base = self.send.api_base.clone().unwrap_or_else(api_base_from_env);
        let endpoint = match Endpoint::new(
            &base,
            &settings.advertiser_id,
            settings.send_as_test_request,
        ) {
            Ok(endpoint) => endpoint,
            Err(err) => {
                self.send.problem = Some(format!("No curl command: {err}"));
                return;
            }
        };
        let test_mode = self.session.mapping().settings.send_as_test_request;
        let plan = Plan::new(
            self.session.inspections(),
            self.send.includes_errors(test_mode),
        );
        let commands: Vec<String> = plan
            .batches()
            .iter()
            .map(|batch| curl_command(&endpoint, batch))
            .collect();
        ctx.copy_text(commands.join("\n"));
        self.send.problem = None;
        self.notify(
            ctx,
            Severity::Info,
            format!(
                "{} copied; set PINTEREST_ACCESS_TOKEN before running {}",
                plural(commands.len(), "curl command"),
                if commands.len() == 1 { "it" } else { "them" }
            ),
        );
    }

    /// Keeps a finished send and tells the user how it went.
    pub(super) fn finish_send(&mut self, ctx: &egui::Context, last: LastSend) {
        let summary = last.outcome.summary();
        // Nothing delivered (a refused connection) is at least as bad as a partial failure.
        let severity = if summary.failed > 0 || summary.unknown > 0 || summary.processed == 0 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let mode = if last.outcome.test {
            "Test send"
        } else {
            "Live send"
        };
        let cancelled = if last.outcome.cancelled {
            " (cancelled)"
        } else {
            ""
        };
        self.notify(
            ctx,
            severity,
            format!(
                "{mode}{cancelled}: {} sent in {}, {} processed, {} failed, {} not sent, {} unknown",
                summary.sent,
                plural(last.outcome.requests.len(), "request"),
                summary.processed,
                summary.failed,
                summary.not_sent,
                summary.unknown
            ),
        );
        self.send.last = Some(last);
    }
}

/// A mapping as far as what an event is sent as: test mode set, whatever it was.
fn mapping_sent(mapping: &crate::core::mapping::Mapping) -> crate::core::mapping::Mapping {
    let mut mapping = mapping.clone();
    mapping.settings.send_as_test_request = true;
    mapping
}

/// The progress stage in a few words.
fn stage_text(stage: &Stage, requests_total: usize) -> String {
    match stage {
        Stage::Sending { request, attempt } if *attempt > 1 => {
            format!(
                "request {} of {requests_total}, attempt {attempt}",
                request + 1
            )
        }
        Stage::Sending { request, .. } => format!("request {} of {requests_total}", request + 1),
        Stage::Waiting { delay, reason, .. } => {
            format!("waiting {} before retrying: {reason}", seconds(*delay))
        }
        Stage::Finished { request, .. } => format!("request {} finished", request + 1),
        Stage::Done => "done".to_owned(),
    }
}

fn seconds(delay: Duration) -> String {
    format!("{:.1} s", delay.as_secs_f32())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::mapping::Mapping;
    use crate::gui::samples::{SAMPLE_ANCHOR, sample_events};
    use crate::gui::session::{Clock, Session};

    #[test]
    fn events_with_errors_go_only_in_test_mode() {
        let send = SendState {
            include_errors: true,
            ..SendState::default()
        };
        assert!(send.includes_errors(true));
        assert!(!send.includes_errors(false));
        assert!(!SendState::default().includes_errors(true));
    }

    #[test]
    fn planned_counts_agree_with_the_core_plan() {
        let mut session = Session::new(Mapping::default(), Clock::Fixed(SAMPLE_ANCHOR));
        session.append("samples", sample_events(SAMPLE_ANCHOR).unwrap());
        assert!(session.refresh().is_none());
        for include_errors in [false, true] {
            let plan = Plan::new(session.inspections(), include_errors);
            assert_eq!(
                planned_counts(session.stats(), include_errors),
                (plan.events_planned(), plan.batches().len()),
                "include_errors {include_errors}"
            );
        }
    }
}
