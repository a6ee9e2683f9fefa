//! The send panel: what will be sent (N events in M requests, test or live), the masked
//! token, Send, and the request log with bodies, answers and "copy as curl". Pinterest's
//! per-event answers are shown on the events themselves (list and diagnostics panel).

use egui::{Button, CollapsingHeader, RichText, ScrollArea, TextEdit, Ui};

use crate::core::diagnostics::Severity;
use crate::core::send::{EventOutcome, EventResult, RequestRecord, curl_command};

use super::super::command::Command;
use super::super::json_view::json_raw_ui;
use super::super::sending::{LastSend, SendState, TASK_SEND, planned_counts};
use super::super::session::Session;
use super::super::theme;
use super::super::work::TaskStatus;

/// Draws the panel.
pub fn send_panel_ui(
    ui: &mut Ui,
    session: &Session,
    send: &mut SendState,
    tasks: &[TaskStatus],
    commands: &mut Vec<Command>,
) {
    let visuals = ui.visuals().clone();
    let live = !session.mapping().settings.send_as_test_request;
    let sending = tasks.iter().any(|t| t.name == TASK_SEND);
    let (events, requests) = planned_counts(session.stats(), send.includes_errors(!live));

    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.strong("Send to Pinterest");
        ui.label(format!(
            "{events} of {} events in {requests} {}",
            session.events().len(),
            if requests == 1 { "request" } else { "requests" }
        ));
        if live {
            ui.colored_label(visuals.error_fg_color, "live: counted as real conversions");
        } else {
            ui.label("test mode: Pinterest checks the events but does not record them");
        }
        ui.add_enabled(
            !live,
            egui::Checkbox::new(&mut send.include_errors, "Include events with errors"),
        )
        .on_hover_text("Send events with error findings too, to read Pinterest's own verdict on them")
        .on_disabled_hover_text("Test mode only: in live mode broken events would be recorded as conversions");
        ui.separator();

        let label = ui.label("Access token");
        let token = ui
            .add(
                TextEdit::singleline(&mut send.token)
                    .password(true)
                    .desired_width(200.0)
                    .hint_text("or set PINTEREST_ACCESS_TOKEN"),
            )
            .labelled_by(label.id)
            .on_hover_text("Kept in memory only: never saved, exported or logged");
        if token.changed() {
            // "Not sent: the access token is empty" is about the token as it was.
            send.problem = None;
        }

        let text = if live {
            "Send live events"
        } else {
            "Send test events"
        };
        let button = if live {
            let (fill, color) = theme::mode_colors(&visuals, true);
            Button::new(RichText::new(text).color(color)).fill(fill)
        } else {
            Button::new(text)
        };
        if ui
            .add_enabled(!sending && events > 0 && session.is_current(), button)
            .on_hover_text(format!(
                "POST the {events} payloads shown, at most 1000 per request, to Pinterest's Conversions API"
            ))
            .clicked()
        {
            commands.push(Command::Send);
        }
        if sending {
            ui.spinner();
        }
        if ui
            .add_enabled(events > 0, Button::new("Copy as curl"))
            .on_hover_text("The requests as curl commands; the token is written as $PINTEREST_ACCESS_TOKEN")
            .clicked()
        {
            commands.push(Command::CopyCurl);
        }
    });

    // Below the send row, an area of fixed height: whatever appears in it (a problem, the
    // answers, a long request log) scrolls there instead of pushing the row up under the
    // pointer, or squeezing the panels above to a sliver on a small window.
    // One line until there are answers (a hint, or the problem that stopped a send), then a
    // fixed share of the window: it grows once, after a send, not under every click.
    let one_line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let height = if send.last.is_some() {
        (ui.ctx().content_rect().height() * 0.15).clamp(3.0 * one_line, 180.0)
    } else {
        one_line
    };
    ScrollArea::vertical()
        .id_salt("send_answers")
        .max_height(height)
        .min_scrolled_height(height)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(problem) = &send.problem {
                ui.colored_label(visuals.error_fg_color, problem);
            }
            match &send.last {
                Some(last) => last_send_ui(ui, session, last, commands),
                None if send.problem.is_none() => {
                    ui.weak("Pinterest's answers appear here after a send, and on the events.");
                }
                None => {}
            }
        });
    ui.add_space(2.0);
}

fn last_send_ui(ui: &mut Ui, session: &Session, last: &LastSend, commands: &mut Vec<Command>) {
    let summary = last.outcome.summary();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "Last {} send: {} sent, {} processed, {} failed, {} not sent, {} unknown",
            if last.outcome.test { "test" } else { "live" },
            summary.sent,
            summary.processed,
            summary.failed,
            summary.not_sent,
            summary.unknown
        ));
        if last.outcome.cancelled {
            ui.colored_label(ui.visuals().warn_fg_color, "cancelled");
        }
        if !last.is_about(session) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "These answers are about events that are no longer loaded, so they are shown only here",
            );
        } else if !last.is_current(session) {
            ui.weak("(the mapping or events changed since; send again to see answers for them)");
        }
    });

    CollapsingHeader::new(format!("Request log ({})", last.outcome.requests.len()))
        .id_salt("request_log")
        .default_open(true)
        .show(ui, |ui| {
            for (number, request) in last.outcome.requests.iter().enumerate() {
                request_ui(ui, last, number, request, commands);
            }
        });
}

fn request_ui(
    ui: &mut Ui,
    last: &LastSend,
    number: usize,
    request: &RequestRecord,
    commands: &mut Vec<Command>,
) {
    let status = request
        .http_status
        .map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
    let counts = match (request.received, request.processed) {
        (Some(received), Some(processed)) => {
            format!(" · {received} received, {processed} processed")
        }
        _ => String::new(),
    };
    // Waits between attempts are part of what the user waited for.
    let waited: std::time::Duration = request
        .attempts
        .iter()
        .filter_map(|attempt| attempt.wait_before_next)
        .sum();
    let attempts = match request.attempts.len() {
        0 | 1 => String::new(),
        n => format!(
            " · {n} attempts, {} ms with waits",
            (request.duration + waited).as_millis()
        ),
    };
    // Counts Pinterest gave do not make an answer tied to the events: say when it is not.
    let untied = request.indexes.iter().any(|&index| {
        last.event(index)
            .is_some_and(|outcome| outcome.result == EventResult::Unknown)
    });
    let untied_note = if untied {
        " · answer not tied to the events"
    } else {
        ""
    };
    let title = format!(
        "Request {}: {status} · {} events · {} ms{counts}{attempts}{untied_note}",
        number + 1,
        request.num_events,
        request.duration.as_millis()
    );
    let ok = request.http_status == Some(200) && !untied;
    let title = if ok {
        RichText::new(title)
    } else {
        RichText::new(title).color(ui.visuals().warn_fg_color)
    };
    CollapsingHeader::new(title)
        .id_salt(("request", number))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.weak(
                    request
                        .started_at
                        .strftime("%Y-%m-%d %H:%M:%S UTC")
                        .to_string(),
                );
                ui.monospace(&request.url);
            });
            if let Some(message) = &request.message {
                ui.label(message);
            }
            if request.attempts.len() > 1 {
                for (attempt, record) in request.attempts.iter().enumerate() {
                    let outcome = record
                        .http_status
                        .map(|s| format!("HTTP {s}"))
                        .or_else(|| record.problem.clone())
                        .unwrap_or_default();
                    ui.weak(format!(
                        "Attempt {}: {outcome} ({} ms)",
                        attempt + 1,
                        record.duration.as_millis()
                    ));
                }
            }
            if let Some(batch) = last.plan.batches().get(number)
                && ui
                    .button("Copy as curl")
                    .accessible_name(format!("Copy request {} as curl", number + 1))
                    .clicked()
            {
                commands.push(Command::CopyText(curl_command(&last.endpoint, batch)));
            }
            CollapsingHeader::new("Request body")
                .id_salt(("request_body", number))
                .show(ui, |ui| {
                    let pretty = serde_json::from_str::<serde_json::Value>(&request.request_body)
                        .ok()
                        .and_then(|v| serde_json::to_string_pretty(&v).ok())
                        .unwrap_or_else(|| request.request_body.clone());
                    json_raw_ui(ui, ("request_body_text", number), &pretty);
                });
            CollapsingHeader::new("Response")
                .id_salt(("response_body", number))
                .show(ui, |ui| match &request.response_body {
                    Some(body) => json_raw_ui(ui, ("response_text", number), body),
                    None => {
                        ui.weak("No response body");
                    }
                });
        });
}

/// The glyph, word and severity of an event's answer, for the list and the details panel.
pub fn answer_parts(outcome: &EventOutcome) -> (&'static str, &'static str, Option<Severity>) {
    match outcome.result {
        EventResult::Processed if outcome.warning_message.is_some() => {
            ("⚠", "processed with a warning", Some(Severity::Warning))
        }
        EventResult::Processed => (theme::SENT_ICON, "processed", None),
        EventResult::Failed => ("❌", "failed", Some(Severity::Error)),
        EventResult::NotSent => (theme::NOT_SENT_ICON, "not sent", Some(Severity::Info)),
        EventResult::Unknown => ("?", "unknown", Some(Severity::Warning)),
    }
}
