#include "common/metrics/registry.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homeward::metrics {
namespace {

bool ValidName(absl::string_view name) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != ':') return false;
  }
  return true;
}

// A programming error (metric names are literals): say which, and stop.
[[noreturn]] void Misuse(const std::string& what) {
  std::fprintf(stderr, "metrics: %s\n", what.c_str());
  std::abort();
}

const char* TypeName(int kind) {
  static const char* const kNames[] = {"counter", "gauge", "histogram"};
  return kNames[kind];
}

// `{a="1",b="2"}`, with `extra` (a histogram's le) last; "" for no labels.
std::string LabelText(const Labels& labels, const std::pair<std::string, std::string>* extra = nullptr) {
  if (labels.empty() && extra == nullptr) return "";
  std::string out = "{";
  const auto add = [&](const std::pair<std::string, std::string>& l) {
    absl::StrAppend(&out, out.size() > 1 ? "," : "", l.first, "=\"", EscapeLabelValue(l.second), "\"");
  };
  for (const auto& l : labels) add(l);
  if (extra != nullptr) add(*extra);
  out += "}";
  return out;
}

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {  // 2^53: exact
    return absl::StrCat(static_cast<int64_t>(value));
  }
  // The shortest form that reads back as the same double (0.1, not 0.10000000000000001).
  for (int precision = 15; precision < 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

class Registry::Registration final : public Collector {
 public:
  Registration(Registry& registry, int id) : registry_(registry), id_(id) {}
  ~Registration() override { registry_.Remove(id_); }

 private:
  Registry& registry_;
  const int id_;
};

Registry::Series& Registry::Find(absl::string_view name, absl::string_view help, Kind kind, const Labels& labels,
                                 const std::vector<double>& bounds) {
  absl::MutexLock lock(&mu_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    if (!ValidName(name)) Misuse(absl::StrCat("'", name, "' is not a metric name"));
    Family family{.kind = kind, .help = std::string(help)};
    for (const auto& [label, value] : labels) {
      if (!ValidName(label) || label == "le") Misuse(absl::StrCat(name, ": '", label, "' is not a label name"));
      family.label_names.push_back(label);
    }
    it = families_.emplace(std::string(name), std::move(family)).first;
  }
  Family& family = it->second;
  if (family.kind != kind) {
    Misuse(absl::StrCat(name, " is a ", TypeName(static_cast<int>(family.kind)), ", asked for as a ",
                        TypeName(static_cast<int>(kind))));
  }
  bool same_names = family.label_names.size() == labels.size();
  for (size_t i = 0; same_names && i < labels.size(); ++i) same_names = family.label_names[i] == labels[i].first;
  if (!same_names) Misuse(absl::StrCat(name, ": asked for with other label names"));
  auto [series, added] = family.series.try_emplace(labels);
  if (added) {
    series->second.labels = labels;
    switch (kind) {
      case Kind::kCounter: series->second.counter = std::make_unique<Counter>(); break;
      case Kind::kGauge: series->second.gauge = std::make_unique<Gauge>(); break;
      case Kind::kHistogram: series->second.histogram = std::make_unique<Histogram>(bounds); break;
    }
  }
  return series->second;
}

Counter& Registry::GetCounter(absl::string_view name, absl::string_view help, const Labels& labels) {
  return *Find(name, help, Kind::kCounter, labels, {}).counter;
}

Gauge& Registry::GetGauge(absl::string_view name, absl::string_view help, const Labels& labels) {
  return *Find(name, help, Kind::kGauge, labels, {}).gauge;
}

Histogram& Registry::GetHistogram(absl::string_view name, absl::string_view help, const std::vector<double>& bounds,
                                  const Labels& labels) {
  return *Find(name, help, Kind::kHistogram, labels, bounds).histogram;
}

std::unique_ptr<Collector> Registry::AddCollector(std::function<void()> collect) {
  absl::MutexLock lock(&collect_mu_);
  const int id = next_collector_++;
  collectors_.emplace(id, std::move(collect));
  return std::make_unique<Registration>(*this, id);
}

void Registry::Remove(int id) {
  absl::MutexLock lock(&collect_mu_);
  collectors_.erase(id);
}

std::string Registry::Render() {
  {
    absl::MutexLock lock(&collect_mu_);
    for (const auto& [id, collect] : collectors_) collect();
  }
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& [name, family] : families_) {
    absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(family.help), "\n# TYPE ", name, " ",
                    TypeName(static_cast<int>(family.kind)), "\n");
    for (const auto& [labels, series] : family.series) {
      if (series.counter != nullptr) {
        absl::StrAppend(&out, name, LabelText(labels), " ", FormatValue(series.counter->value()), "\n");
      } else if (series.gauge != nullptr) {
        absl::StrAppend(&out, name, LabelText(labels), " ", FormatValue(series.gauge->value()), "\n");
      } else if (series.histogram != nullptr) {
        const Histogram::Snapshot s = series.histogram->snapshot();
        uint64_t cumulative = 0;
        for (size_t i = 0; i < s.counts.size(); ++i) {
          cumulative += s.counts[i];
          const std::pair<std::string, std::string> le{
              "le", i < s.bounds.size() ? FormatValue(s.bounds[i]) : std::string("+Inf")};
          absl::StrAppend(&out, name, "_bucket", LabelText(labels, &le), " ", cumulative, "\n");
        }
        absl::StrAppend(&out, name, "_sum", LabelText(labels), " ", FormatValue(s.sum), "\n", name, "_count",
                        LabelText(labels), " ", s.count, "\n");
      }
    }
  }
  return out;
}

std::optional<double> Registry::Value(absl::string_view name, const Labels& labels) const {
  absl::MutexLock lock(&mu_);
  const auto family = families_.find(name);
  if (family == families_.end()) return std::nullopt;
  const auto series = family->second.series.find(labels);
  if (series == family->second.series.end()) return std::nullopt;
  const Series& s = series->second;
  if (s.counter != nullptr) return s.counter->value();
  if (s.gauge != nullptr) return s.gauge->value();
  if (s.histogram != nullptr) return static_cast<double>(s.histogram->snapshot().count);
  return std::nullopt;
}

}  // namespace homeward::metrics
