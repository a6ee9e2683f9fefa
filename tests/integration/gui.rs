//! The real app, headless (no display, no GPU): `egui_kittest` drives it through the
//! accessibility tree, by label, and the assertions read both the UI and the app's state.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use pinspect::core::diagnostics::Code;
use pinspect::core::inspect::Inspection;
use pinspect::core::send::EventResult;
use pinspect::gui::command::Command;
use pinspect::gui::samples::SAMPLE_ANCHOR;
use pinspect::gui::{App, StartOptions};

/// The clock of every test: the samples' own instant, so results never depend on the day.
const NOW: i64 = SAMPLE_ANCHOR;

fn start(options: StartOptions) -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size([1600.0, 1000.0])
        .with_max_steps(12)
        .build_eframe(move |cc| App::new(cc, options));
    harness.run();
    harness
}

fn with_samples() -> Harness<'static, App> {
    start(StartOptions {
        samples: true,
        now: Some(NOW),
        ..StartOptions::default()
    })
}

fn inspections(harness: &Harness<'_, App>) -> Vec<Inspection> {
    harness.state().session().inspections().to_vec()
}

/// The path prompt that is open, after a command that should open it.
fn open_prompt(harness: &Harness<'static, App>) -> pinspect::gui::view::PathPrompt {
    harness
        .state()
        .view()
        .path_prompt
        .clone()
        .expect("the path prompt is open")
}

/// Focuses the field named `label` and types `text` into it.
fn type_into(harness: &mut Harness<'static, App>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

fn codes(inspection: &Inspection) -> Vec<Code> {
    inspection.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn samples_load_and_the_selected_event_shows_rows_and_findings() {
    let mut harness = with_samples();
    let num_samples = harness.state().session().events().len();
    assert!(num_samples >= 15, "{num_samples} samples");
    assert!(harness.state().session().is_current());

    // The first event with a warning is selected at start: the purchase with a value that
    // does not match its items.
    let selected = harness.state().selected().expect("an event is selected");
    let inspection = &inspections(&harness)[selected];
    assert_eq!(inspection.source_event_name.as_deref(), Some("purchase"));
    assert!(codes(inspection).contains(&Code::ValueMismatch));

    // Its mapping rows, each with its own override button.
    for field in [
        "event_name",
        "user_data.em",
        "user_data.ph",
        "custom_data.value",
    ] {
        harness.get_by_label(&format!("Edit {field}"));
    }
    // Hashes are shortened in the row, the full hash is on hover.
    let em = inspection
        .trace
        .iter()
        .find(|t| t.field == "user_data.em")
        .expect("an em row");
    let hash = em.sent.as_ref().expect("em is sent")[0]
        .as_str()
        .expect("a hash")
        .to_owned();
    harness.get_by_label(&format!("{}…", &hash[..12]));

    // Its findings in the diagnostics panel, grouped by severity.
    harness.get_by_label_contains("Warnings (");
    harness.get_by_label_contains("custom_data.value: value is 129.8");

    // Another event, picked in the list.
    harness.get_by_label("#8").click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(8));
    harness.get_by_label_contains("Errors (1)");
    harness.get_by_label_contains("event_id: no event_id");
}

/// Positions of the sample events whose e-mail comes only pre-hashed (`user.email_sha256`).
fn prehashed_only(harness: &Harness<'_, App>) -> Vec<usize> {
    harness
        .state()
        .session()
        .events()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.body["user"]["email_sha256"].is_string() && e.body["user"]["email"].is_null()
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn changing_a_rows_source_recomputes_every_event_and_undo_restores() {
    let mut harness = with_samples();
    let before = inspections(&harness);
    let affected = prehashed_only(&harness);
    assert!(affected.len() >= 2, "{affected:?}");
    for &i in &affected {
        let sends_em = before[i].payload.as_ref().expect("payload")["user_data"]["em"].is_array();
        assert!(
            sends_em || codes(&before[i]).contains(&Code::HashWeakDigest),
            "#{i}"
        );
    }

    // Edit the e-mail row: read the clear e-mail only, never the pre-hashed one.
    harness.get_by_label("Edit user_data.em").click();
    harness.run();
    harness.get_by_label("Override user_data.em");
    let sources = harness.get_by_label("Sources, one per line; the first that has a value wins");
    sources.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Sources, one per line; the first that has a value wins")
        .type_text("user.email");
    harness.run();
    harness.get_by_label("Apply override").click();
    harness.run();

    let after = inspections(&harness);
    for &i in &affected {
        let payload = after[i].payload.as_ref().expect("payload");
        assert!(payload["user_data"]["em"].is_null(), "#{i} still sends em");
        assert!(!codes(&after[i]).contains(&Code::HashPrehashed), "#{i}");
        assert!(!codes(&after[i]).contains(&Code::HashWeakDigest), "#{i}");
        assert_ne!(after[i], before[i], "#{i} did not change");
    }
    // The pre-hashed purchase without an IP address loses its only identity.
    assert!(
        affected
            .iter()
            .any(|&i| codes(&after[i]).contains(&Code::IdentityMissing)),
        "no event lost its identity"
    );
    // Events with a clear e-mail keep exactly the same e-mail hash.
    for (i, event) in harness.state().session().events().iter().enumerate() {
        if event.body["user"]["email"].is_string() {
            assert_eq!(
                after[i].payload.as_ref().map(|p| &p["user_data"]["em"]),
                before[i].payload.as_ref().map(|p| &p["user_data"]["em"]),
                "#{i}"
            );
        }
    }
    // The row says it is overridden and what the preset did.
    harness.get_by_label("Overridden");
    harness.get_by_label("user.email_sha256 → user.email");

    // Ctrl+Z (the focus left the text field when Apply was clicked) restores every event.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert!(harness.state().session().mapping().fields.is_empty());
    assert_eq!(inspections(&harness), before);
    harness.get_by_label("Not overridden: the preset fills it.");
}

#[test]
fn overriding_an_event_name_renames_it_in_the_list_and_undo_restores() {
    let mut harness = with_samples();
    let optins: Vec<usize> = inspections(&harness)
        .iter()
        .filter(|i| i.source_event_name.as_deref() == Some("newsletter_optin"))
        .map(|i| i.index)
        .collect();
    assert_eq!(optins.len(), 2);
    let lead_labels = harness.query_all_by_label("lead").count();

    harness.get_by_label("Event names…").click();
    harness.run();
    harness
        .get_by_label("Pinterest event for newsletter_optin")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "lead")
        .click();
    harness.run();

    for &i in &optins {
        let inspection = &inspections(&harness)[i];
        assert_eq!(inspection.event_name.as_deref(), Some("lead"));
        assert!(!codes(inspection).contains(&Code::EventNameUnmapped));
    }
    // The list shows the new name on both rows (plus the lead that was there before).
    assert_eq!(
        harness.query_all_by_label("lead").count(),
        lead_labels + optins.len()
    );
    harness.get_by_label("Reset newsletter_optin");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    for &i in &optins {
        assert_eq!(
            inspections(&harness)[i].event_name.as_deref(),
            Some("custom")
        );
    }
    assert_eq!(harness.query_all_by_label("lead").count(), lead_labels);

    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(
        inspections(&harness)[optins[0]].event_name.as_deref(),
        Some("lead")
    );
}

#[test]
fn switching_to_live_asks_every_time() {
    let mut harness = with_samples();
    let test_mode =
        |h: &Harness<'_, App>| h.state().session().mapping().settings.send_as_test_request;
    assert!(test_mode(&harness));

    harness.get_by_label("TEST MODE").click();
    harness.run();
    harness.get_by_label("Switch to live sending?");
    assert!(test_mode(&harness), "switched without asking");
    harness.get_by_label("Stay in test mode").click();
    harness.run();
    assert!(test_mode(&harness));
    assert!(harness.query_by_label("Switch to live sending?").is_none());

    harness.get_by_label("TEST MODE").click();
    harness.run();
    harness.get_by_label("Switch to live").click();
    harness.run();
    assert!(!test_mode(&harness));
    harness.get_by_label("LIVE");

    // Back to test mode needs no question; live again asks again.
    harness.get_by_label("LIVE").click();
    harness.run();
    assert!(test_mode(&harness));
    harness.get_by_label("Test mode").click();
    harness.run();
    assert!(test_mode(&harness));
    harness.get_by_label("Switch to live sending?");
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped {
    path: std::path::PathBuf,
    bytes: Vec<u8>,
}

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.path
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Ok(self.bytes.clone())
    }
}

fn drop_file(harness: &mut Harness<'_, App>, name: &str, text: &str) {
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped {
            path: std::path::PathBuf::from(format!("/nonexistent/{name}")),
            bytes: text.as_bytes().to_vec(),
        }));
    harness.run();
}

#[test]
fn a_file_that_fails_to_load_is_reported_and_keeps_what_was_loaded() {
    let mut harness = with_samples();
    let loaded = harness.state().session().events().len();
    let before = inspections(&harness);

    let cases = [
        (
            "broken.json",
            "[\n  {\"event_name\": \"purchase\"},\n  {oops}\n]",
            "broken.json:3:",
        ),
        ("empty.json", "  \n", "the file is empty"),
        ("number.json", "42", "top-level JSON value is a number"),
    ];
    for (name, text, expected) in cases {
        drop_file(&mut harness, name, text);
        assert_eq!(harness.state().session().events().len(), loaded, "{name}");
        assert!(
            harness
                .state()
                .notices()
                .iter()
                .any(|n| n.contains(expected)),
            "{name}: {:?}",
            harness.state().notices()
        );
        harness.get_by_label_contains(expected);
    }
    assert_eq!(inspections(&harness), before);

    // Not UTF-8: pushed as raw bytes.
    harness.state_mut().push(Command::LoadBytes {
        name: "latin1.json".to_owned(),
        bytes: b"{\"event_name\": \"caf\xe9\"}".to_vec(),
    });
    harness.run();
    assert_eq!(harness.state().session().events().len(), loaded);
    harness.get_by_label_contains("latin1.json:1:");
}

#[test]
fn dropped_ndjson_with_a_bom_and_a_bad_line_loads_the_good_lines() {
    let mut harness = start(StartOptions {
        now: Some(NOW),
        ..StartOptions::default()
    });
    harness.get_by_label("No event selected");
    let text = "\u{feff}{\"event_name\": \"page_view\", \"context\": {\"event_id\": \"a\"}}\n{not json}\n\"a string\"\n{\"event_name\": \"search\", \"search_term\": \"boots\"}\n";
    drop_file(&mut harness, "events.ndjson", text);

    let session = harness.state().session();
    assert_eq!(session.events().len(), 4);
    let broken = inspections(&harness)
        .iter()
        .filter(|i| {
            codes(i).contains(&Code::InputSyntax) || codes(i).contains(&Code::InputNotObject)
        })
        .count();
    assert_eq!(broken, 2);
    harness.get_by_label_contains("2 of 4 records could not be read");
    // The first event is selected once loaded.
    assert!(harness.state().selected().is_some());
}

const CONFIG: &str = r#"{
  "format": "pinspect-mapping/1",
  "preset": "commandersact",
  "event_names": { "newsletter_optin": "lead" },
  "fields": { "custom_data.currency": { "const": "EUR" } }
}
"#;

#[test]
fn a_dropped_config_is_imported_and_a_broken_one_changes_nothing() {
    let mut harness = with_samples();
    drop_file(&mut harness, "mapping.json", CONFIG);
    let mapping = harness.state().session().mapping().clone();
    assert_eq!(
        mapping
            .event_names
            .get("newsletter_optin")
            .map(String::as_str),
        Some("lead")
    );
    // Every event with a value now sends EUR, and none misses its currency any more.
    for inspection in inspections(&harness) {
        if let Some(payload) = &inspection.payload
            && payload["custom_data"]["value"].is_string()
        {
            assert_eq!(
                payload["custom_data"]["currency"], "EUR",
                "#{}",
                inspection.index
            );
            assert!(!codes(&inspection).contains(&Code::CurrencyMissing));
        }
    }

    let broken = CONFIG.replace("custom_data.currency", "custom_data.curency");
    drop_file(&mut harness, "typo.json", &broken);
    assert_eq!(
        harness.state().session().mapping(),
        &mapping,
        "a failed import changed the mapping"
    );
    let notice = harness
        .state()
        .notices()
        .into_iter()
        .find(|n| n.contains("typo.json:"))
        .expect("an error naming the file");
    assert!(notice.contains("typo.json:5:"), "{notice}");
    assert!(
        notice.contains("custom_data.currency"),
        "no suggestion: {notice}"
    );
    harness.get_by_label_contains("typo.json:5:");
}

#[test]
fn exporting_a_live_config_asks_first_and_needs_a_path() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let target = folder.path().join("exported.json");
    let mut harness = with_samples();
    harness.state_mut().push(Command::ConfirmLive);
    harness.run();

    // Copying a live config asks first too.
    harness.get_by_label("Copy mapping config").click();
    harness.run();
    harness.get_by_label("Export a live config?");
    assert!(
        !harness
            .state()
            .notices()
            .iter()
            .any(|n| n.contains("copied"))
    );
    harness.get_by_label("Copy live config").click();
    harness.run();
    assert!(
        harness
            .state()
            .notices()
            .iter()
            .any(|n| n.contains("copied to the clipboard"))
    );

    harness.get_by_label("Save mapping config…").click();
    harness.run();
    harness.get_by_label("Export a live config?");
    harness.get_by_label("Export live config…").click();
    harness.run();

    // No native dialog in tests: the path prompt opens, and without a path nothing is saved.
    harness.get_by_label("Type the file's full path").focus();
    harness.run();
    assert!(harness.get_by_label("Save").accesskit_node().is_disabled());
    harness
        .get_by_label("Type the file's full path")
        .type_text(&target.display().to_string());
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();

    let text = std::fs::read_to_string(&target).expect("the config was written");
    let saved = pinspect::core::config::parse_config("exported.json", &text).expect("valid");
    assert!(!saved.settings.send_as_test_request);
    assert!(!text.contains("token"));
    harness.get_by_label_contains("Mapping config saved to");
}

#[test]
fn messages_never_move_the_send_row() {
    let mut harness = with_samples();
    let before = harness.get_by_label("Send test events").rect();
    // Messages of every kind pile up (each failed import adds one).
    for n in 0..5 {
        harness.state_mut().push(Command::LoadBytes {
            name: format!("broken-{n}.json"),
            bytes: b"{\"event_name\": ".to_vec(),
        });
        harness.run();
    }
    assert!(harness.state().notices().len() >= 5);
    let after = harness.get_by_label("Send test events").rect();
    assert_eq!(before, after);
    harness.get_by_label("5 more");

    // Nor does a problem with the send itself (no token yet).
    harness.get_by_label("Send test events").click();
    harness.run();
    harness.get_by_label_contains("access token is empty");
    assert_eq!(harness.get_by_label("Send test events").rect(), before);
}

#[test]
fn a_failed_save_keeps_the_typed_path_and_names_the_folder() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let target = folder.path().join("missing").join("exported.json");
    let mut harness = with_samples();
    harness
        .state_mut()
        .push(Command::SaveConfig(target.clone()));
    harness.run();

    let prompt = open_prompt(&harness);
    assert_eq!(prompt.text, target.display().to_string());
    let note = prompt.note.clone().unwrap_or_default();
    assert!(note.contains("does not exist"), "{note}");
    assert!(!note.contains("missing/.tmp"), "{note}");
}

#[test]
fn a_constant_the_config_loader_refuses_cannot_be_applied() {
    let mut harness = with_samples();
    harness.get_by_label("Edit user_data.em").click();
    harness.run();
    harness.get_by_label("Constant").click();
    harness.run();
    // A boolean where an e-mail goes: the loader refuses it, so the editor must too.
    type_into(&mut harness, "Constant value", "true");
    assert!(
        harness
            .get_by_label("Apply override")
            .accesskit_node()
            .is_disabled()
    );
    let draft = harness
        .state()
        .view()
        .draft
        .clone()
        .expect("the editor is open");
    assert!(
        draft
            .error
            .is_some_and(|e| e.contains("cannot fill user_data.em"))
    );
}

#[test]
fn saving_over_a_file_asks_first() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let target = folder.path().join("events.json");
    std::fs::write(&target, "[{\"event_name\": \"purchase\"}]").expect("written");
    let mut harness = with_samples();
    harness
        .state_mut()
        .push(Command::SaveConfig(target.clone()));
    harness.run();

    let prompt = open_prompt(&harness);
    assert!(prompt.replace);
    let note = prompt.note.unwrap_or_default();
    assert!(note.contains("is not a mapping config"), "{note}");
    harness.get_by_label("Replace");
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("purchase")
    );

    harness
        .state_mut()
        .push(Command::ReplaceConfig(target.clone()));
    harness.run();
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("pinspect-mapping/1"), "{text}");
}

#[test]
fn a_mapping_config_opened_as_events_is_imported_as_a_config() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("mapping.json");
    std::fs::write(&path, CONFIG).expect("written");
    let mut harness = with_samples();
    let loaded = harness.state().session().events().len();
    harness.state_mut().push(Command::OpenEvents(path));
    harness.run();
    assert_eq!(harness.state().session().events().len(), loaded);
    assert!(
        harness
            .state()
            .notices()
            .iter()
            .any(|n| n.contains("is a mapping config, not events"))
    );
}

#[test]
fn big_inputs_are_checked_in_the_background_with_the_same_results() {
    let event = |i: usize| {
        format!(
            "{{\"event_name\": \"page_view\", \"context\": {{\"event_id\": \"e{i}\", \"event_timestamp\": {}, \"device\": {{\"ip\": \"203.0.113.9\", \"user_agent\": \"Mozilla/5.0\"}}}}}}\n",
            (NOW - 60) * 1000
        )
    };
    let count = pinspect::gui::session::SYNC_LIMIT + 10;
    let text: String = (0..count).map(event).collect();
    let mut harness = start(StartOptions {
        now: Some(NOW),
        ..StartOptions::default()
    });
    harness.state_mut().push(Command::LoadBytes {
        name: "many.ndjson".to_owned(),
        bytes: text.clone().into_bytes(),
    });
    harness.step();
    harness.step();
    assert!(
        !harness.state().session().is_current(),
        "checked on the UI thread"
    );
    harness.get_by_label(&format!("Checking {count} events"));

    harness.state().wait_for_tasks();
    harness.run();
    assert!(harness.state().session().is_current());
    let events = pinspect::core::event::parse_text("many.ndjson", &text).expect("parses");
    let expected = pinspect::core::inspect::inspect_all(
        &events,
        &pinspect::core::mapping::Mapping::default(),
        NOW,
    );
    // Big inputs keep no traces in the list (memory), but the same payloads and findings ...
    let listed = inspections(&harness);
    assert_eq!(listed.len(), expected.len());
    for (listed, expected) in std::iter::zip(&listed, &expected) {
        assert!(listed.trace.is_empty());
        assert_eq!(listed.payload, expected.payload);
        assert_eq!(listed.diagnostics, expected.diagnostics);
    }
    // ... and the selected event is traced on demand, exactly as the core traces it.
    let selected = harness.state().selected().expect("an event is selected");
    let full = harness
        .state()
        .session()
        .full_inspection(selected)
        .expect("the selected event is traced");
    assert_eq!(full, &expected[selected]);
    harness.get_by_label("Edit user_data.client_ip_address");
}

/// A fake token that must show up nowhere but in the request's header.
const FAKE_TOKEN: &str = "pina_FAKE_gui_token_7d1e0c55aa";

#[test]
fn sending_in_test_mode_puts_pinterests_answers_on_the_events() {
    let mut server = mockito::Server::new();
    let mut harness = start(StartOptions {
        samples: true,
        now: Some(NOW),
        api_base: Some(server.url()),
        ..StartOptions::default()
    });
    let before = inspections(&harness);
    let sendable: Vec<usize> = before
        .iter()
        .filter(|i| i.is_sendable())
        .map(|i| i.index)
        .collect();
    let unsendable: Vec<usize> = before
        .iter()
        .filter(|i| !i.is_sendable())
        .map(|i| i.index)
        .collect();
    assert!(!unsendable.is_empty());

    // Pinterest processes every event of the request but the second, which it refuses.
    let answers: Vec<serde_json::Value> = (0..sendable.len())
        .map(|n| {
            if n == 1 {
                serde_json::json!({"status": "failed", "error_message": "Invalid event_time", "warning_message": null})
            } else {
                serde_json::json!({"status": "processed", "error_message": null, "warning_message": null})
            }
        })
        .collect();
    let body = serde_json::json!({
        "num_events_received": sendable.len(),
        "num_events_processed": sendable.len() - 1,
        "events": answers,
    });
    let mock = server
        .mock("POST", "/ad_accounts/549755885175/events")
        .match_query(mockito::Matcher::UrlEncoded("test".into(), "true".into()))
        .match_header("authorization", format!("Bearer {FAKE_TOKEN}").as_str())
        .with_status(200)
        .with_header("content-type", "application/json")
        .with_body(body.to_string())
        .expect(1)
        .create();

    // Without an advertiser id nothing is sent, and the panel says why.
    type_into(&mut harness, "Access token", FAKE_TOKEN);
    harness.get_by_label("Send test events").click();
    harness.run();
    harness.get_by_label_contains("advertiser id is empty");
    assert!(harness.state().last_send().is_none());

    harness.get_by_label("Advertiser id").focus();
    harness.run();
    harness
        .get_by_label("Advertiser id")
        .type_text("549755885175");
    harness.run();
    harness.get_by_label("Send test events").click();
    harness.run();
    harness.state().wait_for_tasks();
    harness.run();
    mock.assert();

    let last = harness.state().last_send().expect("a finished send");
    assert!(last.outcome.test);
    let result = |index: usize| last.event(index).expect("an answer").result;
    assert_eq!(result(sendable[0]), EventResult::Processed);
    assert_eq!(result(sendable[1]), EventResult::Failed);
    for &index in &sendable[2..] {
        assert_eq!(result(index), EventResult::Processed, "#{index}");
    }
    for &index in &unsendable {
        assert_eq!(result(index), EventResult::NotSent, "#{index}");
    }

    // The refused event is found by Pinterest's word and by its message.
    let failed = sendable[1];
    type_into(&mut harness, "Filter events", "failed");
    assert_eq!(harness.state().view().filtered, [failed]);
    for _ in 0.."failed".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness
        .get_by_label("Filter events")
        .type_text("invalid event_time");
    harness.run();
    assert_eq!(harness.state().view().filtered, [failed]);
    for _ in 0.."invalid event_time".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run();

    // The refused event shows Pinterest's message in the diagnostics panel.
    harness.get_by_label(&format!("#{failed}")).click();
    harness.run();
    harness.get_by_label("Pinterest's answer");
    harness.get_by_label("Invalid event_time");
    // And on the row of the field it names.
    harness.get_by_label("Pinterest (failed): Invalid event_time");

    // Going live and back changes nothing an event is sent as: the answers stay current.
    harness.state_mut().push(Command::ConfirmLive);
    harness.run();
    harness.state_mut().push(Command::TestMode);
    harness.run();
    assert!(harness.query_by_label_contains("changed since").is_none());
    harness.get_by_label_contains("Request 1: HTTP 200");

    // The token is in no message, nothing persisted and no exported config.
    let token_free = |text: &str| !text.contains(FAKE_TOKEN);
    assert!(harness.state().notices().iter().all(|n| token_free(n)));
    assert!(token_free(&harness.state().persisted_text()));
    assert!(token_free(&pinspect::core::config::to_config_text(
        harness.state().session().mapping()
    )));
}

#[test]
fn answers_about_events_cleared_during_the_send_stay_off_the_new_events() {
    let mut server = mockito::Server::new();
    let mut harness = start(StartOptions {
        samples: true,
        now: Some(NOW),
        api_base: Some(server.url()),
        ..StartOptions::default()
    });
    let sendable = inspections(&harness)
        .iter()
        .filter(|i| i.is_sendable())
        .count();
    let body = serde_json::json!({
        "num_events_received": sendable,
        "num_events_processed": sendable,
        "events": vec![serde_json::json!({"status": "processed"}); sendable],
    })
    .to_string();
    // Slow enough that the events are replaced while the request is in flight.
    let mock = server
        .mock("POST", "/ad_accounts/549755885175/events")
        .match_query(mockito::Matcher::Any)
        .with_status(200)
        .with_header("content-type", "application/json")
        .with_body_from_request(move |_| {
            std::thread::sleep(std::time::Duration::from_millis(800));
            body.clone().into_bytes()
        })
        .expect(1)
        .create();

    for (label, text) in [
        ("Access token", FAKE_TOKEN),
        ("Advertiser id", "549755885175"),
    ] {
        harness.get_by_label(label).focus();
        harness.run();
        harness.get_by_label(label).type_text(text);
        harness.run();
    }
    harness.get_by_label("Send test events").click();
    // A spinner repaints while the request is in flight, so step instead of running to rest.
    harness.run_steps(2);

    // While the request is in flight: clear, and load other events at the same positions.
    harness.get_by_label("Clear events").click();
    harness.run_steps(2);
    harness.get_by_label("Open sample events").click();
    harness.run_steps(2);
    harness.state().wait_for_tasks();
    harness.run();
    mock.assert();

    let last = harness.state().last_send().expect("the send finished");
    assert!(!last.is_about(harness.state().session()));
    harness.get_by_label_contains("about events that are no longer loaded");
    harness.get_by_label("#0").click();
    harness.run();
    assert!(harness.query_by_label("Pinterest's answer").is_none());
}

#[test]
fn old_exports_can_be_checked_against_their_own_time() {
    // Events from 2020: more than 7 days old whatever day the test runs.
    let mut harness = start(StartOptions::default());
    let text = "{\"event_name\": \"page_view\", \"context\": {\"event_id\": \"a\", \"event_timestamp\": 1600000000000, \"device\": {\"ip\": \"203.0.113.9\", \"user_agent\": \"Mozilla/5.0\"}}}\n{\"event_name\": \"search\", \"context\": {\"event_id\": \"b\", \"event_timestamp\": 1600000100000, \"device\": {\"ip\": \"203.0.113.9\", \"user_agent\": \"Mozilla/5.0\"}}}\n";
    drop_file(&mut harness, "old.ndjson", text);
    assert!(
        inspections(&harness)
            .iter()
            .all(|i| codes(i).contains(&Code::EventTimeTooOld))
    );

    harness.get_by_label("2 events are more than 7 days old");
    harness
        .get_by_label("Check against the newest event's time")
        .click();
    harness.run();
    assert_eq!(
        harness.state().session().clock,
        pinspect::gui::session::Clock::Fixed(1_600_000_160)
    );
    for inspection in inspections(&harness) {
        assert!(!codes(&inspection).contains(&Code::EventTimeTooOld));
        assert!(!inspection.has_errors(), "{:?}", inspection.diagnostics);
    }
    harness.get_by_label("2020-09-13 12:29 UTC");
}

#[test]
fn without_a_display_the_app_says_to_use_the_command_line() {
    for args in [&[][..], &["gui"][..]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pinspect"))
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .expect("pinspect runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no display"), "{stderr}");
        assert!(stderr.contains("pinspect check FILE"), "{stderr}");
    }
}

#[test]
fn switching_presets_previews_the_changes_and_asks_first() {
    let mut harness = with_samples();
    let before = inspections(&harness);
    let wishlist = before
        .iter()
        .position(|i| i.source_event_name.as_deref() == Some("add_to_wishlist"))
        .expect("a wishlist sample");
    assert_eq!(before[wishlist].event_name.as_deref(), Some("custom"));

    harness.get_by_label("Preset").click();
    harness.run();
    harness
        .get_by_label("Commanders Act destination, newer Pinterest event names")
        .click();
    harness.run();

    // The preview lists what the preset changes, and nothing changed yet.
    harness.get_by_label_contains("Switch to the preset");
    harness.get_by_label("Event add_to_wishlist: custom → add_to_wishlist (preset)");
    harness.get_by_label_contains(&format!(
        "#{wishlist} add_to_wishlist: custom → add_to_wishlist"
    ));
    assert_eq!(harness.state().session().mapping().preset, "commandersact");
    assert_eq!(inspections(&harness), before);

    harness.get_by_label("Switch preset").click();
    harness.run();
    assert_eq!(
        harness.state().session().mapping().preset,
        "commandersact-2026"
    );
    assert_eq!(
        inspections(&harness)[wishlist].event_name.as_deref(),
        Some("add_to_wishlist")
    );

    // Undo goes back to the first preset.
    harness.get_by_label("Undo").click();
    harness.run();
    assert_eq!(harness.state().session().mapping().preset, "commandersact");
    assert_eq!(inspections(&harness), before);
}

#[test]
fn the_hash_checker_names_the_mistake_behind_a_wrong_hash() {
    use pinspect::core::hash::sha256_hex;

    let mut harness = with_samples();
    harness.get_by_label("Hash checker…").click();
    harness.run();
    harness.get_by_label("Normalize as").click();
    harness.run();
    harness.get_by_label("ph (phone)").click();
    harness.run();
    type_into(&mut harness, "Value", "+33 6 12 34 56 78");
    harness.get_by_label(&sha256_hex("33612345678"));

    // The hash a setup that keeps the + would send.
    harness.get_by_label("Expected hash").focus();
    harness.run();
    harness
        .get_by_label("Expected hash")
        .type_text(&sha256_hex("+33612345678").to_uppercase());
    harness.run();
    harness.get_by_label_contains("E.164 with the + kept");
    harness.get_by_label_contains("no match");

    // The right hash matches.
    harness.get_by_label("Expected hash").focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Expected hash")
        .type_text(&sha256_hex("33612345678"));
    harness.run();
    harness.get_by_label_contains("the expected hash matches what pinspect sends");
}

#[test]
fn a_finding_in_the_diagnostics_panel_selects_its_mapping_row() {
    let mut harness = with_samples();
    assert_eq!(harness.state().selected_field(), None);
    harness
        .get_by_label_contains("custom_data.num_items: num_items is 2")
        .click();
    harness.run();
    assert_eq!(
        harness.state().selected_field(),
        Some("custom_data.num_items")
    );
    harness.get_by_label("Override custom_data.num_items");
}

#[test]
fn pasted_events_are_added_to_the_list() {
    let mut harness = with_samples();
    let loaded = harness.state().session().events().len();
    harness.get_by_label("Paste events…").click();
    harness.run();
    type_into(
        &mut harness,
        "Pasted events",
        "[{\"event_name\": \"search\", \"search_term\": \"tent\"}, {\"event_name\": \"sign_up\"}]",
    );
    harness.get_by_label("Load pasted events").click();
    harness.run();
    assert_eq!(harness.state().session().events().len(), loaded + 2);
    assert!(
        harness.query_by_label("Pasted events").is_none(),
        "the window stays open"
    );
    harness.get_by_label(&format!("#{}", loaded + 1));

    // Broken JSON: the window comes back with the text and the problem, nothing is lost.
    harness.get_by_label("Paste events…").click();
    harness.run();
    harness.get_by_label("Pasted events").focus();
    harness.run();
    let broken = "{\"event_name\": \"purchase\", \"id\": \"x1\"";
    harness.get_by_label("Pasted events").type_text(broken);
    harness.run();
    harness.get_by_label("Load pasted events").click();
    harness.run();
    assert_eq!(harness.state().session().events().len(), loaded + 2);
    let paste = harness
        .state()
        .view()
        .paste
        .as_ref()
        .expect("the window is open again");
    assert_eq!(paste.text, broken);
    harness.get_by_label_contains("Fix it here and load again");
}

#[test]
fn settings_that_are_not_valid_never_reach_the_mapping() {
    let mut harness = with_samples();
    for (label, typed) in [
        ("Advertiser id", " 5497-5588 "),
        ("Click-id cookie", "_epik;x"),
    ] {
        harness.get_by_label(label).focus();
        harness.run();
        harness.get_by_label(label).type_text(typed);
        harness.run();
    }
    // Not the last valid text either (a half-typed prefix would be another ad account):
    // nothing, and the cookie setting falls back to _epik.
    let settings = &harness.state().session().mapping().settings;
    assert_eq!(settings.advertiser_id, "");
    assert_eq!(settings.click_id_cookie(), "_epik");
    assert_eq!(harness.query_all_by_label("⚠ not valid").count(), 2);

    // Send refuses what the field shows, rather than any other id.
    type_into(&mut harness, "Access token", FAKE_TOKEN);
    harness.get_by_label("Send test events").click();
    harness.run();
    harness.get_by_label_contains("must be the ad account number");
    assert!(harness.state().last_send().is_none());

    // A valid id with spaces around it is kept trimmed.
    harness.get_by_label("Advertiser id").focus();
    harness.run();
    for _ in 0..20 {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run();
    harness
        .get_by_label("Advertiser id")
        .type_text(" 549755885175 ");
    harness.run();
    assert_eq!(
        harness.state().session().mapping().settings.advertiser_id,
        "549755885175"
    );
}

#[test]
fn a_config_given_at_start_is_imported_and_a_broken_one_is_reported() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let good = folder.path().join("mapping.json");
    std::fs::write(&good, CONFIG).expect("written");
    let harness = start(StartOptions {
        config: Some(good),
        samples: true,
        now: Some(NOW),
        ..StartOptions::default()
    });
    let mapping = harness.state().session().mapping();
    assert_eq!(
        mapping
            .event_names
            .get("newsletter_optin")
            .map(String::as_str),
        Some("lead")
    );

    let broken = folder.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"format\": \"pinspect-mapping/1\",\n \"presett\": \"x\"}",
    )
    .expect("written");
    let harness = start(StartOptions {
        config: Some(broken.clone()),
        now: Some(NOW),
        ..StartOptions::default()
    });
    assert_eq!(
        harness.state().session().mapping(),
        &pinspect::core::mapping::Mapping::default()
    );
    harness.get_by_label_contains(&format!("{}:2:", broken.display()));
}
