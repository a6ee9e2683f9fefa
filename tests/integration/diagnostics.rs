//! The diagnostics catalog: every code in `Code::ALL` is triggered by an input made for it
//! (with the severity and field the catalog promises), a clean event triggers none, and every
//! code is documented in the README table.

use pinspect::core::diagnostics::{Code, Severity};
use pinspect::core::event::parse_text;
use pinspect::core::inspect::{Inspection, inspect_all};
use pinspect::core::mapping::{FieldOverride, Mapping};
use pinspect::core::preset::Source;
use pinspect::core::settings::UnmappedEvents;
use serde_json::{Value, json};

use crate::support::root;

const NOW: i64 = 1_744_956_000;

/// A clean web checkout; each trigger changes one thing in it.
fn clean() -> Value {
    json!({
        "event_name": "purchase",
        "id": "ORD-1",
        "value": "30.00",
        "currency": "EUR",
        "items": [
            {"id": "SKU-1", "quantity": 1, "product": {"price": "10.00"}},
            {"id": "SKU-2", "quantity": 1, "product": {"price": "20.00"}}
        ],
        "user": {
            "email": "jane.doe@example.com", "phone": "+33 6 55 50 12 34", "gender": "f",
            "birthdate": "1985-03-17", "firstname": "Jane", "lastname": "Doe",
            "city": "Paris", "state_short": "CA", "zipcode": "75001", "country": "FR",
            "id": "user-12345"
        },
        "partners": {"pinterest": {"action_source": "web", "click_id": "dj0yJnU9"}},
        "context": {
            "event_id": "evt-1",
            "event_timestamp": (NOW - 60) * 1000,
            "page": {"url": "https://shop.example.com/thanks"},
            "device": {
                "ip": "203.0.113.7", "user_agent": "Mozilla/5.0",
                "advertising_id": "38400000-8cf0-11bd-b23e-10b96e40000d"
            }
        }
    })
}

/// `clean()` with `value` set at the JSON pointer `pointer` (`None` removes it).
fn with(pointer: &str, value: Option<Value>) -> Value {
    let mut event = clean();
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let target = event.pointer_mut(parent).expect("the parent exists");
    match (target, value) {
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_owned(), value);
        }
        (Value::Object(map), None) => {
            map.remove(key);
        }
        (Value::Array(list), Some(value)) => {
            let index: usize = key.parse().expect("an index");
            list[index] = value;
        }
        _ => panic!("cannot set {pointer}"),
    }
    event
}

fn inspect_text(text: &str, mapping: &Mapping) -> Vec<Inspection> {
    let events = parse_text("trigger", text).expect("the trigger input parses");
    inspect_all(&events, mapping, NOW)
}

fn inspect_value(value: &Value, mapping: &Mapping) -> Vec<Inspection> {
    inspect_text(&value.to_string(), mapping)
}

fn default_mapping() -> Mapping {
    Mapping::default()
}

/// One trigger per code: the inspections it produces and the field the diagnostic is on
/// (`None`: the whole event).
fn trigger(code: Code) -> (Vec<Inspection>, Option<&'static str>) {
    let mapping = default_mapping();
    let one = |pointer: &str, value: Value| inspect_value(&with(pointer, Some(value)), &mapping);
    match code {
        Code::InputNotObject => (inspect_text("[42]", &mapping), None),
        Code::InputSyntax => (
            inspect_text(&format!("{}\n{{\"event_name\": \n", clean()), &mapping)
                .into_iter()
                .skip(1)
                .collect(),
            None,
        ),
        Code::InputDuplicateKey => (
            inspect_text(
                &clean()
                    .to_string()
                    .replacen('{', r#"{"event_name": "page_view", "#, 1),
                &mapping,
            ),
            None,
        ),
        Code::EventNameMissing => (
            inspect_value(&with("/event_name", None), &mapping),
            Some("event_name"),
        ),
        Code::EventNameUnmapped => (
            one("/event_name", json!("newsletter_optin")),
            Some("event_name"),
        ),
        Code::EventNameSkipped => {
            let mut skip = default_mapping();
            skip.settings.unmapped_events = UnmappedEvents::Skip;
            (
                inspect_value(&with("/event_name", Some(json!("newsletter_optin"))), &skip),
                Some("event_name"),
            )
        }
        Code::EventNameNotInSpec => {
            let mut newer = default_mapping();
            newer
                .event_names
                .insert("purchase".to_owned(), "start_trial".to_owned());
            (inspect_value(&clean(), &newer), Some("event_name"))
        }
        Code::EventIdMissing => (
            inspect_value(&with("/context/event_id", None), &mapping),
            Some("event_id"),
        ),
        Code::EventIdNotString => (one("/context/event_id", json!(778_899)), Some("event_id")),
        Code::EventIdDuplicate => {
            let other = with("/id", Some(json!("ORD-2")));
            (
                inspect_text(&format!("[{}, {other}]", clean()), &mapping),
                Some("event_id"),
            )
        }
        Code::EventTimeMissing => (
            inspect_value(&with("/context/event_timestamp", None), &mapping),
            Some("event_time"),
        ),
        Code::EventTimeInvalid => (
            one("/context/event_timestamp", json!("yesterday")),
            Some("event_time"),
        ),
        Code::EventTimeFuture => (
            one("/context/event_timestamp", json!((NOW + 3600) * 1000)),
            Some("event_time"),
        ),
        Code::EventTimeTooOld => (
            one("/context/event_timestamp", json!((NOW - 8 * 86_400) * 1000)),
            Some("event_time"),
        ),
        Code::EventTimeLate => (
            one("/context/event_timestamp", json!((NOW - 7200) * 1000)),
            Some("event_time"),
        ),
        Code::EventTimeUnitAmbiguous => (
            one("/context/event_timestamp", json!((NOW - 60) * 1_000_000)),
            Some("event_time"),
        ),
        Code::EventTimeNoOffset => (
            one("/context/event_timestamp", json!("2025-04-18T06:00:00")),
            Some("event_time"),
        ),
        Code::ActionSourceInvalid => (
            one("/partners/pinterest/action_source", json!("website")),
            Some("action_source"),
        ),
        Code::ActionSourceDerived => (
            inspect_value(&with("/partners/pinterest/action_source", None), &mapping),
            Some("action_source"),
        ),
        Code::IdentityMissing => {
            let mut event = with("/user/email", None);
            event["context"]["device"] = json!({"ip": "203.0.113.7"});
            (inspect_value(&event, &mapping), Some("user_data"))
        }
        Code::HashPrehashed => (
            one(
                "/user/email_sha256",
                json!("86E0B9E56C17CC4D12387E1949B85053FBE73BC3CE5A1188713A9D300CC6133D"),
            ),
            Some("user_data.em"),
        ),
        Code::HashWeakDigest => (
            one("/user/email", json!("0ce6a2e3d2d7e1b2e5c8f4a0b9e3c1d2")),
            Some("user_data.em"),
        ),
        Code::HashInvalidPrehashed => (
            one("/user/email_sha256", json!("jane.doe@example.com")),
            Some("user_data.em"),
        ),
        Code::NormalizeEmpty => (one("/user/phone", json!("+++")), Some("user_data.ph")),
        Code::EmailInvalid => (one("/user/email", json!("jane.doe")), Some("user_data.em")),
        Code::PhoneNoCountry => (
            one("/user/phone", json!("06 55 50 12 34")),
            Some("user_data.ph"),
        ),
        Code::PhoneInvalid => (one("/user/phone", json!("+33 1 23")), Some("user_data.ph")),
        Code::GenderUnknown => (one("/user/gender", json!("unknown")), Some("user_data.ge")),
        Code::BirthdateInvalid => (
            one("/user/birthdate", json!("1985-02-30")),
            Some("user_data.db"),
        ),
        Code::BirthdateAmbiguous => (
            one("/user/birthdate", json!("04/05/1985")),
            Some("user_data.db"),
        ),
        Code::StateUnknown => (
            one("/user/state_short", json!("Bavaria")),
            Some("user_data.st"),
        ),
        Code::CountryUnknown => (
            one("/user/country", json!("Atlantis")),
            Some("user_data.country"),
        ),
        Code::IpInvalid => (
            one("/context/device/ip", json!("not-an-ip")),
            Some("user_data.client_ip_address"),
        ),
        Code::IpProxyChain => (
            one("/context/device/ip", json!("203.0.113.7, 198.51.100.2")),
            Some("user_data.client_ip_address"),
        ),
        Code::IpNotPublic => (
            one("/context/device/ip", json!("192.168.1.20")),
            Some("user_data.client_ip_address"),
        ),
        Code::IpMasked => (
            one("/context/device/ip", json!("203.0.113.0")),
            Some("user_data.client_ip_address"),
        ),
        Code::MaidZero => (
            one(
                "/context/device/advertising_id",
                json!("00000000-0000-0000-0000-000000000000"),
            ),
            Some("user_data.hashed_maids"),
        ),
        Code::PiiClearText => (
            one("/search_term", json!("jane.doe@example.com")),
            Some("custom_data.search_string"),
        ),
        Code::NumberInvalid => (one("/value", json!("thirty")), Some("custom_data.value")),
        Code::NumberCommaDecimal => (one("/value", json!("30,00")), Some("custom_data.value")),
        Code::NumberAmbiguous => (one("/value", json!("1,234")), Some("custom_data.value")),
        Code::NumberNegative => (
            one("/items/0/product/price", json!(-10)),
            Some("custom_data.contents[0].item_price"),
        ),
        Code::ValueWrongType => (
            one("/search_term", json!({"q": "shoes"})),
            Some("custom_data.search_string"),
        ),
        Code::IntegerInvalid => (
            one("/items/0/quantity", json!(1.5)),
            Some("custom_data.contents[0].quantity"),
        ),
        Code::QuantityNotPositive => (
            one("/items/0/quantity", json!(0)),
            Some("custom_data.contents[0].quantity"),
        ),
        Code::ValueMismatch => (one("/value", json!("99.00")), Some("custom_data.value")),
        Code::ValueZeroCheckout => {
            let mut event = with("/value", Some(json!(0)));
            event["items"] = json!([{"id": "SKU-1", "quantity": 1, "product": {"price": 0}}]);
            (inspect_value(&event, &mapping), Some("custom_data.value"))
        }
        Code::NumItemsLines => {
            let mut event = clean();
            event["items"][0]["quantity"] = json!(2);
            event["value"] = json!("40.00");
            (
                inspect_value(&event, &mapping),
                Some("custom_data.num_items"),
            )
        }
        Code::CurrencyMissing => (
            inspect_value(&with("/currency", None), &mapping),
            Some("custom_data.currency"),
        ),
        Code::CurrencyInvalid => (
            one("/currency", json!("EURO")),
            Some("custom_data.currency"),
        ),
        Code::CurrencyUpperCased => (one("/currency", json!("eur")), Some("custom_data.currency")),
        Code::SourceBlank => (one("/user/email_sha256", json!("  ")), Some("user_data.em")),
        Code::WebClickIdMissing => (
            inspect_value(&with("/partners/pinterest/click_id", None), &mapping),
            Some("user_data.click_id"),
        ),
        Code::WebContextMissing => (
            inspect_value(&with("/context/page", None), &mapping),
            Some("event_source_url"),
        ),
        Code::LanguageConverted => (
            one("/context/device/lang", json!("fr-FR")),
            Some("language"),
        ),
        Code::LanguageInvalid => (
            one("/context/device/lang", json!("Klingonese")),
            Some("language"),
        ),
        Code::ItemsNotList => (
            one("/items", json!("SKU-1,SKU-2")),
            Some("custom_data.content_ids"),
        ),
        Code::ItemsEntryNotObject => (
            one("/items", json!([42, {"id": "sku-1", "quantity": 1}])),
            Some("custom_data.content_ids"),
        ),
        Code::ContentIdsMissing => (
            inspect_value(&with("/items", None), &mapping),
            Some("custom_data.content_ids"),
        ),
        Code::BooleanInvalid => (
            one("/partners/pinterest/opt_out", json!("maybe")),
            Some("opt_out"),
        ),
        Code::LdpWithoutLocation => {
            let mut event = with("/partners/pinterest/opt_out_type", Some(json!("LDP")));
            event["user"]
                .as_object_mut()
                .expect("user")
                .remove("state_short");
            (
                inspect_value(&event, &mapping),
                Some("custom_data.opt_out_type"),
            )
        }
        Code::NumberImprecise => (
            inspect_text(
                &clean()
                    .to_string()
                    .replace("\"ORD-1\"", "18446744073709551617"),
                &mapping,
            ),
            Some("custom_data.order_id"),
        ),
        Code::ValueMissingCheckout => (
            inspect_value(&with("/value", None), &mapping),
            Some("custom_data.value"),
        ),
        Code::AppEventOnWeb => {
            let mut app = default_mapping();
            app.event_names
                .insert("purchase".to_owned(), "app_install".to_owned());
            (inspect_value(&clean(), &app), Some("action_source"))
        }
        Code::PartnerNameSet => {
            let mut partner = default_mapping();
            partner.set_override("partner_name", FieldOverride::Const(json!("MyShop")));
            (inspect_value(&clean(), &partner), Some("partner_name"))
        }
        Code::SchemaViolation => {
            let mut out_of_range = default_mapping();
            out_of_range.set_override(
                "device_info.battery_level",
                FieldOverride::Const(json!(150)),
            );
            (
                inspect_value(&clean(), &out_of_range),
                Some("device_info.battery_level"),
            )
        }
    }
}

#[test]
fn every_code_is_triggered_by_its_rule() {
    let mut failures = Vec::new();
    for &code in Code::ALL {
        let (inspections, field) = trigger(code);
        let found = inspections.iter().flat_map(|i| &i.diagnostics).find(|d| {
            d.code == code && d.field.as_deref() == field && d.severity == code.severity()
        });
        let Some(diagnostic) = found else {
            let got: Vec<_> = inspections
                .iter()
                .flat_map(|i| &i.diagnostics)
                .map(|d| (d.code.as_str(), d.field.clone()))
                .collect();
            failures.push(format!(
                "{} on {field:?} not triggered; got {got:?}",
                code.as_str()
            ));
            continue;
        };
        // Messages say what is wrong; they are never just the code.
        if diagnostic.message.len() < 20 {
            failures.push(format!(
                "{}: message too short: {:?}",
                code.as_str(),
                diagnostic.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_clean_event_has_no_diagnostics() {
    let inspections = inspect_value(&clean(), &default_mapping());
    assert_eq!(
        inspections[0].diagnostics,
        [],
        "{:#?}",
        inspections[0].diagnostics
    );
    assert!(inspections[0].is_sendable());
}

#[test]
fn a_clean_event_without_explicit_action_source_only_gets_info() {
    let inspections = inspect_value(
        &with("/partners/pinterest/action_source", None),
        &default_mapping(),
    );
    let diagnostics = &inspections[0].diagnostics;
    assert!(!diagnostics.is_empty());
    assert!(
        diagnostics.iter().all(|d| d.severity == Severity::Info),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0].message.contains("no context.app"),
        "the derived action source says from what: {}",
        diagnostics[0].message
    );
}

#[test]
fn an_override_feeding_personal_data_into_a_clear_field_is_flagged() {
    let mut mapping = default_mapping();
    mapping.set_override(
        "custom_data.content_name",
        FieldOverride::Sources(vec![Source::parse("user.lastname").expect("a source")]),
    );
    let inspections = inspect_value(&clean(), &mapping);
    let flagged: Vec<_> = inspections[0]
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::PiiClearText)
        .collect();
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert_eq!(
        flagged[0].field.as_deref(),
        Some("custom_data.content_name")
    );
    assert!(flagged[0].message.contains("user.lastname"));
}

#[test]
fn every_code_is_in_the_readme_table() {
    let text = std::fs::read_to_string(root().join("README.md")).unwrap();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| {
            let row = format!("| `{}` | {} |", code.as_str(), code.severity());
            !text.contains(&row)
        })
        .map(|code| code.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from the README table (or with another severity): {missing:?}"
    );
}
