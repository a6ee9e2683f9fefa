//! The sample events shipped with the app (`assets/samples/`), moved to the present.
//!
//! The sample file's times are written around a fixed instant, [`SAMPLE_ANCHOR`]. Loaded as a
//! file they would all be "more than 7 days old"; "Open sample events" shifts every
//! `context.event_timestamp` by the same amount, keeping its form (milliseconds as a number
//! or a string, seconds, ISO 8601 with or without offset), so that the samples show the
//! warnings a user would really see today.

use serde_json::Value;

use crate::core::event::{LoadError, SourceEvent, parse_text};

/// The sample events, as shipped.
pub const SAMPLE_TEXT: &str = include_str!("../../assets/samples/sample-events.json");

/// The label the samples are loaded under.
pub const SAMPLE_NAME: &str = "sample-events.json";

/// The instant the sample times are written around: 2026-12-01T12:00:00Z.
pub const SAMPLE_ANCHOR: i64 = 1_796_126_400;

/// Numbers above this are milliseconds, below it seconds (the year 5138 in seconds).
const MILLISECONDS_ABOVE: i64 = 100_000_000_000;

/// The sample events with their times moved so that [`SAMPLE_ANCHOR`] becomes `now`.
pub fn sample_events(now: i64) -> Result<Vec<SourceEvent>, LoadError> {
    let mut events = parse_text(SAMPLE_NAME, SAMPLE_TEXT)?;
    let delta = now.saturating_sub(SAMPLE_ANCHOR);
    for event in &mut events {
        if let Some(timestamp) = event
            .body
            .get_mut("context")
            .and_then(|context| context.get_mut("event_timestamp"))
        {
            shift_timestamp(timestamp, delta);
        }
    }
    Ok(events)
}

/// Moves one timestamp by `delta_seconds`, keeping its form; values it cannot read stay as
/// they are.
fn shift_timestamp(timestamp: &mut Value, delta_seconds: i64) {
    let shifted = match timestamp {
        Value::Number(number) => number
            .as_i64()
            .map(|n| Value::from(shift_number(n, delta_seconds))),
        Value::String(text) => {
            if let Ok(n) = text.trim().parse::<i64>() {
                Some(Value::from(shift_number(n, delta_seconds).to_string()))
            } else {
                shift_iso(text, delta_seconds).map(Value::from)
            }
        }
        _ => None,
    };
    if let Some(shifted) = shifted {
        *timestamp = shifted;
    }
}

fn shift_number(value: i64, delta_seconds: i64) -> i64 {
    if value > MILLISECONDS_ABOVE {
        value.saturating_add(delta_seconds.saturating_mul(1000))
    } else {
        value.saturating_add(delta_seconds)
    }
}

/// `2026-12-01T12:58:10+01:00` → the same wall-clock form moved by `delta_seconds`, with the
/// offset written as it was (`Z`, `+0100`, `-05:00` or none).
fn shift_iso(text: &str, delta_seconds: i64) -> Option<String> {
    let (clock, offset) = split_offset(text);
    let date_time: jiff::civil::DateTime = clock.parse().ok()?;
    let moved = date_time
        .checked_add(jiff::SignedDuration::from_secs(delta_seconds))
        .ok()?;
    Some(format!("{}{offset}", moved.strftime("%Y-%m-%dT%H:%M:%S")))
}

/// Splits `…T12:00:00+01:00` into the clock part and the offset part (`Z`, `+01:00`, `+0100`
/// or empty).
fn split_offset(text: &str) -> (&str, &str) {
    if let Some(clock) = text.strip_suffix('Z') {
        return (clock, "Z");
    }
    let time_start = text.find('T').unwrap_or(0);
    let sign = text
        .get(time_start..)
        .and_then(|time| time.rfind(['+', '-']));
    match sign.and_then(|sign| text.split_at_checked(time_start + sign)) {
        Some(parts) => parts,
        None => (text, ""),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn samples_parse_and_move_to_now() {
        let now = SAMPLE_ANCHOR + 86_400 * 30;
        let events = sample_events(now).unwrap();
        assert!(events.len() >= 15, "only {} sample events", events.len());
        assert!(events.iter().all(|e| e.problem.is_none()));

        let first = &events[0].body["context"]["event_timestamp"];
        assert_eq!(first, &json!(1_796_126_280_000_i64 + 86_400_000 * 30));
    }

    #[test]
    fn every_timestamp_form_keeps_its_form() {
        let cases = [
            (json!(1_796_126_280_000_i64), json!(1_796_126_340_000_i64)),
            (json!(1_796_126_280_i64), json!(1_796_126_340_i64)),
            (json!("1796126280000"), json!("1796126340000")),
            (
                json!("2026-12-01T12:58:10+01:00"),
                json!("2026-12-01T12:59:10+01:00"),
            ),
            (
                json!("2026-12-01T06:52:40-05:00"),
                json!("2026-12-01T06:53:40-05:00"),
            ),
            (json!("2026-12-01T23:59:30Z"), json!("2026-12-02T00:00:30Z")),
            (json!("2026-12-01T11:45:00"), json!("2026-12-01T11:46:00")),
            (json!("yesterday"), json!("yesterday")),
        ];
        for (mut input, expected) in cases {
            shift_timestamp(&mut input, 60);
            assert_eq!(input, expected);
        }
    }
}
