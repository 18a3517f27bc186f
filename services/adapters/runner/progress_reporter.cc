#include "services/adapters/runner/progress_reporter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homeward::adapters {
namespace {

// 301000 -> "301,000".
std::string Thousands(int64_t n) {
  const std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Rows per second since the start, not counting rows an earlier run did; 0 before any.
double Rate(const Progress& p, absl::Duration elapsed) {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  const int64_t rows = p.rows_done - p.rows_skipped;
  return seconds > 0 && rows > 0 ? static_cast<double>(rows) / seconds : 0;
}

// "45s", "3m 54s", "2h 5m".
std::string Span(absl::Duration d) {
  const int64_t s = absl::ToInt64Seconds(d);
  if (s < 60) return absl::StrCat(s, "s");
  if (s < 3600) return absl::StrCat(s / 60, "m ", s % 60, "s");
  return absl::StrCat(s / 3600, "h ", s % 3600 / 60, "m");
}

// The time the rows left take at `rate`; "" when it cannot be told yet.
std::string TimeLeft(const Progress& p, double rate) {
  if (rate <= 0) return "";
  const double seconds =
      static_cast<double>(std::max<int64_t>(0, p.rows_total - p.rows_done)) / rate;
  return Span(absl::Seconds(std::ceil(seconds)));
}

int Percent(const Progress& p) {
  return p.rows_total > 0 ? static_cast<int>(100 * p.rows_done / p.rows_total) : 100;
}

}  // namespace

ProgressReporter::ProgressReporter(const Clock& clock, ProgressOutput output,
                                   ProgressOptions options)
    : clock_(clock),
      output_(std::move(output)),
      options_(std::move(options)),
      start_(clock.Now()),
      shown_(start_) {}

std::string ProgressReporter::Bar(const Progress& p, absl::Duration elapsed, int width) {
  const int filled =
      p.rows_total > 0
          ? static_cast<int>(width * std::min(p.rows_done, p.rows_total) / p.rows_total)
          : width;
  const double rate = Rate(p, elapsed);
  const std::string left = p.rows_done < p.rows_total ? TimeLeft(p, rate) : "";
  return absl::StrCat("[", std::string(static_cast<size_t>(filled), '#'),
                      std::string(static_cast<size_t>(width - filled), '-'), "]  ",
                      Thousands(p.rows_done), "/", Thousands(p.rows_total), " rows  ",
                      Thousands(std::llround(rate)), " rows/s",
                      left.empty() ? "" : absl::StrCat("  ETA ", left));
}

void ProgressReporter::Update(const Progress& progress) {
  const absl::Time now = clock_.Now();
  last_ = progress;
  const bool kafka_wait = progress.attempt > 1;
  const bool hub_wait = !progress.hub_behind.ok();
  if (kafka_wait || hub_wait) {
    if (options_.terminal && drawn_) {
      output_.write("\r\x1b[K");  // the wait's lines start on a clean line
      drawn_ = false;
    }
    // A wait for the hub is logged by the guard that waits; one for Kafka is reported here,
    // when it starts and then at most every `every`.
    if (kafka_wait && (!waiting_for_kafka_ || now - warned_ >= options_.every)) {
      output_.warn(absl::StrCat(
          options_.source_name, ": waiting for Kafka (", progress.last_error.ToString(),
          "): ", Thousands(progress.rows_done), " of ", Thousands(progress.rows_total),
          " records done, attempt ", progress.attempt));
      warned_ = now;
    }
    waiting_for_kafka_ = kafka_wait;
    return;
  }
  waiting_for_kafka_ = false;
  Show(progress, now, /*final=*/false);
}

void ProgressReporter::Finish() {
  const absl::Time now = clock_.Now();
  Show(last_, now, /*final=*/true);
  if (options_.terminal && drawn_) {
    output_.write("\n");
    drawn_ = false;
  }
}

void ProgressReporter::Show(const Progress& p, absl::Time now, bool final) {
  const absl::Duration elapsed = now - start_;
  if (options_.terminal) {
    if (!final && drawn_ && now - shown_ < options_.redraw) return;
    output_.write(absl::StrCat("\r", Bar(p, elapsed, options_.bar_width), "\x1b[K"));
    drawn_ = true;
    shown_ = now;
    return;
  }
  const bool done = p.rows_done >= p.rows_total;
  if (final ? p.rows_done == last_shown_rows_ : !done && now - shown_ < options_.every) return;
  const double rate = Rate(p, elapsed);
  std::string line = absl::StrCat(options_.source_name, ": ", Thousands(p.rows_done), " of ",
                                  Thousands(p.rows_total), " records done");
  if (done) {
    absl::StrAppend(&line, " in ", Span(elapsed), " (", Thousands(std::llround(rate)),
                    " records/s)");
  } else if (final) {
    absl::StrAppend(&line, " (", Percent(p), "%) when the run stopped");
  } else {
    const std::string left = TimeLeft(p, rate);
    absl::StrAppend(&line, " (", Percent(p), "%), ", Thousands(std::llround(rate)), " records/s",
                    left.empty() ? "" : absl::StrCat(", about ", left, " left"));
  }
  output_.info(line);
  shown_ = now;
  last_shown_rows_ = p.rows_done;
}

}  // namespace homeward::adapters
