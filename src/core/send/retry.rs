//! When to try a request again, and how long to wait first.
//!
//! Only rate limits (429), server errors (5xx) and timeouts are retried, a bounded number of
//! times with exponential backoff; a `Retry-After` from Pinterest is honoured as long as it is
//! not longer than [`RetryPolicy::max_retry_after`]. 400, 401, 403, 404, 422 and TLS failures
//! are never retried: the same request would fail the same way.

use std::time::Duration;

use super::answer::RetryReason;

/// Bounds on retrying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (1 = never retry).
    pub max_attempts: u32,

    /// Wait before the first retry; doubled for each further one.
    pub first_delay: Duration,

    /// The longest backoff wait.
    pub max_delay: Duration,

    /// The longest `Retry-After` pinspect waits; a longer one ends the retries with a message.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_mins(1),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait, then try again.
    RetryAfter(Duration),

    /// Stop; the note (if any) says why retrying stopped early.
    Stop(Option<String>),
}

impl RetryPolicy {
    /// The decision after attempt number `attempt` (1-based) failed for `reason`; `now` is the
    /// current Unix time in seconds, for a `Retry-After` given as an HTTP date.
    pub fn decide(&self, attempt: u32, reason: Option<&RetryReason>, now: i64) -> Decision {
        let Some(reason) = reason else {
            return Decision::Stop(None);
        };
        if attempt >= self.max_attempts {
            return Decision::Stop(
                (self.max_attempts > 1).then(|| format!("gave up after {attempt} attempts")),
            );
        }

        if let RetryReason::RateLimited {
            retry_after: Some(header),
        } = reason
            && let Some(wait) = parse_retry_after(header, now)
        {
            return if wait <= self.max_retry_after {
                Decision::RetryAfter(wait)
            } else {
                Decision::Stop(Some(format!(
                    "Pinterest asks to wait {} before retrying, longer than pinspect waits \
                     ({}); send again later",
                    spoken_duration(wait),
                    spoken_duration(self.max_retry_after)
                )))
            };
        }
        Decision::RetryAfter(self.backoff(attempt))
    }

    /// `first_delay × 2^(attempt-1)`, at most `max_delay`.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2_u32.saturating_pow(attempt.saturating_sub(1));
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// A wait as people say it, rounded up to its largest unit: `45 s`, `3 min`, `24 h`, `3 days`.
/// A `Retry-After: 86400` reads as "24 h", which tells the user to come back tomorrow; "86400 s"
/// makes them do the sum.
pub fn spoken_duration(wait: Duration) -> String {
    let seconds = wait.as_secs();
    let up = |unit: u64| seconds.div_ceil(unit);
    if seconds < 120 {
        format!("{seconds} s")
    } else if seconds < 2 * 3600 {
        format!("{} min", up(60))
    } else if seconds < 48 * 3600 {
        format!("{} h", up(3600))
    } else {
        format!("{} days", up(86_400))
    }
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP date (RFC 9110) relative to `now`.
/// `None` for a value that is neither.
pub fn parse_retry_after(header: &str, now: i64) -> Option<Duration> {
    let header = header.trim();
    if let Ok(seconds) = header.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = jiff::fmt::rfc2822::parse(header).ok()?;
    let seconds = date.timestamp().as_second().saturating_sub(now).max(0);
    Some(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_744_956_000;

    fn limited(header: &str) -> RetryReason {
        RetryReason::RateLimited {
            retry_after: Some(header.to_owned()),
        }
    }

    #[test]
    fn no_reason_means_no_retry() {
        assert_eq!(
            RetryPolicy::default().decide(1, None, NOW),
            Decision::Stop(None)
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_attempts_are_bounded() {
        let policy = RetryPolicy {
            max_attempts: 5,
            ..RetryPolicy::default()
        };
        let server = Some(&RetryReason::ServerError);
        let waits: Vec<Decision> = (1..=4).map(|a| policy.decide(a, server, NOW)).collect();
        assert_eq!(
            waits,
            [1, 2, 4, 8].map(|s| Decision::RetryAfter(Duration::from_secs(s)))
        );
        assert_eq!(
            policy.decide(5, server, NOW),
            Decision::Stop(Some("gave up after 5 attempts".to_owned()))
        );
        let capped = RetryPolicy {
            max_attempts: 40,
            ..RetryPolicy::default()
        };
        assert_eq!(
            capped.decide(39, Some(&RetryReason::Timeout), NOW),
            Decision::RetryAfter(Duration::from_secs(8))
        );
    }

    #[test]
    fn retry_after_is_honoured_within_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(1, Some(&limited("7")), NOW),
            Decision::RetryAfter(Duration::from_secs(7))
        );
        let Decision::Stop(Some(note)) = policy.decide(1, Some(&limited("600")), NOW) else {
            panic!("a long Retry-After must stop");
        };
        assert!(note.contains("wait 10 min"), "{note}");
        assert_eq!(
            policy.decide(1, Some(&limited("soon")), NOW),
            Decision::RetryAfter(Duration::from_secs(1))
        );
        assert_eq!(
            policy.decide(
                1,
                Some(&RetryReason::RateLimited { retry_after: None }),
                NOW
            ),
            Decision::RetryAfter(Duration::from_secs(1))
        );
    }

    #[test]
    fn waits_are_spoken_in_their_largest_unit() {
        let spoken = |seconds| spoken_duration(Duration::from_secs(seconds));
        assert_eq!(spoken(45), "45 s");
        assert_eq!(spoken(180), "3 min");
        assert_eq!(spoken(86_400), "24 h");
        assert_eq!(spoken(3 * 86_400), "3 days");
        let policy = RetryPolicy::default();
        let Decision::Stop(Some(message)) = policy.decide(1, Some(&limited("86400")), NOW) else {
            panic!("a day's wait must stop");
        };
        assert!(
            message.contains("wait 24 h") && message.contains("(60 s)"),
            "{message}"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(
            parse_retry_after(" 12 ", NOW),
            Some(Duration::from_secs(12))
        );
        // NOW is 2025-04-18T06:00:00Z.
        assert_eq!(
            parse_retry_after("Fri, 18 Apr 2025 06:00:30 GMT", NOW),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Fri, 18 Apr 2025 05:00:00 GMT", NOW),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-3", NOW), None);
        assert_eq!(parse_retry_after("later", NOW), None);
    }
}
