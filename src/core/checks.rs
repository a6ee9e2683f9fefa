//! Checks that look at a whole payload (or at several events) rather than one field: the
//! identity rule, required fields, money consistency, catalog ids, privacy flags, personal
//! data in clear text, the event-time window and duplicate event ids.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::diagnostics::{Code, Diagnostic};
use super::inspect::{FieldOutcome, Inspection};
use super::normalize::{self, Finding};

/// Seconds Pinterest tolerates in the future (clock skew); beyond this an event is rejected.
pub const FUTURE_TOLERANCE_SECS: i64 = 60;

/// Pinterest rejects events older than this.
pub const MAX_AGE_SECS: i64 = 7 * 24 * 3600;

/// Events older than this are reported as offline conversions.
pub const LATE_AFTER_SECS: i64 = 3600;

/// Findings about an event time relative to `now`.
pub fn time_window(seconds: i64, now: i64) -> Vec<Finding> {
    // Saturating: a timestamp read from a huge number must give an error, not an overflow.
    let age = now.saturating_sub(seconds);
    let when = jiff::Timestamp::from_second(seconds)
        .map_or_else(|_| seconds.to_string(), |t| t.to_string());
    if age < -FUTURE_TOLERANCE_SECS {
        return vec![Finding::new(
            Code::EventTimeFuture,
            format!(
                "{when} is {} in the future; Pinterest rejects events from the future. Check the clock and the timestamp unit",
                duration(age.saturating_neg())
            ),
        )];
    }
    if age > MAX_AGE_SECS {
        return vec![Finding::new(
            Code::EventTimeTooOld,
            format!(
                "{when} is {} old; Pinterest rejects events older than 7 days",
                duration(age)
            ),
        )];
    }
    if age > LATE_AFTER_SECS {
        return vec![Finding::new(
            Code::EventTimeLate,
            format!(
                "{when} is {} old; events more than an hour old are reported as offline conversions",
                duration(age)
            ),
        )];
    }
    Vec::new()
}

fn duration(seconds: i64) -> String {
    match seconds {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 7_200 => format!("{} hours", s / 3_600),
        s if s >= 120 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// The checks that need the finished payload.
pub fn event_checks(
    payload: &Value,
    outcomes: &BTreeMap<String, FieldOutcome>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    required_fields(payload, outcomes, diagnostics);
    identity(payload, outcomes, diagnostics);
    money(payload, diagnostics);
    catalog_ids(payload, diagnostics);
    privacy_flags(payload, diagnostics);
    personal_data_in_clear(payload, diagnostics);
    web_context(payload, outcomes, diagnostics);
}

/// A web event without its page URL, IP address or user agent is accepted but matched and
/// attributed worse (pinterest-capi.md §7). IP and user agent are left to `identity.missing`
/// when that already names them.
fn web_context(
    payload: &Value,
    outcomes: &BTreeMap<String, FieldOutcome>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let action_source = payload.get("action_source").and_then(Value::as_str);
    let event_name = payload.get("event_name").and_then(Value::as_str);
    if let (Some(source @ ("web" | "offline")), Some(name @ ("app_install" | "app_open"))) =
        (action_source, event_name)
    {
        diagnostics.push(Diagnostic::new(
            Code::AppEventOnWeb,
            "action_source",
            format!(
                "{name} is an app event, but action_source is {source}; Pinterest counts installs and opens from app_android or app_ios. Send the app's events with context.app and the device OS, or set partners.pinterest.action_source"
            ),
        ));
    }
    if action_source != Some("web") {
        return;
    }
    let identity_missing = diagnostics.iter().any(|d| d.code == Code::IdentityMissing);
    let user_data = payload.get("user_data");
    let present = |field: &str| match field.strip_prefix("user_data.") {
        Some(key) => user_data.and_then(|u| u.get(key)).is_some(),
        None => payload.get(field).is_some(),
    };
    if !present("user_data.click_id")
        && !diagnostics
            .iter()
            .any(|d| d.field.as_deref() == Some("user_data.click_id"))
    {
        diagnostics.push(Diagnostic::new(
            Code::WebClickIdMissing,
            "user_data.click_id",
            format!(
                "no click id ({}); visitors who came from a Pin carry one in the epik URL parameter or the _epik cookie, and it is Pinterest's strongest match for them. Normal for other visitors",
                tried_text(outcomes, "user_data.click_id")
            ),
        ));
    }
    for (field, why) in [
        (
            "event_source_url",
            "Pinterest ties a web conversion to its page with it",
        ),
        (
            "user_data.client_ip_address",
            "it is one of the signals Pinterest matches web visitors with",
        ),
        (
            "user_data.client_user_agent",
            "it is one of the signals Pinterest matches web visitors with",
        ),
    ] {
        if present(field)
            || (identity_missing && field.starts_with("user_data."))
            || diagnostics
                .iter()
                .any(|d| d.field.as_deref() == Some(field))
        {
            continue;
        }
        diagnostics.push(Diagnostic::new(
            Code::WebContextMissing,
            field,
            format!(
                "a web event without {field} ({}); {why}, so matching and attribution are weaker",
                tried_text(outcomes, field)
            ),
        ));
    }
}

fn tried_text(outcomes: &BTreeMap<String, FieldOutcome>, field: &str) -> String {
    match outcomes.get(field) {
        Some(outcome) if outcome.skipped => "your override skips it".to_owned(),
        Some(FieldOutcome {
            source: Some(source),
            ..
        }) => format!("{source} had a value, but it was not usable (see the {field} row)"),
        Some(outcome) if !outcome.tried.is_empty() => {
            format!("nothing in {}", outcome.tried.join(", "))
        }
        _ => "no source is mapped to it".to_owned(),
    }
}

fn required_fields(
    payload: &Value,
    outcomes: &BTreeMap<String, FieldOutcome>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if payload.get("event_id").is_none() {
        diagnostics.push(Diagnostic::new(
            Code::EventIdMissing,
            "event_id",
            format!(
                "no event_id ({}); Pinterest requires it and uses it to deduplicate tag and API events",
                tried_text(outcomes, "event_id")
            ),
        ));
    }
    if payload.get("event_time").is_none() && !has_error(diagnostics, "event_time") {
        diagnostics.push(Diagnostic::new(
            Code::EventTimeMissing,
            "event_time",
            format!(
                "no event time ({}); Pinterest requires event_time in Unix seconds",
                tried_text(outcomes, "event_time")
            ),
        ));
    }
}

fn has_error(diagnostics: &[Diagnostic], field: &str) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity == super::diagnostics::Severity::Error && d.is_about(field))
}

fn identity(
    payload: &Value,
    outcomes: &BTreeMap<String, FieldOutcome>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let user_data = &payload["user_data"];
    let has = |key: &str| user_data.get(key).is_some();
    if has("em") || has("hashed_maids") || (has("client_ip_address") && has("client_user_agent")) {
        return;
    }

    let status = |key: &str| {
        let field = format!("user_data.{key}");
        if has(key) {
            format!("{key} is set")
        } else {
            format!("{key}: {}", tried_text(outcomes, &field))
        }
    };
    diagnostics.push(Diagnostic::new(
        Code::IdentityMissing,
        "user_data",
        format!(
            "user_data needs em, or hashed_maids, or both client_ip_address and client_user_agent; Pinterest rejects the event without one. {}; {}; {}; {}",
            status("em"),
            status("hashed_maids"),
            status("client_ip_address"),
            status("client_user_agent"),
        ),
    ));
}

fn decimal(value: &Value) -> Option<f64> {
    value
        .as_str()?
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn money(payload: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let custom = &payload["custom_data"];
    let value = custom.get("value").and_then(decimal);
    let is_checkout = payload["event_name"] == "checkout";

    if value.is_some() && custom.get("currency").is_none() {
        diagnostics.push(Diagnostic::new(
            Code::CurrencyMissing,
            "custom_data.currency",
            "value is sent without a currency, so Pinterest reads it in the ad account's currency; map currency",
        ));
    }

    if is_checkout && value == Some(0.0) {
        diagnostics.push(Diagnostic::new(
            Code::ValueZeroCheckout,
            "custom_data.value",
            "this checkout has value 0, so it reports no revenue (ROAS will be wrong)",
        ));
    }
    let value_explained = diagnostics
        .iter()
        .any(|d| d.field.as_deref() == Some("custom_data.value"));
    if is_checkout && custom.get("value").is_none() && !value_explained {
        diagnostics.push(Diagnostic::new(
            Code::ValueMissingCheckout,
            "custom_data.value",
            "this checkout has no value, so it reports no revenue (ROAS and CPA will be wrong); map value",
        ));
    }

    let contents = custom
        .get("contents")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let lines: Option<Vec<(f64, i64)>> = contents
        .iter()
        .map(|item| {
            let price = item.get("item_price").and_then(decimal)?;
            let quantity = item.get("quantity").and_then(Value::as_i64)?;
            Some((price, quantity))
        })
        .collect();

    if let (Some(value), Some(lines)) = (value, &lines)
        && !lines.is_empty()
    {
        #[expect(clippy::cast_precision_loss, reason = "quantities are small")]
        let total: f64 = lines
            .iter()
            .map(|(price, quantity)| price * *quantity as f64)
            .sum();
        if (total - value).abs() > 0.01 + value.abs() * 1e-9 {
            diagnostics.push(Diagnostic::new(
                Code::ValueMismatch,
                "custom_data.value",
                format!("value is {value} but the items add up to {total:.2} (item_price × quantity); fine if value excludes tax, shipping or discounts on purpose, otherwise check which total is mapped"),
            ));
        }
    }

    let quantities: i64 = contents
        .iter()
        .filter_map(|item| item.get("quantity").and_then(Value::as_i64))
        .sum();
    // Only where Pinterest counts items (checkouts and carts); on a product page view the
    // quantity is what the visitor picked, and the count is of no consequence.
    let counts_items = matches!(
        payload["event_name"].as_str(),
        Some("checkout" | "add_to_cart")
    );
    if counts_items
        && let Some(num_items) = custom.get("num_items").and_then(Value::as_i64)
        && usize::try_from(num_items).ok() == Some(contents.len())
        && quantities > num_items
    {
        diagnostics.push(Diagnostic::new(
            Code::NumItemsLines,
            "custom_data.num_items",
            format!("num_items is {num_items}, the number of item lines, while the quantities add up to {quantities}; Pinterest reads num_items as the number of products"),
        ));
    }
}

fn catalog_ids(payload: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let name = payload["event_name"].as_str().unwrap_or_default();
    if matches!(name, "checkout" | "add_to_cart")
        && payload["custom_data"].get("content_ids").is_none()
    {
        diagnostics.push(Diagnostic::new(
            Code::ContentIdsMissing,
            "custom_data.content_ids",
            format!(
                "a {name} without content_ids cannot be tied to catalog products; map items[*].id"
            ),
        ));
    }
}

fn privacy_flags(payload: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let opt_out_type = payload["custom_data"]["opt_out_type"]
        .as_str()
        .unwrap_or_default();
    let ldp = opt_out_type
        .split(',')
        .any(|flag| flag.trim().eq_ignore_ascii_case("ldp"));
    let user_data = &payload["user_data"];
    if ldp && (user_data.get("st").is_none() || user_data.get("country").is_none()) {
        diagnostics.push(Diagnostic::new(
            Code::LdpWithoutLocation,
            "custom_data.opt_out_type",
            "LDP (limited data processing) is set but st or country is missing; Pinterest applies LDP by state, so send both when you know them",
        ));
    }

    // partner_name identifies a third-party sender; Pinterest assigns the value.
    if let Some(partner) = payload.get("partner_name").and_then(Value::as_str) {
        let shape = if partner.starts_with("ss-") && partner == partner.to_lowercase() {
            ""
        } else {
            " (Pinterest's convention is ss-<partner>, lower case)"
        };
        diagnostics.push(Diagnostic::new(
            Code::PartnerNameSet,
            "partner_name",
            format!(
                "partner_name {partner:?} is sent{shape}; it is meant for integration partners whose name Pinterest agreed on. Leave it out unless Pinterest gave you this value"
            ),
        ));
    }
}

/// Fields sent in clear text that are worth scanning for e-mails and phone numbers.
fn personal_data_in_clear(payload: &Value, diagnostics: &mut Vec<Diagnostic>) {
    let mut texts: Vec<(String, &str)> = Vec::new();
    collect_texts(payload, String::new(), &mut texts);
    for (field, text) in texts {
        // The hashed user_data fields are hashed; the clear ones (click id, user agent) are
        // scanned like any other text.
        let hashed = field.starts_with("user_data.")
            && !matches!(
                field.as_str(),
                "user_data.click_id" | "user_data.client_user_agent"
            );
        if hashed || field == "event_name" || field == "event_id" {
            continue;
        }
        let already = diagnostics
            .iter()
            .any(|d| d.code == Code::PiiClearText && d.field.as_deref() == Some(field.as_str()));
        if already {
            continue;
        }
        if let Some(what) = normalize::personal_data_in(text) {
            diagnostics.push(Diagnostic::new(
                Code::PiiClearText,
                &field,
                format!("{field} contains {what} in clear text; Pinterest does not hash this field, so personal data would leave unprotected. Remove it from the value (for a URL, from its query string) or map another source"),
            ));
        }
    }
}

fn collect_texts<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::String(text) => out.push((path, text)),
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                collect_texts(child, child_path, out);
            }
        }
        Value::Array(elements) if !path.starts_with("user_data") => {
            for (index, element) in elements.iter().enumerate() {
                collect_texts(element, format!("{path}[{index}]"), out);
            }
        }
        _ => {}
    }
}

/// What the duplicate-event-id check reads of one inspected event. Small, so that a caller
/// that streams a big input can keep one per event while the inspections themselves come and
/// go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventIdKey {
    /// The event's input index, the number messages name it by.
    pub index: usize,

    event_id: String,
    order: Option<String>,
    name: String,
}

impl EventIdKey {
    /// The key of an event whose payload has a string `event_id`.
    pub fn of(inspection: &Inspection) -> Option<Self> {
        let payload = inspection.payload.as_ref()?;
        Some(Self {
            index: inspection.index,
            event_id: payload["event_id"].as_str()?.to_owned(),
            order: payload["custom_data"]["order_id"]
                .as_str()
                .map(str::to_owned),
            name: payload["event_name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        })
    }
}

/// Most other events (and orders, and names) one duplicate-id message names; the rest are
/// counted, so that thousands of events sharing a static id give short messages.
pub const DUPLICATES_NAMED: usize = 5;

/// Flags event ids shared by events that are different conversions: different order ids, or
/// different Pinterest event names. Pinterest deduplicates on `event_id`, so it would keep one
/// and drop the others. The same id on identical retries (same order, same name) is fine.
pub fn duplicate_event_ids(inspections: &mut [Inspection]) {
    let keys: Vec<(usize, EventIdKey)> = inspections
        .iter()
        .enumerate()
        .filter_map(|(position, inspection)| Some((position, EventIdKey::of(inspection)?)))
        .collect();
    let (positions, keys): (Vec<usize>, Vec<EventIdKey>) = keys.into_iter().unzip();
    for (key_position, diagnostic) in duplicate_event_id_findings(&keys) {
        if let Some(inspection) = positions
            .get(key_position)
            .and_then(|&position| inspections.get_mut(position))
        {
            inspection.diagnostics.push(diagnostic);
        }
    }
}

/// The `event_id.duplicate` diagnostic of each event in `keys` that shares its event id with
/// another conversion, as (position in `keys`, diagnostic), in the order of `keys`. Linear in
/// the number of events, plus sorting each shared id's orders and names.
pub fn duplicate_event_id_findings(keys: &[EventIdKey]) -> Vec<(usize, Diagnostic)> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (position, key) in keys.iter().enumerate() {
        by_id
            .entry(key.event_id.as_str())
            .or_default()
            .push(position);
    }

    let mut findings = Vec::new();
    for (event_id, members) in by_id {
        if members.len() < 2 {
            continue;
        }
        let member = |position: &usize| keys.get(*position);
        let orders: BTreeSet<&str> = members
            .iter()
            .filter_map(member)
            .filter_map(|key| key.order.as_deref())
            .collect();
        let names: BTreeSet<&str> = members
            .iter()
            .filter_map(member)
            .map(|key| key.name.as_str())
            .collect();
        let what = if orders.len() >= 2 {
            format!("different orders ({})", listed(&orders, orders.len()))
        } else if names.len() >= 2 {
            format!("different event names ({})", listed(&names, names.len()))
        } else {
            continue;
        };

        // The first few members are enough to name up to DUPLICATES_NAMED others of each.
        let first: Vec<usize> = members
            .iter()
            .take(DUPLICATES_NAMED + 1)
            .filter_map(member)
            .map(|key| key.index)
            .collect();
        let others = members.len() - 1;
        for &position in &members {
            let Some(key) = keys.get(position) else {
                continue;
            };
            let neighbours: Vec<usize> = first
                .iter()
                .copied()
                .filter(|index| *index != key.index)
                .take(DUPLICATES_NAMED)
                .collect();
            findings.push((
                position,
                Diagnostic::new(
                    Code::EventIdDuplicate,
                    "event_id",
                    format!(
                        "event_id {event_id:?} is also used by {} ({}), with {what}; Pinterest deduplicates on event_id, so it keeps one and drops the others. Give each conversion its own event_id",
                        if others == 1 {
                            "1 other event".to_owned()
                        } else {
                            format!("{others} other events")
                        },
                        listed(&neighbours, others),
                    ),
                ),
            ));
        }
    }
    findings.sort_by_key(|(position, _)| *position);
    findings
}

/// `a, b, c, d, e and 7 more`: at most [`DUPLICATES_NAMED`] items of `total`.
pub(crate) fn listed<T: std::fmt::Display>(
    items: impl IntoIterator<Item = T>,
    total: usize,
) -> String {
    let named: Vec<String> = items
        .into_iter()
        .take(DUPLICATES_NAMED)
        .map(|item| item.to_string())
        .collect();
    let more = total.saturating_sub(named.len());
    if more > 0 {
        format!("{} and {more} more", named.join(", "))
    } else {
        named.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::event::SourceEvent;
    use crate::core::inspect::inspect_all;
    use crate::core::mapping::Mapping;

    const NOW: i64 = 1_744_956_000;

    fn codes_of(body: Value) -> Vec<&'static str> {
        let events = [SourceEvent::new("t", 0, body)];
        inspect_all(&events, &Mapping::default(), NOW)[0]
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn time_window_edges() {
        assert!(time_window(NOW, NOW).is_empty());
        assert!(time_window(NOW + FUTURE_TOLERANCE_SECS, NOW).is_empty());
        assert_eq!(time_window(NOW + 61, NOW)[0].code, Code::EventTimeFuture);
        assert_eq!(
            time_window(NOW - MAX_AGE_SECS - 1, NOW)[0].code,
            Code::EventTimeTooOld
        );
        assert_eq!(time_window(NOW - 7200, NOW)[0].code, Code::EventTimeLate);
    }

    #[test]
    fn money_checks() {
        let base = |value: Value, items: Value| {
            json!({"event_name": "purchase", "value": value, "currency": "EUR", "items": items,
                "user": {"email": "a@b.co"},
                "context": {"event_id": "e", "event_timestamp": NOW}})
        };
        let items = json!([{"id": "A", "quantity": 3, "product": {"price": 10}}]);
        let mismatch = codes_of(base(json!(20), items.clone()));
        assert!(mismatch.contains(&"value.mismatch"), "{mismatch:?}");
        assert!(mismatch.contains(&"num_items.lines"), "{mismatch:?}");
        let zero = codes_of(base(json!(0), json!([])));
        assert!(zero.contains(&"value.zero_checkout"), "{zero:?}");
        assert!(zero.contains(&"content_ids.missing"), "{zero:?}");
        let fine = codes_of(base(
            json!(30),
            json!([{"id": "A", "quantity": 1, "product": {"price": 30}}]),
        ));
        assert!(!fine.iter().any(|c| c.starts_with("value.")), "{fine:?}");
    }

    #[test]
    fn duplicate_ids_across_orders() {
        let event = |order: &str| {
            SourceEvent::new(
                "t",
                0,
                json!({"event_name": "purchase", "id": order,
                "context": {"event_id": "same", "event_timestamp": NOW}}),
            )
        };
        let inspections = inspect_all(
            &[event("A"), event("B"), event("A")],
            &Mapping::default(),
            NOW,
        );
        for inspection in &inspections {
            assert!(
                inspection
                    .diagnostics
                    .iter()
                    .any(|d| d.code == Code::EventIdDuplicate)
            );
        }
        let retries = inspect_all(&[event("A"), event("A")], &Mapping::default(), NOW);
        assert!(
            !retries[0]
                .diagnostics
                .iter()
                .any(|d| d.code == Code::EventIdDuplicate)
        );
    }

    #[test]
    fn duplicate_messages_name_a_few_events_and_count_the_rest() {
        let key = |index: usize, order: &str| EventIdKey {
            index,
            event_id: "static".to_owned(),
            order: Some(order.to_owned()),
            name: "checkout".to_owned(),
        };

        let pair = duplicate_event_id_findings(&[key(3, "A"), key(7, "B")]);
        assert_eq!(pair.len(), 2);
        assert_eq!(pair[0].0, 0);
        assert!(
            pair[0].1.message.starts_with(
                "event_id \"static\" is also used by 1 other event (7), with different orders (A, B);"
            ),
            "{}",
            pair[0].1.message
        );
        assert!(
            pair[1].1.message.contains("1 other event (3)"),
            "{}",
            pair[1].1.message
        );

        // A static id on 8 000 orders: every message stays short and names five others.
        let keys: Vec<EventIdKey> = (0..8000).map(|n| key(n, &format!("O-{n:04}"))).collect();
        let findings = duplicate_event_id_findings(&keys);
        assert_eq!(findings.len(), 8000);
        assert!(findings.iter().all(|(_, d)| d.message.len() < 400));
        let first = &findings[0].1.message;
        assert!(
            first.contains("7999 other events (1, 2, 3, 4, 5 and 7994 more), with different orders (O-0000, O-0001, O-0002, O-0003, O-0004 and 7995 more)"),
            "{first}"
        );
        let third = &findings[2].1.message;
        assert!(third.contains("(0, 1, 3, 4, 5 and 7994 more)"), "{third}");
    }

    #[test]
    fn duplicate_ids_across_event_names_and_retries() {
        let event = |name: &str, order: &str| {
            SourceEvent::new(
                "t",
                0,
                json!({"event_name": name, "id": order,
                "context": {"event_id": "same", "event_timestamp": NOW}}),
            )
        };
        let inspections = inspect_all(
            &[
                event("purchase", "A"),
                event("add_to_cart", "A"),
                event("purchase", "A"),
            ],
            &Mapping::default(),
            NOW,
        );
        let message = inspections[1]
            .diagnostics
            .iter()
            .find(|d| d.code == Code::EventIdDuplicate)
            .map(|d| d.message.clone())
            .unwrap();
        assert!(
            message.contains(
                "2 other events (0, 2), with different event names (add_to_cart, checkout)"
            ),
            "{message}"
        );
    }

    #[test]
    fn ldp_without_location() {
        let codes = codes_of(json!({"event_name": "page_view",
            "partners": {"pinterest": {"opt_out_type": "LDP"}},
            "context": {"event_id": "e", "event_timestamp": NOW}}));
        assert!(codes.contains(&"opt_out_type.ldp_location"), "{codes:?}");
    }
}
