//! The normalization rules that real inputs broke, each checked as a rule through the whole
//! mapping (`inspect_all`) or the CLI: non-string values in checked fields, phone prefixes and
//! labels, ISO 3166-2 states, ambiguous decimals, zone-annotated timestamps, digest-looking ids,
//! the hash checker on dropped values, IP chains and reserved ranges, and the smaller gaps.
//!
//! Expected hashes were computed with `printf '%s' 'value' | sha256sum`.

use pinspect::core::diagnostics::{Code, Diagnostic};
use pinspect::core::event::parse_text;
use pinspect::core::inspect::{Inspection, TraceEntry, inspect_all};
use pinspect::core::mapping::Mapping;
use serde_json::{Value, json};

use crate::support::lookup;

const NOW: i64 = 1_744_956_000;

/// A valid web page view; each test changes one thing in it.
fn base() -> Value {
    json!({
        "event_name": "page_view",
        "user": {"email": "jane.doe@example.com"},
        "context": {"event_id": "evt-1", "event_timestamp": (NOW - 60) * 1000,
            "device": {"user_agent": "Mozilla/5.0"}}
    })
}

/// `base()` with `value` at the JSON pointer `pointer` (parents are created).
fn with(pointer: &str, value: Value) -> Value {
    let mut event = base();
    let mut current = &mut event;
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    for (position, part) in parts.iter().enumerate() {
        let map = current.as_object_mut().expect("an object on the way");
        if position + 1 == parts.len() {
            map.insert((*part).to_owned(), value);
            break;
        }
        current = map.entry((*part).to_owned()).or_insert_with(|| json!({}));
    }
    event
}

fn inspect_with(event: &Value, mapping: &Mapping) -> Inspection {
    let events = parse_text("rule", &event.to_string()).expect("parses");
    inspect_all(&events, mapping, NOW).remove(0)
}

fn inspect(event: &Value) -> Inspection {
    inspect_with(event, &Mapping::default())
}

fn with_phone_country(country: &str) -> Mapping {
    let mut mapping = Mapping::default();
    mapping.settings.default_phone_country = Some(country.to_owned());
    mapping
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

fn trace<'a>(inspection: &'a Inspection, field: &str) -> &'a TraceEntry {
    inspection
        .trace
        .iter()
        .find(|t| t.field == field)
        .unwrap_or_else(|| panic!("no trace for {field}"))
}

// ---- 13: `.length` counts arrays only ----

#[test]
fn a_string_of_items_is_not_a_list() {
    let inspection = inspect(&with("/items", json!("A,B")));
    assert_eq!(sent(&inspection, "custom_data.num_items"), None);
    let listed = inspect(&with("/items", json!([{"id": "A"}, {"id": "B"}])));
    assert_eq!(sent(&listed, "custom_data.num_items"), Some(&json!(2)));
}

// ---- 1: a value of the wrong JSON type never bypasses its field's check ----

#[test]
fn an_ip_that_is_not_text_is_invalid_and_not_sent() {
    for ip in [json!(3_405_803_783_u64), json!(true), json!(203.0)] {
        let inspection = inspect(&with("/context/device/ip", ip.clone()));
        assert_eq!(
            sent(&inspection, "user_data.client_ip_address"),
            None,
            "{ip}"
        );
        assert!(
            on(&inspection, Code::IpInvalid, "user_data.client_ip_address").is_some(),
            "{ip}"
        );
        // Without an e-mail, a number in the IP never satisfies the identity rule.
        let mut anonymous = with("/context/device/ip", ip.clone());
        anonymous["user"] = json!({});
        let anonymous = inspect(&anonymous);
        assert!(
            on(&anonymous, Code::IdentityMissing, "user_data").is_some(),
            "{ip}"
        );
    }
}

#[test]
fn a_currency_that_is_not_text_gets_the_iso_check() {
    for currency in [json!(978), json!(true), json!(12.5)] {
        let mut event = with("/currency", currency.clone());
        event["value"] = json!("10.00");
        let inspection = inspect(&event);
        let found = on(&inspection, Code::CurrencyInvalid, "custom_data.currency");
        assert!(found.is_some(), "{currency}: {:?}", inspection.diagnostics);
        assert!(inspection.has_errors());
    }
    let numeric = inspect(&with("/currency", json!(978)));
    let message = &on(&numeric, Code::CurrencyInvalid, "custom_data.currency")
        .expect("currency.invalid")
        .message;
    assert!(message.contains("\"EUR\""), "{message}");
}

#[test]
fn an_action_source_that_is_not_text_is_invalid() {
    let inspection = inspect(&with("/partners/pinterest/action_source", json!(1)));
    assert!(on(&inspection, Code::ActionSourceInvalid, "action_source").is_some());
    assert_eq!(sent(&inspection, "action_source"), None);
}

#[test]
fn a_boolean_in_a_hashed_field_is_not_hashed() {
    for (pointer, field) in [
        ("/user/zipcode", "user_data.zp"),
        ("/user/id", "user_data.external_id"),
        ("/user/firstname", "user_data.fn"),
        ("/context/device/advertising_id", "user_data.hashed_maids"),
    ] {
        let inspection = inspect(&with(pointer, json!(true)));
        assert_eq!(sent(&inspection, field), None, "{field}");
        assert!(
            on(&inspection, Code::ValueWrongType, field).is_some(),
            "{field}: {:?}",
            inspection.diagnostics
        );
    }
    // A number is text for a hashed field: a zip code or an id as a number is hashed.
    let numeric = inspect(&with("/user/zipcode", json!(75001)));
    // printf '%s' '75001' | sha256sum
    assert_eq!(
        sent(&numeric, "user_data.zp"),
        Some(&json!([
            "3f089dbdff98360a35193e7d401b76b21f5c0d5d6fb76a28660aaaed83a4c3e3"
        ]))
    );
}

// ---- 11: event_id.not_string quotes exactly what is sent ----

#[test]
fn a_numeric_event_id_is_quoted_as_sent() {
    for (raw, want) in [
        (json!(1.5e20), "150000000000000000000"),
        (json!(778_899), "778899"),
        (json!(12.5), "12.5"),
    ] {
        let inspection = inspect(&with("/context/event_id", raw.clone()));
        assert_eq!(sent(&inspection, "event_id"), Some(&json!(want)), "{raw}");
        let message = &on(&inspection, Code::EventIdNotString, "event_id")
            .expect("event_id.not_string")
            .message;
        assert!(
            message.contains(&format!("the string \"{want}\"")),
            "{message}"
        );
    }
}

// ---- 12: IP chains with parts that are not addresses; reserved ranges ----

#[test]
fn a_forwarded_for_chain_skips_unknown_hops() {
    for chain in ["unknown, 203.0.113.7", "-, 203.0.113.7", ",203.0.113.7"] {
        let inspection = inspect(&with("/context/device/ip", json!(chain)));
        assert_eq!(
            sent(&inspection, "user_data.client_ip_address"),
            Some(&json!("203.0.113.7")),
            "{chain}"
        );
        assert!(
            on(
                &inspection,
                Code::IpProxyChain,
                "user_data.client_ip_address"
            )
            .is_some()
        );
        assert!(on(&inspection, Code::IpInvalid, "user_data.client_ip_address").is_none());
    }
    let alone = inspect(&with("/context/device/ip", json!("unknown")));
    assert!(on(&alone, Code::IpInvalid, "user_data.client_ip_address").is_some());
}

#[test]
fn reserved_addresses_are_not_the_visitor() {
    for ip in [
        "240.0.0.1",
        "198.18.0.1",
        "192.0.0.8",
        "100::1",
        "2001:2::1",
    ] {
        let inspection = inspect(&with("/context/device/ip", json!(ip)));
        assert_eq!(
            sent(&inspection, "user_data.client_ip_address"),
            None,
            "{ip}"
        );
        assert!(
            on(
                &inspection,
                Code::IpNotPublic,
                "user_data.client_ip_address"
            )
            .is_some(),
            "{ip}"
        );
    }
    for ip in ["203.0.113.7", "198.51.100.2", "192.0.2.1", "2001:db8::1"] {
        let inspection = inspect(&with("/context/device/ip", json!(ip)));
        assert_eq!(
            sent(&inspection, "user_data.client_ip_address"),
            Some(&json!(ip))
        );
    }
}

// ---- 2 and 3: phone prefixes across separators, label words, more than 15 digits ----

// printf '%s' '442079460000' | sha256sum
const UK_PHONE_SHA256: &str = "38e62b3e091778f9214de3aa00ae498aa4b78433d73dec5977eb2ec1c8be4a69";
// printf '%s' '33655501234' | sha256sum
const FR_PHONE_SHA256: &str = "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa";
// printf '%s' '16505551212' | sha256sum
const US_PHONE_SHA256: &str = "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176";

#[test]
fn an_00_prefix_followed_by_a_separator_is_international() {
    for mapping in [Mapping::default(), with_phone_country("US")] {
        let inspection = inspect_with(&with("/user/phone", json!("00 44 20 7946 0000")), &mapping);
        assert_eq!(
            sent(&inspection, "user_data.ph"),
            Some(&json!([UK_PHONE_SHA256]))
        );
        let dashed = inspect_with(&with("/user/phone", json!("00-1-650-555-1212")), &mapping);
        assert_eq!(
            sent(&dashed, "user_data.ph"),
            Some(&json!([US_PHONE_SHA256]))
        );
    }
}

#[test]
fn a_phone_label_is_removed_as_a_visible_step() {
    let inspection = inspect(&with("/user/phone", json!("+33 6 55 50 12 34 (mobile)")));
    assert_eq!(
        sent(&inspection, "user_data.ph"),
        Some(&json!([FR_PHONE_SHA256]))
    );
    let steps = &trace(&inspection, "user_data.ph").steps;
    assert_eq!(steps[0].rule, "remove label words \"mobile\"");
    assert_eq!(steps[0].value, "+33 6 55 50 12 34");
}

#[test]
fn a_phone_longer_than_15_digits_is_not_sent() {
    let inspection = inspect(&with("/user/phone", json!("+33 6 55 50 12 34 66 24 53")));
    assert_eq!(sent(&inspection, "user_data.ph"), None);
    assert!(on(&inspection, Code::PhoneInvalid, "user_data.ph").is_some());
}

// ---- 4: ISO 3166-2 codes of other countries are not states ----

#[test]
fn only_us_and_canadian_subdivision_codes_are_states() {
    for raw in ["FR-75", "IT-21", "DE-BY", "US-ZZ"] {
        let inspection = inspect(&with("/user/state_short", json!(raw)));
        assert_eq!(sent(&inspection, "user_data.st"), None, "{raw}");
        assert!(on(&inspection, Code::StateUnknown, "user_data.st").is_some());
    }
    let texas = inspect(&with("/user/state_short", json!("US-TX")));
    // printf '%s' 'tx' | sha256sum
    assert_eq!(
        sent(&texas, "user_data.st"),
        Some(&json!([
            "1b5b9ccb3e8d006a5230de9bda23ff91edc794d4f56410560830b418528e446c"
        ]))
    );
    let step = trace(&texas, "user_data.st").steps.first().expect("a step");
    assert_eq!(
        step.rule,
        "ISO 3166-2: country prefix \"US-\" removed, lower-case"
    );
}

// ---- 5: decimals ----

#[test]
fn decimal_commas_thousands_and_odd_forms() {
    let value = |raw: Value| {
        let inspection = inspect(&with("/value", raw));
        (
            sent(&inspection, "custom_data.value").cloned(),
            inspection.diagnostics,
        )
    };
    let (ambiguous, diagnostics) = value(json!("1,234"));
    assert_eq!(ambiguous, None);
    assert!(diagnostics.iter().any(
        |d| d.code == Code::NumberAmbiguous && d.field.as_deref() == Some("custom_data.value")
    ));
    for (raw, want) in [
        (json!("1,23"), "1.23"),
        (json!("19,95"), "19.95"),
        (json!("1,234.56"), "1234.56"),
        (json!("1.234,56"), "1234.56"),
        (json!("1.234"), "1.234"),
        (json!("-0"), "0"),
        (json!("-0.00"), "0.00"),
        (json!(".5"), "0.5"),
        (json!("5."), "5"),
    ] {
        assert_eq!(value(raw.clone()).0, Some(json!(want)), "{raw}");
    }
    let (_, negative_zero) = value(json!("-0.00"));
    assert!(!negative_zero.iter().any(|d| d.code == Code::NumberNegative));
    for raw in ["Infinity", "1e3", "0x1A"] {
        let (sent_value, diagnostics) = value(json!(raw));
        assert_eq!(sent_value, None, "{raw}");
        let invalid = diagnostics
            .iter()
            .find(|d| d.code == Code::NumberInvalid)
            .expect("number.invalid");
        assert!(!invalid.message.contains("currency"), "{}", invalid.message);
    }
}

// ---- 6: a zone annotation without an offset is read in that zone ----

#[test]
fn a_zone_annotation_sets_the_local_time() {
    let inspection = inspect(&with(
        "/context/event_timestamp",
        json!("2025-04-18T07:53:39[Europe/Paris]"),
    ));
    assert_eq!(sent(&inspection, "event_time"), Some(&json!(1_744_955_619)));
    assert!(on(&inspection, Code::EventTimeNoOffset, "event_time").is_none());

    let unknown = inspect(&with(
        "/context/event_timestamp",
        json!("2025-04-18T07:53:39[Europe/Atlantis]"),
    ));
    assert_eq!(sent(&unknown, "event_time"), None);
    let message = &on(&unknown, Code::EventTimeInvalid, "event_time")
        .expect("event_time.invalid")
        .message;
    assert!(message.contains("\"Europe/Atlantis\""), "{message}");
    // The missing-time error is not added on top of the clear one.
    assert!(on(&unknown, Code::EventTimeMissing, "event_time").is_none());
}

// ---- 7: a *_sha256 source without a letter or digit holds no value ----

#[test]
fn a_blank_sha256_source_is_empty_not_an_error() {
    for raw in ["  ", "+++"] {
        let mut event = with("/user/email_sha256", json!(raw));
        event["user"].as_object_mut().expect("user").remove("email");
        event["context"]["device"]["ip"] = json!("203.0.113.7");
        let inspection = inspect(&event);
        assert_eq!(sent(&inspection, "user_data.em"), None, "{raw:?}");
        let empty = on(&inspection, Code::NormalizeEmpty, "user_data.em").expect("normalize.empty");
        assert!(
            empty.message.starts_with(&format!("{raw:?}")),
            "{}",
            empty.message
        );
        assert!(on(&inspection, Code::HashInvalidPrehashed, "user_data.em").is_none());
        assert!(!inspection.has_errors(), "{:?}", inspection.diagnostics);
    }
}

// ---- 9: digest-looking ids ----

#[test]
fn hex_ids_and_zero_advertising_ids() {
    // printf '%s' '0123456789ABCDEF0123456789ABCDEF' | sha256sum
    let upper_id = "cd6c1f7d1dc6717d6371d2647910ca71ba3bf0b611083d322466b8843b4285b6";
    // printf '%s' '0123456789abcdef0123456789abcdef' | sha256sum
    let lower_id = "3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9";
    let hex = "0123456789ABCDEF0123456789ABCDEF";

    let external = inspect(&with("/user/id", json!(hex)));
    assert_eq!(
        sent(&external, "user_data.external_id"),
        Some(&json!([upper_id]))
    );
    assert!(on(&external, Code::HashWeakDigest, "user_data.external_id").is_none());
    let maid = inspect(&with("/context/device/advertising_id", json!(hex)));
    assert_eq!(
        sent(&maid, "user_data.hashed_maids"),
        Some(&json!([lower_id]))
    );
    assert!(on(&maid, Code::HashWeakDigest, "user_data.hashed_maids").is_none());

    let sha1_length = inspect(&with(
        "/user/id",
        json!("0123456789abcdef0123456789abcdef01234567"),
    ));
    assert_eq!(sent(&sha1_length, "user_data.external_id"), None);
    assert!(on(&sha1_length, Code::HashWeakDigest, "user_data.external_id").is_some());

    for zero in [
        "00000000000000000000000000000000",
        "{00000000-0000-0000-0000-000000000000}",
        "84e0c0eafaa95a34c293f278ac52e45ce537bab5e752a00e6959a13ae103b65a",
        "12b9377cbe7e5c94e8a70d9d23929523d14afa954793130f8a3959c7b849aca8",
    ] {
        let mut event = with("/context/device/advertising_id", json!(zero));
        event["user"] = json!({});
        let inspection = inspect(&event);
        assert_eq!(sent(&inspection, "user_data.hashed_maids"), None, "{zero}");
        assert!(
            on(&inspection, Code::MaidZero, "user_data.hashed_maids").is_some(),
            "{zero}"
        );
        assert!(
            on(&inspection, Code::IdentityMissing, "user_data").is_some(),
            "{zero}"
        );
    }
}

// ---- 8: birth dates after the clock; two-digit years with month names ----

#[test]
fn a_birth_date_after_the_clock_is_not_sent() {
    for raw in ["2099-01-01", "2025-04-19"] {
        let inspection = inspect(&with("/user/birthdate", json!(raw)));
        assert_eq!(sent(&inspection, "user_data.db"), None, "{raw}");
        assert!(on(&inspection, Code::BirthdateInvalid, "user_data.db").is_some());
    }
    let today = inspect(&with("/user/birthdate", json!("2025-04-18")));
    // printf '%s' '20250418' | sha256sum
    assert_eq!(
        sent(&today, "user_data.db"),
        Some(&json!([
            "630f76e9bcbfd9b301ebbdf32f6a5346a1b34f846fc70185df4b0ba0f19f5f1b"
        ]))
    );
    let short_year = inspect(&with("/user/birthdate", json!("17 Mar 85")));
    assert_eq!(sent(&short_year, "user_data.db"), None);
    assert!(on(&short_year, Code::BirthdateAmbiguous, "user_data.db").is_some());
}

// ---- 13: the smaller gaps ----

#[test]
fn more_gender_words() {
    // printf '%s' 'f' | sha256sum, 'm', 'n'
    let f = "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111";
    let m = "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a";
    let n = "1b16b1df538ba12dc3f97edbb85caa7050d46c148134290feba80f8236c83db9";
    for (word, want) in [
        ("feminina", f),
        ("masculina", m),
        ("niebinarny", n),
        ("nicht-binär", n),
        ("femminile", f),
        ("non-binair", n),
        ("Żeńska", f),
    ] {
        let inspection = inspect(&with("/user/gender", json!(word)));
        assert_eq!(
            sent(&inspection, "user_data.ge"),
            Some(&json!([want])),
            "{word}"
        );
    }
}

#[test]
fn more_birth_date_forms() {
    // printf '%s' '19850317' | sha256sum
    let want = "dafb12289e6db8cd3c55331ab73fcf883e0dfe4266eef50ce9edfc2ea83b6a9a";
    for raw in [
        "17 de marzo de 1985",
        "17 de março de 1985",
        "17. März 1985",
    ] {
        let inspection = inspect(&with("/user/birthdate", json!(raw)));
        assert_eq!(
            sent(&inspection, "user_data.db"),
            Some(&json!([want])),
            "{raw}"
        );
    }
    // printf '%s' '19850217' | sha256sum
    let february = "705c8cf13a9409bebffa948abcf12252550ede31999dd90105a7dc2e29867650";
    for raw in ["17 févr. 1985", "17 fevr 1985"] {
        let inspection = inspect(&with("/user/birthdate", json!(raw)));
        assert_eq!(
            sent(&inspection, "user_data.db"),
            Some(&json!([february])),
            "{raw}"
        );
    }
}

#[test]
fn ambiguous_and_everyday_country_names() {
    for (raw, candidates) in [("Korea", ["(kr)", "(kp)"]), ("Congo", ["(cg)", "(cd)"])] {
        let inspection = inspect(&with("/user/country", json!(raw)));
        assert_eq!(sent(&inspection, "user_data.country"), None, "{raw}");
        let message = &on(&inspection, Code::CountryUnknown, "user_data.country")
            .expect("country.unknown")
            .message;
        assert!(candidates.iter().all(|c| message.contains(c)), "{message}");
    }
    // printf '%s' 'kr' | sha256sum, 'cd', 'ae'
    for (raw, want) in [
        (
            "South Korea",
            "d5647005d31dcbb66ff531c5e097544a03558bc538b9c65ee2539594886ffbc0",
        ),
        (
            "Republic of Korea",
            "d5647005d31dcbb66ff531c5e097544a03558bc538b9c65ee2539594886ffbc0",
        ),
        (
            "DRC",
            "21e721c35a5823fdb452fa2f9f0a612c74fb952e06927489c6b27a43b817bed4",
        ),
        (
            "DR Congo",
            "21e721c35a5823fdb452fa2f9f0a612c74fb952e06927489c6b27a43b817bed4",
        ),
        (
            "UAE",
            "f9a00f43e97e3966bb846e76b6795e11512c3bbfa787e6b70e0310c7b9346b98",
        ),
    ] {
        let inspection = inspect(&with("/user/country", json!(raw)));
        assert_eq!(
            sent(&inspection, "user_data.country"),
            Some(&json!([want])),
            "{raw}"
        );
    }
}

#[test]
fn a_zero_or_negative_quantity_is_warned() {
    for quantity in [0, -2] {
        let mut event = with("/event_name", json!("purchase"));
        event["items"] = json!([{"id": "A", "quantity": quantity, "product": {"price": "10.00"}}]);
        let inspection = inspect(&event);
        assert_eq!(
            sent(&inspection, "custom_data.contents[0].quantity"),
            Some(&json!(quantity))
        );
        assert!(
            on(
                &inspection,
                Code::QuantityNotPositive,
                "custom_data.contents[0].quantity"
            )
            .is_some(),
            "{quantity}"
        );
    }
    let mut one = with("/event_name", json!("purchase"));
    one["items"] = json!([{"id": "A", "quantity": 1, "product": {"price": "10.00"}}]);
    assert!(
        !inspect(&one)
            .diagnostics
            .iter()
            .any(|d| d.code == Code::QuantityNotPositive)
    );
}

#[test]
fn hidden_e_mails_in_urls_are_flagged() {
    for url in [
        "https://shop.example/thanks?u=jane.doe%2540example.com",
        "https://jane.doe@example.com@shop.example/thanks",
        "https://jane.doe%40example.com:pw@shop.example/",
    ] {
        let inspection = inspect(&with("/context/page", json!({"url": url})));
        assert!(
            on(&inspection, Code::PiiClearText, "event_source_url").is_some(),
            "{url}"
        );
    }
}
