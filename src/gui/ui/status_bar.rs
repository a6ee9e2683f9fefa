//! The bottom bar: totals, background work with progress and cancel, and the messages (load
//! and import errors stay until dismissed).

use egui::{Button, ProgressBar, RichText, Ui};

use crate::core::diagnostics::Severity;
use crate::core::report::plural;

use super::super::command::Command;
use super::super::session::{Clock, Session};
use super::super::theme;
use super::super::view::{Notice, View};
use super::super::work::TaskStatus;

/// Draws the bar.
pub fn status_bar_ui(
    ui: &mut Ui,
    session: &Session,
    view: &mut View,
    tasks: &[TaskStatus],
    commands: &mut Vec<Command>,
) {
    ui.add_space(2.0);
    ui.horizontal_wrapped(|ui| {
        summary_ui(ui, session);
        for task in tasks {
            ui.separator();
            ui.label(&task.label);
            let bar = if task.total > 0 {
                #[expect(clippy::cast_precision_loss, reason = "a progress fraction")]
                let fraction = task.done as f32 / task.total as f32;
                ProgressBar::new(fraction).show_percentage()
            } else {
                ProgressBar::new(0.0).animate(true)
            };
            ui.add(bar.desired_width(160.0));
            if task.stopping {
                // Work already under way (a request on the wire) ends first; say so, rather
                // than leave a Cancel that seems to do nothing.
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "Stopping; a request already on its way may still be recorded by Pinterest",
                );
            } else if ui
                .add(Button::new("Cancel"))
                .accessible_name(format!("Cancel {}", task.label))
                .clicked()
            {
                commands.push(Command::Cancel(task.name));
            }
        }
        if tasks.is_empty()
            && !session.is_current()
            && view.cancelled_generation == Some(session.generation())
        {
            ui.separator();
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Checking was cancelled: results are from before your last change",
            );
            if ui.button("Check again").clicked() {
                view.cancelled_generation = None;
            }
        }
        ui.separator();
        ui.horizontal(|ui| super::top_bar::clock_ui(ui, session, view, commands));
        old_events_hint_ui(ui, session, view, commands);
    });
    notices_ui(ui, view);
    ui.add_space(2.0);
}

/// When most events are older than Pinterest's 7-day window (an old export), offers to check
/// them against their own time so that the other findings are not buried.
fn old_events_hint_ui(
    ui: &mut Ui,
    session: &Session,
    view: &mut View,
    commands: &mut Vec<Command>,
) {
    let stats = session.stats();
    let Some(newest) = stats.newest_event_time else {
        return;
    };
    if session.clock != Clock::Now || stats.too_old * 2 <= stats.summary.events {
        return;
    }
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!("{} events are more than 7 days old", stats.too_old),
    );
    if ui
        .button("Check against the newest event's time")
        .on_hover_text(
            "Pinterest rejects such events today; this shows what else is wrong with them",
        )
        .clicked()
    {
        let at = newest + 60;
        view.clock_text = at.to_string();
        commands.push(Command::SetClock(Clock::Fixed(at)));
    }
}

fn summary_ui(ui: &mut Ui, session: &Session) {
    let events = session.events().len();
    if events == 0 {
        ui.weak("No events loaded");
        return;
    }
    let files = session.sources().len();
    let summary = session.stats().summary;
    let visuals = ui.visuals().clone();
    ui.label(format!(
        "{} from {}",
        plural(events, "event"),
        plural(files, "input")
    ));
    ui.label(format!("· {} can be sent", summary.sendable));
    // Coloured only when there is something to see.
    let count = |count: usize, noun: &str, severity: Severity| {
        let text = RichText::new(format!("· {}", plural(count, noun)));
        if count > 0 {
            text.color(theme::severity_color(&visuals, severity))
        } else {
            text
        }
    };
    ui.label(count(summary.errors, "error", Severity::Error));
    ui.label(count(summary.warnings, "warning", Severity::Warning));
}

/// The messages, always on one line of the same height: the newest one (its whole text on
/// hover) and the others behind a button. Messages come and go by themselves; if they pushed
/// the send row up and down, a click meant for *Send* could land elsewhere.
fn notices_ui(ui: &mut Ui, view: &mut View) {
    let visuals = ui.visuals().clone();
    let mut dismissed = None;
    ui.horizontal(|ui| {
        let Some((last_position, last)) = view.notices.iter().enumerate().next_back() else {
            ui.weak("No messages");
            return;
        };
        // The last kept message is shown only when it is the newest posted; once that one
        // has expired, the others wait behind the button.
        let newest = (last.posted >= view.newest_notice_posted).then_some((last_position, last));
        let older = newest.map_or(view.notices.len(), |(position, _)| position);
        if older > 0 {
            ui.menu_button(format!("{older} more"), |ui| {
                for (position, notice) in view.notices.iter().enumerate().take(older).rev() {
                    ui.horizontal(|ui| {
                        notice_text_ui(ui, &visuals, notice, false);
                        if ui
                            .add(Button::new("Dismiss").small())
                            .accessible_name(format!("Dismiss message {}", position + 1))
                            .clicked()
                        {
                            dismissed = Some(position);
                        }
                    });
                }
                ui.separator();
                if ui.button("Dismiss all messages").clicked() {
                    dismissed = Some(usize::MAX);
                    ui.close();
                }
            });
        }
        let Some((newest_position, newest)) = newest else {
            ui.weak("No new messages");
            return;
        };
        if ui
            .add(Button::new("Dismiss").small())
            .accessible_name(format!("Dismiss message {}", newest_position + 1))
            .clicked()
        {
            dismissed = Some(newest_position);
        }
        notice_text_ui(ui, &visuals, newest, true);
    });
    match dismissed {
        Some(usize::MAX) => view.notices.clear(),
        Some(position) if position < view.notices.len() => {
            view.notices.remove(position);
        }
        _ => {}
    }
}

fn notice_text_ui(ui: &mut Ui, visuals: &egui::Visuals, notice: &Notice, one_line: bool) {
    ui.label(theme::severity_glyph(visuals, notice.severity));
    let color = match notice.severity {
        Severity::Info => visuals.text_color(),
        other => theme::severity_color(visuals, other),
    };
    let label = egui::Label::new(RichText::new(&notice.text).color(color));
    if one_line {
        ui.add(label.truncate());
    } else {
        ui.add(label.wrap());
    }
}
