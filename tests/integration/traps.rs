//! The traps of PRODUCT.md §8 that touch normalization and validation, each through the whole
//! mapping (`inspect_all`), as a user would meet them.

use pinspect::core::diagnostics::{Code, Diagnostic};
use pinspect::core::event::parse_text;
use pinspect::core::inspect::{Inspection, inspect_all};
use pinspect::core::mapping::{FieldOverride, Mapping};
use pinspect::core::normalize::EMPTY_SHA256;
use pinspect::core::preset::Source;
use serde_json::{Value, json};

use crate::support::lookup;

const NOW: i64 = 1_744_956_000;

fn base() -> Value {
    json!({
        "event_name": "page_view",
        "user": {"email": "jane.doe@example.com"},
        "context": {"event_id": "evt-1", "event_timestamp": (NOW - 60) * 1000,
            "device": {"user_agent": "Mozilla/5.0"}}
    })
}

fn inspect_with(event: &Value, mapping: &Mapping) -> Inspection {
    let events = parse_text("trap", &event.to_string()).expect("parses");
    inspect_all(&events, mapping, NOW).remove(0)
}

fn inspect(event: &Value) -> Inspection {
    inspect_with(event, &Mapping::default())
}

fn on<'a>(inspection: &'a Inspection, code: Code, field: &str) -> Option<&'a Diagnostic> {
    inspection
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.field.as_deref() == Some(field))
}

fn sent<'a>(inspection: &'a Inspection, path: &str) -> Option<&'a Value> {
    lookup(inspection.payload.as_ref().expect("a payload"), path)
}

// ---- Personal data in clear where Pinterest does not hash ----

#[test]
fn an_email_in_a_url_query_is_found_url_decoded() {
    let mut event = base();
    event["context"]["page"] =
        json!({"url": "https://shop.example/welcome?u=jane.doe%40example.com"});
    let inspection = inspect(&event);
    assert!(on(&inspection, Code::PiiClearText, "event_source_url").is_some());
}

#[test]
fn the_clear_user_data_fields_are_scanned_too() {
    let mut event = base();
    event["partners"] = json!({"pinterest": {"click_id": "jane.doe@example.com"}});
    event["context"]["device"]["user_agent"] = json!("Mozilla/5.0 (call +33 6 55 50 12 34)");
    let inspection = inspect(&event);
    assert!(on(&inspection, Code::PiiClearText, "user_data.click_id").is_some());
    assert!(
        on(
            &inspection,
            Code::PiiClearText,
            "user_data.client_user_agent"
        )
        .is_some()
    );

    // The hashed fields are not: their clear values are hashed.
    assert!(
        !inspection
            .diagnostics
            .iter()
            .any(|d| d.code == Code::PiiClearText && d.field.as_deref() == Some("user_data.em"))
    );
}

#[test]
fn a_personal_query_parameter_is_found_by_name() {
    let mut event = base();
    event["context"]["page"] =
        json!({"url": "https://shop.example/confirm?Last_Name=Doe&tel=0655501234"});
    let inspection = inspect(&event);
    let found = on(&inspection, Code::PiiClearText, "event_source_url").expect("flagged");
    assert!(found.message.contains("Last_Name"), "{}", found.message);
}

#[test]
fn a_phone_in_search_string_is_found() {
    let mut event = base();
    event["event_name"] = json!("search");
    event["search_term"] = json!("call me +33 6 55 50 12 34");
    let inspection = inspect(&event);
    assert!(on(&inspection, Code::PiiClearText, "custom_data.search_string").is_some());
}

#[test]
fn an_email_in_a_free_text_field_is_found() {
    let mut mapping = Mapping::default();
    mapping.set_override(
        "custom_data.content_name",
        FieldOverride::Sources(vec![Source::parse("page_name").expect("a source")]),
    );
    let mut event = base();
    event["page_name"] = json!("Thanks jane.doe@example.com!");
    let inspection = inspect_with(&event, &mapping);
    assert!(on(&inspection, Code::PiiClearText, "custom_data.content_name").is_some());
}

#[test]
fn an_override_mapping_a_personal_source_to_a_clear_field_is_flagged() {
    let mut mapping = Mapping::default();
    mapping.set_override(
        "custom_data.content_category",
        FieldOverride::Sources(vec![Source::parse("user.phone").expect("a source")]),
    );
    let mut event = base();
    event["user"]["phone"] = json!("0655501234");
    let inspection = inspect_with(&event, &mapping);
    let found = on(
        &inspection,
        Code::PiiClearText,
        "custom_data.content_category",
    )
    .expect("flagged although the value alone does not look like a phone");
    assert!(found.message.contains("user.phone"), "{}", found.message);
}

#[test]
fn ordinary_urls_and_searches_are_not_flagged() {
    let mut event = base();
    event["event_name"] = json!("search");
    event["search_term"] = json!("summer dresses size 38");
    event["context"]["page"] = json!({"url": "https://shop.example/p/42?utm_source=pin&epik=abc"});
    let inspection = inspect(&event);
    assert!(
        !inspection
            .diagnostics
            .iter()
            .any(|d| d.code == Code::PiiClearText),
        "{:?}",
        inspection.diagnostics
    );
}

// ---- Proxy chains, ports, brackets, private addresses in the IP ----

#[test]
fn ip_addresses_are_cleaned_or_dropped_never_sent_as_they_are() {
    for (raw, want, code) in [
        (
            "203.0.113.7, 198.51.100.2",
            Some("203.0.113.7"),
            Some(Code::IpProxyChain),
        ),
        (
            "10.0.0.3, 203.0.113.7",
            Some("203.0.113.7"),
            Some(Code::IpProxyChain),
        ),
        (
            "203.0.113.7:8080",
            Some("203.0.113.7"),
            Some(Code::IpProxyChain),
        ),
        (
            "[2001:db8::7]:443",
            Some("2001:db8::7"),
            Some(Code::IpProxyChain),
        ),
        ("192.168.1.20", None, Some(Code::IpNotPublic)),
        ("127.0.0.1", None, Some(Code::IpNotPublic)),
        ("::1", None, Some(Code::IpNotPublic)),
        ("10.1.2.3, 172.16.0.1", None, Some(Code::IpProxyChain)),
        ("203.0.113.0", Some("203.0.113.0"), Some(Code::IpMasked)),
        ("2001:DB8::7", Some("2001:DB8::7"), None),
        (" 203.0.113.7 ", Some("203.0.113.7"), None),
    ] {
        let mut event = base();
        event["context"]["device"]["ip"] = json!(raw);
        let inspection = inspect(&event);
        assert_eq!(
            sent(&inspection, "user_data.client_ip_address"),
            want.map(Value::from).as_ref(),
            "{raw}"
        );
        let codes: Vec<Code> = inspection
            .diagnostics
            .iter()
            .filter(|d| d.field.as_deref() == Some("user_data.client_ip_address"))
            .map(|d| d.code)
            .collect();
        match code {
            Some(code) => assert!(codes.contains(&code), "{raw}: {codes:?}"),
            None => assert!(codes.is_empty(), "{raw}: {codes:?}"),
        }
    }
}

// ---- All-zero advertising ids ----

#[test]
fn zero_advertising_ids_are_not_sent_and_never_satisfy_identity() {
    for zero in [
        "00000000-0000-0000-0000-000000000000",
        "00000000000000000000000000000000",
        "0000-0000",
    ] {
        let event = json!({
            "event_name": "page_view",
            "context": {"event_id": "e", "event_timestamp": (NOW - 60) * 1000,
                "app": {"name": "Shop"},
                "device": {"advertising_id": zero, "os": {"name": "iOS"}}}
        });
        let inspection = inspect(&event);
        assert_eq!(sent(&inspection, "user_data.hashed_maids"), None, "{zero}");
        assert!(on(&inspection, Code::MaidZero, "user_data.hashed_maids").is_some());
        assert!(on(&inspection, Code::IdentityMissing, "user_data").is_some());
    }
}

#[test]
fn the_digest_of_the_zero_advertising_id_is_not_sent() {
    // printf '%s' '00000000-0000-0000-0000-000000000000' | sha256sum
    let digest = "12B9377CBE7E5C94E8A70D9D23929523D14AFA954793130F8A3959C7B849ACA8";
    let event = json!({
        "event_name": "page_view",
        "context": {"event_id": "e", "event_timestamp": (NOW - 60) * 1000,
            "device": {"advertising_id": digest}}
    });
    let inspection = inspect(&event);
    assert_eq!(sent(&inspection, "user_data.hashed_maids"), None);
    assert!(on(&inspection, Code::MaidZero, "user_data.hashed_maids").is_some());
}

// ---- Values that normalize to nothing ----

#[test]
fn values_that_normalize_to_nothing_are_dropped_with_a_warning() {
    for (source, field) in [
        ("phone", "user_data.ph"),
        ("firstname", "user_data.fn"),
        ("lastname", "user_data.ln"),
        ("city", "user_data.ct"),
        ("zipcode", "user_data.zp"),
        ("country", "user_data.country"),
        ("gender", "user_data.ge"),
        ("birthdate", "user_data.db"),
        ("id", "user_data.external_id"),
    ] {
        for nothing in ["+++", "  ", " - "] {
            let mut event = base();
            event["user"][source] = json!(nothing);
            let inspection = inspect(&event);
            assert_eq!(sent(&inspection, field), None, "{field} {nothing:?}");
            assert!(
                on(&inspection, Code::NormalizeEmpty, field).is_some(),
                "{field} {nothing:?}: {:?}",
                inspection.diagnostics
            );
            let payload = inspection.payload.as_ref().expect("payload").to_string();
            assert!(!payload.contains(EMPTY_SHA256), "{field} {nothing:?}");
        }
    }
}

#[test]
fn blank_clear_fields_are_dropped_with_a_warning() {
    let mut event = base();
    event["context"]["device"]["user_agent"] = json!("   ");
    event["value"] = json!(" ");
    event["currency"] = json!("  ");
    let inspection = inspect(&event);
    for field in [
        "user_data.client_user_agent",
        "custom_data.value",
        "custom_data.currency",
    ] {
        assert_eq!(sent(&inspection, field), None, "{field}");
        assert!(
            on(&inspection, Code::NormalizeEmpty, field).is_some(),
            "{field}"
        );
    }
}

#[test]
fn a_prehashed_empty_string_is_not_sent() {
    let mut event = base();
    event["user"]["email_sha256"] = json!(EMPTY_SHA256.to_ascii_uppercase());
    event["user"].as_object_mut().unwrap().remove("email");
    let inspection = inspect(&event);
    assert_eq!(sent(&inspection, "user_data.em"), None);
    assert!(on(&inspection, Code::NormalizeEmpty, "user_data.em").is_some());

    // With a clear e-mail beside it, the e-mail is used and the blank source named.
    let mut event = base();
    event["user"]["email_sha256"] = json!(EMPTY_SHA256.to_ascii_uppercase());
    let inspection = inspect(&event);
    assert!(sent(&inspection, "user_data.em").is_some_and(|em| *em != json!([EMPTY_SHA256])));
    let blank = on(&inspection, Code::SourceBlank, "user_data.em").expect("source.blank");
    assert!(
        blank.message.contains("the SHA-256 of an empty string"),
        "{}",
        blank.message
    );
}

// ---- ISO timestamps ----

#[test]
fn every_iso_offset_form_is_converted() {
    // 2025-04-18T05:53:39Z
    let want = 1_744_955_619;
    for raw in [
        "2025-04-18T07:53:39+02:00",
        "2025-04-18T07:53:39+0200",
        "2025-04-18T07:53:39+02",
        "2025-04-18T05:53:39Z",
        "2025-04-18T05:53:39z",
        "2025-04-18T00:53:39-05:00",
        "2025-04-18T00:53:39-0500",
        "2025-04-18T00:53:39-05",
        "2025-04-18T11:23:39+05:30",
        "2025-04-18T07:53:39.974+02:00",
        "2025-04-18 07:53:39+02:00",
        "2025-04-18T07:53:39+02:00[Europe/Paris]",
    ] {
        let mut event = base();
        event["context"]["event_timestamp"] = json!(raw);
        let inspection = inspect(&event);
        assert_eq!(sent(&inspection, "event_time"), Some(&json!(want)), "{raw}");
        assert!(
            on(&inspection, Code::EventTimeNoOffset, "event_time").is_none(),
            "{raw}"
        );
    }
}

#[test]
fn timestamps_without_offset_are_utc_with_a_warning() {
    for (raw, want) in [
        ("2025-04-18T05:53:39", 1_744_955_619),
        ("2025-04-18 05:53:39", 1_744_955_619),
        ("2025-04-18", 1_744_934_400),
    ] {
        let mut event = base();
        event["context"]["event_timestamp"] = json!(raw);
        let inspection = inspect(&event);
        assert_eq!(sent(&inspection, "event_time"), Some(&json!(want)), "{raw}");
        let warning = on(&inspection, Code::EventTimeNoOffset, "event_time").expect("warned");
        assert!(warning.message.contains("UTC"), "{}", warning.message);
    }
}

#[test]
fn absurd_timestamps_are_errors_not_crashes() {
    for raw in [
        json!(1e300),
        json!(-1e300),
        json!(i64::MIN),
        json!(u64::MAX),
    ] {
        let mut event = base();
        event["context"]["event_timestamp"] = raw.clone();
        let inspection = inspect(&event);
        assert!(inspection.has_errors(), "{raw}");
    }
}
