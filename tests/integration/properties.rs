//! Property tests (proptest), each run with [`CASES`] generated cases:
//! - normalization is idempotent, field by field;
//! - a hashed value is never hashed again (64 hex characters pass through);
//! - any JSON value as an event, and any text as an input file, never panics;
//! - every payload without error diagnostics validates against the pinned schema.

use pinspect::core::event::{SourceEvent, parse_text};
use pinspect::core::fields::HashedField;
use pinspect::core::inspect::inspect_all;
use pinspect::core::mapping::Mapping;
use pinspect::core::normalize::{self, EMPTY_SHA256, Options};
use pinspect::core::schema::validate_body;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Cases per property: enough to find edge cases, few enough to keep `cargo test` fast.
const CASES: u32 = 256;

const NOW: i64 = 1_744_956_000;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        ..ProptestConfig::default()
    }
}

fn any_field() -> impl Strategy<Value = HashedField> {
    prop::sample::select(HashedField::ALL.to_vec())
}

/// Realistic raw values for every field, mixed with arbitrary text.
fn raw_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        "[ ]{0,2}[A-Za-z0-9._%+-]{1,10}@[A-Za-z0-9-]{1,8}\\.[A-Za-z]{2,4}[ ]{0,2}",
        "(\\+|00)?[1-9][0-9 ().-]{6,16}",
        "0[1-9][0-9 .-]{7,12}",
        prop::sample::select(vec![
            "Female",
            "M",
            "homme",
            "non-binary",
            "x",
            "1985-03-17",
            "17/03/1985",
            "03/17/1985",
            "17.03.1985",
            "17031985",
            "March 17th, 1985",
            "17 mars 1985",
            "04/05/1985",
            "Zoe\u{308}",
            "ZO\u{cb}",
            "Łukasz",
            "İstanbul",
            "Saint-E\u{301}tienne",
            "California",
            "US-TX",
            "N.Y.",
            "94025-1234",
            "940251234",
            "SW1A 1AA",
            "K1A 0B1",
            "FRA",
            "usa",
            "United Kingdom",
            "Côte d'Ivoire",
            "38400000-8CF0-11BD-B23E-10B96E40000D",
            "+++",
            "  ",
            " - ",
            "ß",
            "ǅ",
            "ﬃ",
        ])
        .prop_map(str::to_owned),
    ]
}

fn any_options() -> impl Strategy<Value = Options> {
    (
        prop::option::of(prop::sample::select(vec![
            "FR", "US", "GB", "DE", "AU", "JP",
        ])),
        any::<bool>(),
    )
        .prop_map(|(country, strip)| Options {
            default_phone_country: country.map(str::to_owned),
            strip_name_diacritics: strip,
            now: None,
        })
}

/// Any JSON value, nested a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,8}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A Commanders Act-like event whose every leaf is either realistic or arbitrary, so that
/// each mapping rule sees good and bad values.
fn event_like() -> impl Strategy<Value = Value> {
    let leaf = || prop_oneof![3 => raw_value().prop_map(Value::from), 1 => any_json()];
    let name = prop::sample::select(vec![
        "purchase",
        "page_view",
        "add_to_cart",
        "search",
        "sign_up",
        "generate_lead",
        "newsletter_optin",
        "begin_checkout",
    ]);
    let time = prop_oneof![
        Just(json!((NOW - 60) * 1000)),
        Just(json!(NOW - 30)),
        Just(json!("2025-04-18T07:53:39+0200")),
        any_json(),
    ];
    let item = (leaf(), leaf(), leaf()).prop_map(|(id, quantity, price)| {
        json!({"id": id, "quantity": quantity, "product": {"price": price}})
    });
    (
        name,
        time,
        prop::collection::vec(leaf(), 12),
        prop::collection::vec(item, 0..3),
    )
        .prop_map(|(name, time, leaves, items)| {
            let leaf = |index: usize| leaves.get(index).cloned().unwrap_or(Value::Null);
            json!({
                "event_name": name,
                "id": leaf(0),
                "value": leaf(1),
                "currency": leaf(2),
                "search_term": leaf(3),
                "items": items,
                "user": {"email": leaf(4), "phone": leaf(5), "birthdate": leaf(6),
                    "firstname": leaf(7), "country": leaf(8)},
                "partners": {"pinterest": {"opt_out": leaf(9)}},
                "context": {"event_id": leaf(10), "event_timestamp": time,
                    "page": {"url": "https://shop.example.com/p?epik=abc"},
                    "device": {"ip": leaf(11), "user_agent": "Mozilla/5.0"}}
            })
        })
}

/// A web event that is clean except for the values proptest varies among good ones.
fn clean_event() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec![
            "purchase",
            "add_to_cart",
            "page_view",
            "search",
            "sign_up",
        ]),
        prop::sample::select(vec![
            "jane.doe@example.com",
            " John@Example.org",
            "ü@exämple.de",
        ]),
        prop::sample::select(vec![
            "+33 6 55 50 12 34",
            "+1 650 555 1212",
            "0044 7911 123456",
        ]),
        prop::sample::select(vec!["1985-03-17", "17.03.1985", "19991231"]),
        1_u32..5,
        1_u32..100_000,
        prop::sample::select(vec!["EUR", "usd", "GBP"]),
    )
        .prop_map(
            |(name, email, phone, birthdate, quantity, cents, currency)| {
                let price = format!("{}.{:02}", cents / 100, cents % 100);
                let total = f64::from(cents) * f64::from(quantity) / 100.0;
                json!({
                    "event_name": name,
                    "id": "ORD-1",
                    "value": format!("{total:.2}"),
                    "currency": currency,
                    "search_term": "summer dresses",
                    "items": [{"id": "SKU-1", "quantity": quantity, "product": {"price": price}}],
                    "user": {"email": email, "phone": phone, "birthdate": birthdate,
                        "country": "FR", "city": "Paris"},
                    "context": {"event_id": "evt-1", "event_timestamp": (NOW - 60) * 1000,
                        "page": {"url": "https://shop.example.com/p?epik=abc"},
                        "device": {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0"}}
                })
            },
        )
}

proptest! {
    #![proptest_config(config())]

    /// Normalizing a normalized value gives it back. Phones are checked when the first pass
    /// was clean: an invalid number is hashed as read, and reading it again may differ.
    #[test]
    fn normalization_is_idempotent(field in any_field(), raw in raw_value(), options in any_options()) {
        let first = normalize::normalize_clear(field, &raw, &options);
        if let Some(once) = first.value.filter(|v| !v.is_empty())
            && (field != HashedField::Ph || first.findings.is_empty())
        {
            let twice = normalize::normalize_clear(field, &once, &options);
            prop_assert_eq!(twice.value.as_deref(), Some(once.as_str()), "{:?} {:?}", field, raw);
        }
    }

    /// A SHA-256 in any case is passed through lower-cased, from any source, for any field.
    #[test]
    fn a_sha256_is_never_hashed_again(
        field in any_field(),
        hex in "[0-9a-fA-F]{64}",
        from_sha256 in any::<bool>(),
    ) {
        let lower = hex.to_ascii_lowercase();
        prop_assume!(lower != EMPTY_SHA256 && !lower.chars().all(|c| c == '0'));
        let result = normalize::hashed(field, &hex, from_sha256, &Options::default());
        let value = result.value.expect("passed through");
        prop_assert_eq!(value.sha256, lower);
        prop_assert_eq!(value.normalized, None);
    }

    /// What pinspect sends for a field, fed back in, is sent unchanged.
    #[test]
    fn a_sent_hash_fed_back_is_unchanged(field in any_field(), raw in raw_value(), options in any_options()) {
        if let Some(sent) = normalize::hashed(field, &raw, false, &options).value {
            let again = normalize::hashed(field, &sent.sha256, true, &options);
            prop_assert_eq!(again.value.map(|v| v.sha256), Some(sent.sha256));
        }
    }

    /// No JSON value, as an event, makes the inspection panic.
    #[test]
    fn any_json_event_never_panics(value in any_json()) {
        let events = [SourceEvent::new("prop", 0, value)];
        let inspections = inspect_all(&events, &Mapping::default(), NOW);
        prop_assert_eq!(inspections.len(), 1);
    }

    /// Nor does any event shaped like a Commanders Act event, whatever its values.
    #[test]
    fn any_event_like_value_never_panics(value in event_like()) {
        let events = [SourceEvent::new("prop", 0, value)];
        let inspections = inspect_all(&events, &Mapping::default(), NOW);
        prop_assert_eq!(inspections.len(), 1);
    }

    /// No text, as an input file, makes loading panic.
    #[test]
    fn any_text_never_panics(text in prop_oneof![
        "\\PC{0,64}",
        "[\\[\\]{}\",:0-9a-z \\n]{0,64}",
        any_json().prop_map(|v| format!("{v}\n{v}")),
    ]) {
        if let Ok(events) = parse_text("prop", &text) {
            let inspections = inspect_all(&events, &Mapping::default(), NOW);
            prop_assert_eq!(inspections.len(), events.len());
        }
    }

    /// Every payload without an error diagnostic validates against the pinned schema.
    #[test]
    fn payloads_without_errors_validate(value in prop_oneof![clean_event(), event_like()]) {
        let events = [SourceEvent::new("prop", 0, value)];
        for inspection in inspect_all(&events, &Mapping::default(), NOW) {
            if let Some(payload) = inspection.payload.as_ref().filter(|_| !inspection.has_errors()) {
                let problems = validate_body(&json!({ "data": [payload] }));
                prop_assert!(problems.is_empty(), "{:?}\n{}", problems, payload);
            }
        }
    }

    /// The clean generator really produces sendable events, so the property above is not
    /// vacuous.
    #[test]
    fn clean_events_are_sendable(value in clean_event()) {
        let events = [SourceEvent::new("prop", 0, value)];
        let inspection = &inspect_all(&events, &Mapping::default(), NOW)[0];
        prop_assert!(inspection.is_sendable(), "{:?}", inspection.diagnostics);
    }
}
