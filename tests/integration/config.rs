//! Mapping configs end to end: export → import round trips, `pinspect config show` and
//! `pinspect config diff`, and the `commandersact-2026` preset through the CLI.

use std::path::Path;

use pinspect::core::config::{load_config, parse_config, to_config_text, write_config};
use pinspect::core::event::parse_text;
use pinspect::core::inspect::inspect_all;
use pinspect::core::mapping::{FieldOverride, Mapping, diff};
use pinspect::core::preset::Source;
use pinspect::core::settings::{Settings, UnmappedEvents};
use serde_json::{Value, json};

use crate::support::{pinspect, pinspect_with_stdin, stdout_json, test_file};

const NOW: &str = "1744956000";

fn sources(texts: &[&str]) -> FieldOverride {
    FieldOverride::Sources(
        texts
            .iter()
            .map(|text| Source::parse(text).expect("valid source"))
            .collect(),
    )
}

/// A mapping with every kind of override and every setting changed from its default.
fn every_kind_of_override() -> Mapping {
    let mut mapping = Mapping {
        preset: "commandersact-2026".to_owned(),
        settings: Settings {
            advertiser_id: "549755885175".to_owned(),
            click_id_cookie_name: "_pin_click".to_owned(),
            send_as_test_request: false,
            default_phone_country: Some("FR".to_owned()),
            unmapped_events: UnmappedEvents::Skip,
            strip_name_diacritics: true,
        },
        ..Mapping::default()
    };
    // Every setting differs from its default (and the literal above has no `..`, so a new
    // setting does not compile here until it is covered).
    let ours = serde_json::to_value(&mapping.settings).expect("settings serialize");
    let default = serde_json::to_value(Settings::default()).expect("settings serialize");
    for (key, value) in ours.as_object().expect("object") {
        assert_ne!(default.get(key), Some(value), "{key} is at its default");
    }

    for (source, target) in [
        ("purchase", "custom"),
        ("newsletter_optin", "lead"),
        ("store_locator", "find_location"),
    ] {
        mapping
            .event_names
            .insert(source.to_owned(), target.to_owned());
    }

    // Sources: one, several, query, cookie with and without a name, derive, item-level.
    mapping.set_override("user_data.em", sources(&["user.mail"]));
    mapping.set_override(
        "user_data.ph",
        sources(&["user.mobile", "user.phone", "user.phone_sha256"]),
    );
    mapping.set_override(
        "user_data.click_id",
        sources(&[
            "query(context.page.url, epik)",
            "cookie(context.device.cookie)",
            "cookie(context.device.cookie, _epik)",
        ]),
    );
    mapping.set_override(
        "action_source",
        sources(&["context.channel", "derive(action_source)"]),
    );
    mapping.set_override(
        "custom_data.contents[].id",
        sources(&["items[*].product.sku"]),
    );
    mapping.set_override(
        "custom_data.contents[*].item_price",
        sources(&[
            "items[*].product.discounted_price",
            "items[*].product.price",
        ]),
    );
    mapping.set_override("custom_data.num_items", sources(&["items.length"]));
    mapping.set_override("custom_data.content_category", sources(&["page_name"]));

    // A constant of each JSON type a field accepts.
    mapping.set_override("custom_data.currency", FieldOverride::Const(json!("EUR")));
    mapping.set_override(
        "custom_data.contents[].quantity",
        FieldOverride::Const(json!(1)),
    );
    mapping.set_override("custom_data.value", FieldOverride::Const(json!(19.99)));
    mapping.set_override("opt_out", FieldOverride::Const(json!(false)));
    mapping.set_override(
        "custom_data.content_ids",
        FieldOverride::Const(json!(["SKU-1", "SKU-2"])),
    );

    mapping.set_override("user_data.ge", FieldOverride::Skip);
    mapping.set_override("user_data.db", FieldOverride::Skip);
    mapping
}

fn write(folder: &Path, name: &str, text: &str) -> String {
    let path = folder.join(name);
    std::fs::write(&path, text).expect("file written");
    path.display().to_string()
}

#[test]
fn export_then_import_gives_the_identical_mapping() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("mapping.json");
    let mapping = every_kind_of_override();

    write_config(&path, &mapping).expect("exported");
    let imported = load_config(&path).expect("imported");
    assert_eq!(imported, mapping);

    // The file is stable: exporting the import writes the same bytes.
    let text = std::fs::read_to_string(&path).expect("readable");
    assert_eq!(to_config_text(&imported), text);

    // Every kind shows in the file in its config form.
    let file: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        file["fields"]["user_data.em"],
        json!({"source": "user.mail"})
    );
    assert_eq!(
        file["fields"]["custom_data.contents[].item_price"],
        json!({"sources": ["items[*].product.discounted_price", "items[*].product.price"]})
    );
    assert_eq!(file["fields"]["custom_data.value"], json!({"const": 19.99}));
    assert_eq!(file["fields"]["user_data.ge"], json!({"skip": true}));
    assert_eq!(file["settings"]["unmapped_events"], "skip");
    assert_eq!(file["event_names"]["store_locator"], "find_location");

    // And the CLI reads it the same way: `config show` prints it back unchanged.
    let shown = pinspect(&["config", "show", "--config", &path.display().to_string()]);
    assert_eq!(shown.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&shown.stdout), text);
}

#[test]
fn export_is_atomic_and_replaces_the_old_file() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = folder.path().join("mapping.json");
    std::fs::write(&path, "old content").expect("old file");

    write_config(&path, &every_kind_of_override()).expect("exported");
    let names: Vec<_> = std::fs::read_dir(folder.path())
        .expect("listable")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["mapping.json"], "no temporary file is left behind");
    assert!(parse_config("m", &std::fs::read_to_string(&path).expect("read")).is_ok());

    // A folder that does not exist: an error, and nothing written anywhere.
    let missing = folder.path().join("nope").join("mapping.json");
    assert!(write_config(&missing, &Mapping::default()).is_err());
    assert!(!missing.exists());
}

#[test]
fn no_export_ever_holds_the_access_token() {
    let fake = "pina_FAKE_TOKEN_FOR_TESTS_ONLY";
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_pinspect"))
        .args(["config", "show", "--full"])
        .env("PINTEREST_ACCESS_TOKEN", fake)
        .output()
        .expect("pinspect runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(!text.contains(fake));
    assert!(!text.to_lowercase().contains("token"), "{text}");
    assert!(!to_config_text(&every_kind_of_override()).contains("token"));
}

#[test]
fn config_show_full_writes_the_whole_table_and_maps_the_same() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let output = pinspect(&["config", "show", "--preset", "commandersact-2026", "--full"]);
    assert_eq!(output.status.code(), Some(0));
    let full = stdout_json(&output);
    assert_eq!(full["preset"], "commandersact-2026");
    assert_eq!(full["event_names"]["begin_checkout"], "initiate_checkout");
    assert_eq!(
        full["fields"]["user_data.em"],
        json!({"sources": ["user.email_sha256", "user.email"]})
    );
    let fields = full["fields"].as_object().expect("fields");
    assert_eq!(fields.len(), 39, "every field the preset fills");

    // The full file maps exactly like the bare preset.
    let path = write(
        folder.path(),
        "full.json",
        &String::from_utf8_lossy(&output.stdout),
    );
    let same = pinspect(&[
        "config",
        "diff",
        "--format",
        "json",
        "preset:commandersact-2026",
        &path,
    ]);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(stdout_json(&same)["identical"], true);

    // Without --full: only what differs from the preset.
    let short = stdout_json(&pinspect(&["config", "show"]));
    assert_eq!(short["fields"], json!({}));
    assert_eq!(short["event_names"], json!({}));
    assert_eq!(short["format"], "pinspect-mapping/1");
}

#[test]
fn config_show_text_lists_rules_with_their_origin() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = write(
        folder.path(),
        "m.json",
        r#"{"format": "pinspect-mapping/1", "fields": {"custom_data.currency": {"const": "EUR"}},
            "event_names": {"view_item": "view_content", "newsletter_optin": "lead"}}"#,
    );
    let output = pinspect(&["config", "show", "--format", "text", "--config", &path]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("preset commandersact"), "{text}");
    assert!(text.contains("purchase → checkout (preset)"), "{text}");
    // Event-name overrides say what the preset would have sent, as field overrides do.
    assert!(
        text.contains("view_item → view_content (override; preset: page_visit)"),
        "{text}"
    );
    assert!(
        text.contains("newsletter_optin → lead (override; the preset does not map it)"),
        "{text}"
    );
    assert!(
        text.contains("custom_data.currency ← constant \"EUR\" (override; preset: currency)"),
        "{text}"
    );
}

#[test]
fn config_show_refuses_a_bad_config_with_its_place() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let path = write(
        folder.path(),
        "m.json",
        "{\"format\": \"pinspect-mapping/1\",\n \"fields\": {\"custom_data.category_name\": {\"source\": \"page_name\"}}}",
    );
    let output = pinspect(&["config", "show", "--config", &path]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("{path}:2:")), "{stderr}");
    assert!(
        stderr.contains("did you mean \"custom_data.content_category\""),
        "{stderr}"
    );
}

const BASE: &str = r#"{
  "format": "pinspect-mapping/1",
  "settings": {"default_phone_country": "FR"},
  "event_names": {"newsletter_optin": "lead"},
  "fields": {"custom_data.content_category": {"source": "page_name"}}
}"#;

/// BASE with one field and one event name changed.
const CHANGED: &str = r#"{
  "format": "pinspect-mapping/1",
  "settings": {"default_phone_country": "FR"},
  "event_names": {"newsletter_optin": "lead", "purchase": "custom"},
  "fields": {
    "custom_data.content_category": {"source": "page_name"},
    "custom_data.currency": {"const": "EUR"}
  }
}"#;

#[test]
fn config_diff_reports_exactly_one_field_and_one_event_name() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let a = write(folder.path(), "a.json", BASE);
    let b = write(folder.path(), "b.json", CHANGED);

    let output = pinspect(&["config", "diff", "--format", "json", &a, &b]);
    assert_eq!(output.status.code(), Some(1), "different mappings exit 1");
    assert_eq!(
        stdout_json(&output),
        json!({
            "a": a,
            "b": b,
            "identical": false,
            "preset": null,
            "settings": [],
            "event_names": [{
                "source": "purchase",
                "before": "checkout",
                "after": "custom",
                "before_origin": "preset",
                "after_origin": "override"
            }],
            "fields": [{
                "path": "custom_data.currency",
                "before": {"sources": ["currency"]},
                "after": {"const": "EUR"},
                "before_origin": "preset",
                "after_origin": "override"
            }],
            "events": null,
            "summary": {
                "settings": 0,
                "event_names": 1,
                "fields": 1,
                "events_checked": null,
                "events_changed": null
            }
        })
    );

    let same = pinspect(&["config", "diff", "--format", "json", &a, &a]);
    assert_eq!(same.status.code(), Some(0), "identical mappings exit 0");
    let same = stdout_json(&same);
    assert_eq!(same["identical"], true);
    assert_eq!(same["fields"], json!([]));

    let text = pinspect(&["config", "diff", &a, &b]);
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("event name purchase: checkout (preset) → custom (override)"),
        "{text}"
    );
    assert!(
        text.contains("field custom_data.currency: currency → constant \"EUR\""),
        "{text}"
    );
}

#[test]
fn config_diff_with_events_names_the_changed_fields_on_the_right_events() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let a = write(folder.path(), "a.json", BASE);
    let b = write(folder.path(), "b.json", CHANGED);
    let events = write(
        folder.path(),
        "events.ndjson",
        concat!(
            r#"{"event_name": "page_view", "page_name": "Home", "user": {"email": "a@example.com"}, "context": {"event_id": "e0", "event_timestamp": 1744955619974}}"#,
            "\n",
            r#"{"event_name": "purchase", "id": "O-1", "value": 10, "currency": "USD", "items": [{"id": "A", "quantity": 1, "product": {"price": 10}}], "user": {"email": "b@example.com"}, "context": {"event_id": "e1", "event_timestamp": 1744955619974}}"#,
            "\n",
            r#"{"event_name": "search", "search_term": "dress", "currency": "EUR", "user": {"email": "c@example.com"}, "context": {"event_id": "e2", "event_timestamp": 1744955619974}}"#,
            "\n"
        ),
    );

    let output = pinspect(&[
        "config", "diff", "--format", "json", "--now", NOW, &a, &b, &events,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout_json(&output);
    assert_eq!(report["summary"]["events_checked"], 3);
    assert_eq!(report["summary"]["events_changed"], 2);

    let changed = report["events"].as_array().expect("events");
    let indexes: Vec<&Value> = changed.iter().map(|e| &e["index"]).collect();
    assert_eq!(
        indexes,
        [&json!(0), &json!(1)],
        "the search already had EUR"
    );

    // The page view gains a currency it did not have.
    assert_eq!(
        changed[0]["fields"],
        json!([{"path": "custom_data.currency", "before": null, "after": "EUR"}])
    );
    assert_eq!(changed[0]["before"]["event_name"], "page_visit");
    assert_eq!(changed[0]["after"]["event_name"], "page_visit");

    // The purchase is renamed and its currency replaced.
    assert_eq!(changed[1]["source_event_name"], "purchase");
    assert_eq!(changed[1]["before"]["event_name"], "checkout");
    assert_eq!(changed[1]["after"]["event_name"], "custom");
    assert_eq!(
        changed[1]["fields"],
        json!([{"path": "custom_data.currency", "before": "USD", "after": "EUR"}])
    );

    let text = pinspect(&["config", "diff", "--now", NOW, &a, &b, &events]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("2 of 3 events come out differently"),
        "{text}"
    );
    assert!(
        text.contains("event 1 (purchase): sent as checkout → custom"),
        "{text}"
    );
    assert!(
        text.contains("  custom_data.currency: \"USD\" → \"EUR\""),
        "{text}"
    );
}

#[test]
fn config_diff_compares_presets_on_real_events() {
    let examples = test_file("data/doc-examples.json");
    let output = pinspect(&[
        "config",
        "diff",
        "--format",
        "json",
        "--now",
        NOW,
        "preset:commandersact",
        "preset:commandersact-2026",
        examples.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout_json(&output);
    assert_eq!(
        report["preset"],
        json!({"before": "commandersact", "after": "commandersact-2026"})
    );
    assert_eq!(report["fields"], json!([]), "same field table");

    let renamed: Vec<(String, String)> = report["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["before"]["event_name"] != e["after"]["event_name"])
        .map(|e| {
            (
                e["source_event_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                e["after"]["event_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let renamed: Vec<(&str, &str)> = renamed
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        renamed,
        [
            ("add_payment_info", "add_payment_info"),
            ("add_to_wishlist", "add_to_wishlist"),
            ("begin_checkout", "initiate_checkout"),
            ("view_item", "view_content"),
        ]
    );
}

#[test]
fn config_diff_errors_exit_two() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let a = write(folder.path(), "a.json", BASE);
    let bad = write(
        folder.path(),
        "bad.json",
        "{\"format\": \"pinspect-mapping/1\",\n \"event_names\": {\"x\": \"chekout\"}}",
    );

    let unknown = pinspect(&["config", "diff", &a, "preset:commandersact2026"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("did you mean \"commandersact-2026\""),
        "{stderr}"
    );

    let invalid = pinspect(&["config", "diff", &a, &bad]);
    assert_eq!(invalid.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&invalid.stderr);
    assert!(stderr.contains(&format!("{bad}:2:")), "{stderr}");
    assert!(stderr.contains("Did you mean \"checkout\""), "{stderr}");

    let missing = pinspect(&["config", "diff", &a, &a, "/nonexistent/events.json"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());

    let usage = pinspect(&["config", "diff", &a]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn config_diff_reads_events_from_stdin() {
    let event = r#"{"event_name": "begin_checkout", "user": {"email": "a@example.com"},
        "context": {"event_id": "e", "event_timestamp": 1744955619974}}"#;
    let output = pinspect_with_stdin(
        &[
            "config",
            "diff",
            "--format",
            "json",
            "--now",
            NOW,
            "preset:commandersact",
            "preset:commandersact-2026",
            "-",
        ],
        event.as_bytes(),
    );
    let report = stdout_json(&output);
    assert_eq!(
        report["events"][0]["after"]["event_name"],
        "initiate_checkout"
    );
    assert_eq!(report["events"][0]["before"]["event_name"], "custom");
}

#[test]
fn newer_preset_names_outside_the_pinned_spec_warn() {
    let events = r#"[
      {"event_name": "contact"}, {"event_name": "find_location"},
      {"event_name": "submit_application"}, {"event_name": "begin_checkout"},
      {"event_name": "view_item"}
    ]"#;
    let mapping = Mapping {
        preset: "commandersact-2026".to_owned(),
        ..Mapping::default()
    };
    let inspections = inspect_all(
        &parse_text("events", events).expect("events parse"),
        &mapping,
        1_744_956_000,
    );
    let named: Vec<(Option<&str>, bool)> = inspections
        .iter()
        .map(|inspection| {
            let warned = inspection
                .diagnostics
                .iter()
                .any(|d| d.code.as_str() == "event_name.not_in_spec");
            (inspection.event_name.as_deref(), warned)
        })
        .collect();
    assert_eq!(
        named,
        [
            (Some("contact"), true),
            (Some("find_location"), true),
            (Some("submit_application"), true),
            (Some("initiate_checkout"), false),
            (Some("view_content"), false),
        ]
    );

    // The same through the CLI.
    let output = pinspect_with_stdin(
        &[
            "check",
            "--format",
            "json",
            "--now",
            NOW,
            "--preset",
            "commandersact-2026",
            "-",
        ],
        events.as_bytes(),
    );
    let report = stdout_json(&output);
    assert_eq!(report["events"][0]["event_name"], "contact");
    assert!(
        report["events"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| d["code"] == "event_name.not_in_spec" && d["severity"] == "warning")
    );
}

#[test]
fn a_preset_switch_preview_is_what_switching_does() {
    // What `diff` announces for a switch is what the events then show.
    let before = Mapping::default();
    let after = Mapping {
        preset: "commandersact-2026".to_owned(),
        ..Mapping::default()
    };
    let announced = diff(&before, &after);
    let events = parse_text(
        "events",
        &std::fs::read_to_string(test_file("data/doc-examples.json")).expect("examples"),
    )
    .expect("examples parse");
    let old = inspect_all(&events, &before, 1_744_956_000);
    let new = inspect_all(&events, &after, 1_744_956_000);
    assert_eq!(old.len(), 21);
    for (old, new) in std::iter::zip(&old, &new) {
        let source = new.source_event_name.as_deref().expect("named examples");
        match announced.event_names.iter().find(|c| c.source == source) {
            Some(change) => {
                assert_eq!(old.event_name, change.before, "{source}");
                assert_eq!(new.event_name, change.after, "{source}");
            }
            None => assert_eq!(new.event_name, old.event_name, "{source}"),
        }
    }
}
