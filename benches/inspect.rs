//! How fast pinspect reads and inspects a large file: the GUI re-inspects every event after each
//! override edit, and the events list must stay usable at 100 000 events.
//!
//! Run with `cargo bench --bench inspect`. It prints the time per phase and events per second;
//! it is a measurement, not a test, so it asserts nothing about speed.
//!
//! Memory: the `inspect` phase keeps no traces, as the GUI does on big inputs (it traces the
//! selected event on demand) and as `map` and `send` do. The `check report` phase is what
//! `pinspect check --format json` does: it streams the report in chunks of
//! `report::STREAM_CHUNK` events, so its memory does not grow with the input beyond the
//! events themselves.

#![expect(clippy::print_stdout, reason = "a benchmark reports on stdout")]
#![expect(
    clippy::expect_used,
    reason = "a benchmark fails loudly on broken fixtures"
)]
#![expect(
    clippy::cast_precision_loss,
    reason = "rates and sizes for people to read"
)]

use std::time::Instant;

use pinspect::core::event::parse_text;
use pinspect::core::inspect::inspect_all_with;
use pinspect::core::mapping::Mapping;
use pinspect::core::report;

const NOW: i64 = 1_744_956_000;

/// One NDJSON line per event, varied so that every normalizer runs.
fn ndjson(count: usize) -> String {
    let mut text = String::with_capacity(count * 700);
    for index in 0..count {
        let name = [
            "purchase",
            "add_to_cart",
            "page_view",
            "search",
            "generate_lead",
        ][index % 5];
        let line = format!(
            concat!(
                r#"{{"event_name":"{name}","id":"O-{index}","value":{value},"currency":"eur","#,
                r#""search_term":"red shoes","items":[{{"id":"SKU-{index}","quantity":2,"product":{{"price":9.99}}}},"#,
                r#"{{"id":"SKU-B","quantity":1,"product":{{"price":"5,50"}}}}],"#,
                r#""user":{{"email":" User{index}@Example.com ","phone":"+33 6 55 50 12 34","gender":"female","#,
                r#""birthdate":"1985-03-17","firstname":"Zoé","lastname":"Dupont","city":"Saint-Étienne","#,
                r#""zipcode":"42000","country":"FRA","id":"u-{index}"}},"#,
                r#""context":{{"event_id":"evt-{index}","event_timestamp":{ms},"#,
                r#""page":{{"url":"https://shop.example/p/{index}?epik=CLICK{index}"}},"#,
                r#""device":{{"ip":"203.0.113.{octet}","user_agent":"Mozilla/5.0 (X11; Linux x86_64)"}}}}}}"#,
                "\n"
            ),
            name = name,
            index = index,
            value = 25.48,
            ms = (NOW - 600) * 1000,
            octet = index % 250 + 1,
        );
        text.push_str(&line);
    }
    text
}

fn main() {
    // `PINSPECT_BENCH_COUNTS=5000` runs one size, e.g. under a profiler.
    let counts: Vec<usize> = std::env::var("PINSPECT_BENCH_COUNTS").ok().map_or_else(
        || vec![10_000, 100_000],
        |text| {
            text.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        },
    );
    for count in counts {
        let text = ndjson(count);

        let start = Instant::now();
        let events = parse_text("bench.ndjson", &text).expect("the generated file parses");
        let parse = start.elapsed();

        let start = Instant::now();
        let mut written = Counter(0);
        let summary = report::write_check_report(
            &mut written,
            &events,
            &Mapping::default(),
            NOW,
            report::STREAM_CHUNK,
        )
        .expect("a counter never fails");
        let stream = start.elapsed();
        assert_eq!(summary.events, count, "every event is reported");

        // What the GUI does after each edit on a big input, and what map and send do.
        let start = Instant::now();
        let inspections = inspect_all_with(&events, &Mapping::default(), NOW, false, &|_| true)
            .expect("nothing cancels");
        let inspect = start.elapsed();
        assert_eq!(inspections.len(), count, "every event is inspected");
        drop(inspections);

        let per_second = count as f64 / inspect.as_secs_f64();
        println!(
            "{count:>7} events ({:.1} MB): parse {parse:.2?}, inspect without traces {inspect:.2?} ({per_second:.0} events/s), check report with traces {stream:.2?} ({:.0} MB written)",
            text.len() as f64 / 1e6,
            written.0 as f64 / 1e6
        );
    }
}

/// Counts the bytes of a report instead of keeping them.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
