//! The hash checker through the CLI (`pinspect hash --expect`) and the common mistakes in the
//! trace of `pinspect check`.

use serde_json::Value;

use crate::support::{pinspect, pinspect_with_stdin, stdout_json};

// printf '%s' '33655501234' | sha256sum
const PHONE_SHA256: &str = "160ff7f565eec55400147397a661fa83bbfcf6e412c6b284d7cc4ba9c1e7fbaa";
// printf '%s' '+33655501234' | sha256sum
const PHONE_WITH_PLUS_SHA256: &str =
    "176d41aa138cb3566ecac471301338d72b5c8e1bbc33cfbe6aed65db2f818851";
// printf '%s' '0655501234' | sha256sum
const PHONE_NATIONAL_SHA256: &str =
    "a674b1861a31b91a6b6035ebb9cfff5c1786ead6d551af3aa2b469403c0fd455";
// printf '%s' 'jane.doe@example.com' | md5sum
const EMAIL_MD5: &str = "0cba00ca3da1b283a57287bcceb17e35";

fn hash_json(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = vec!["hash", "--format", "json"];
    all.extend_from_slice(args);
    let output = pinspect(&all);
    (stdout_json(&output), output.status.code())
}

#[test]
fn a_matching_expected_hash_exits_zero() {
    let (result, status) = hash_json(&[
        "--field",
        "ph",
        "--expect",
        &PHONE_SHA256.to_ascii_uppercase(),
        "+33 6 55 50 12 34",
    ]);
    assert_eq!(status, Some(0));
    assert_eq!(result["normalized"], "33655501234");
    assert_eq!(result["sha256"], PHONE_SHA256);
    assert_eq!(result["matches"], true);
    assert_eq!(result["verdict"]["result"], "matches");
}

#[test]
fn a_mismatch_names_the_mistake_and_exits_one() {
    for (expected, mistake) in [
        (PHONE_WITH_PLUS_SHA256, "plus_kept"),
        (PHONE_NATIONAL_SHA256, "digits_as_typed"),
    ] {
        let (result, status) = hash_json(&[
            "--field",
            "ph",
            "--default-phone-country",
            "FR",
            "--expect",
            expected,
            "06 55 50 12 34",
        ]);
        assert_eq!(status, Some(1), "{mistake}");
        assert_eq!(result["matches"], false);
        assert_eq!(result["verdict"]["result"], "mistake");
        assert_eq!(result["verdict"]["variant"]["mistake"], mistake);
    }

    let text = pinspect(&[
        "hash",
        "--field",
        "em",
        "--expect",
        EMAIL_MD5,
        " Jane.Doe@Example.com",
    ]);
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("MD5 instead of SHA-256"), "{stdout}");
}

#[test]
fn an_unexplained_mismatch_says_so() {
    // printf '%s' 'someone.else@example.com' | sha256sum
    let other = "25682f9ef1f6adc0096aa331c16be3090944089f0ca10f2232dd556b920d8d78";
    let (result, status) = hash_json(&["--field", "em", "--expect", other, "jane.doe@example.com"]);
    assert_eq!(status, Some(1));
    assert_eq!(result["verdict"]["result"], "no_match");
}

#[test]
fn without_expect_it_exits_zero_and_lists_the_mistakes() {
    let (result, status) = hash_json(&["--field", "fn", "Zoe\u{308}"]);
    assert_eq!(status, Some(0));
    assert_eq!(result["normalized"], "zo\u{eb}");
    assert_eq!(result["matches"], Value::Null);
    let mistakes: Vec<&str> = result["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .filter_map(|v| v["mistake"].as_str())
        .collect();
    assert!(mistakes.contains(&"nfd"), "{mistakes:?}");
    assert!(mistakes.contains(&"not_lower_cased"), "{mistakes:?}");
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        vec!["hash", "--field", "nope", "x"],
        vec![
            "hash",
            "--field",
            "ph",
            "--default-phone-country",
            "ZZ",
            "0655501234",
        ],
        vec!["hash", "--field", "em", "--expect", "not-hex", "a@b.co"],
        vec!["hash", "--field", "em", "--expect", "abc123", "a@b.co"],
        vec!["hash"],
    ] {
        let output = pinspect(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!output.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn a_value_that_is_dropped_does_not_match() {
    let (result, status) =
        hash_json(&["--field", "ph", "--expect", PHONE_SHA256, "06 55 50 12 34"]);
    assert_eq!(status, Some(1));
    assert_eq!(result["sha256"], Value::Null);
    assert_eq!(result["diagnostics"][0]["code"], "phone.no_country");
}

#[test]
fn the_check_trace_shows_what_common_mistakes_would_send() {
    let event = r#"{"event_name": "purchase", "user": {"phone": "+33 6 55 50 12 34", "email_sha256": "86E0B9E56C17CC4D12387E1949B85053FBE73BC3CE5A1188713A9D300CC6133D"},
        "context": {"event_id": "e", "event_timestamp": 1744955619974}}"#;
    let output = pinspect_with_stdin(
        &["check", "--format", "json", "--now", "1744956000", "-"],
        event.as_bytes(),
    );
    let report = stdout_json(&output);
    let trace = report["events"][0]["trace"].as_array().expect("trace");
    let entry = |field: &str| {
        trace
            .iter()
            .find(|t| t["field"] == field)
            .unwrap_or_else(|| panic!("no trace for {field}"))
    };

    let ph = entry("user_data.ph");
    assert_eq!(ph["sent"], serde_json::json!([PHONE_SHA256]));
    let plus = ph["mistakes"]
        .as_array()
        .expect("mistakes")
        .iter()
        .find(|m| m["mistake"] == "plus_kept")
        .expect("the + kept");
    assert_eq!(plus["input"], "+33655501234");
    assert_eq!(plus["hash"], PHONE_WITH_PLUS_SHA256);
    assert_eq!(plus["algorithm"], "sha256");

    // A pre-hashed value has no clear text, so no mistakes to show.
    assert!(entry("user_data.em").get("mistakes").is_none());
    // Clear fields have none either.
    assert!(entry("event_time").get("mistakes").is_none());
}

#[test]
fn a_dropped_value_still_names_the_mistake_behind_the_expected_hash() {
    // printf '%s' 'unknown' | sha256sum
    let unknown_word = "b23a6a8439c0dde5515893e7c90c1e3233b8616e634470f20dc4928bcf3609bc";
    // printf '%s' '04/05/1985' | sha256sum
    let date_as_typed = "6d12e5ccd77159ed3d7746113837f18f6a35660c4e195d999e9aad5c5a631586";
    // printf '%s' '19850504' | sha256sum
    let date_day_first = "684fb5e6b051825f36a834c86cbd3dffdda9f969b5f9f42360365f0647f0beab";
    for (field, value, expected, mistake) in [
        (
            "ph",
            "06 55 50 12 34",
            PHONE_NATIONAL_SHA256,
            "digits_as_typed",
        ),
        ("ge", "unknown", unknown_word, "not_normalized"),
        ("db", "04/05/1985", date_as_typed, "not_normalized"),
        ("db", "04/05/1985", date_day_first, "read_day_first"),
    ] {
        let (result, status) = hash_json(&["--field", field, "--expect", expected, value]);
        assert_eq!(status, Some(1), "{field} {value}");
        assert_eq!(result["sha256"], Value::Null, "{field} {value}");
        assert_eq!(
            result["verdict"]["result"], "mistake",
            "{field} {value}: {result}"
        );
        assert_eq!(
            result["verdict"]["variant"]["mistake"], mistake,
            "{field} {value}"
        );
    }

    let text = pinspect(&[
        "hash",
        "--field",
        "ph",
        "--expect",
        PHONE_NATIONAL_SHA256,
        "06 55 50 12 34",
    ]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("every digit as typed"), "{stdout}");
    assert!(stdout.contains("pinspect sends nothing"), "{stdout}");
}

#[test]
fn the_trace_of_a_dropped_value_shows_what_hashing_it_raw_sends() {
    let event = r#"{"event_name": "page_view", "user": {"email": "a@b.co", "phone": "06 55 50 12 34"},
        "context": {"event_id": "e", "event_timestamp": 1744955619974}}"#;
    let output = pinspect_with_stdin(
        &["check", "--format", "json", "--now", "1744956000", "-"],
        event.as_bytes(),
    );
    let report = stdout_json(&output);
    let trace = report["events"][0]["trace"].as_array().expect("trace");
    let ph = trace
        .iter()
        .find(|t| t["field"] == "user_data.ph")
        .expect("a ph row");
    assert_eq!(ph["sent"], Value::Null);
    let typed = ph["mistakes"]
        .as_array()
        .expect("mistakes for a dropped phone")
        .iter()
        .find(|m| m["mistake"] == "digits_as_typed")
        .expect("digits as typed");
    assert_eq!(typed["hash"], PHONE_NATIONAL_SHA256);
}
