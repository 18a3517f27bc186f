#include "common/json/json.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace homeward::json {
namespace {

using nlohmann::json;

const char* TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "true/false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::binary:
    case json::value_t::discarded: return "not a JSON value";
  }
  return "not a JSON value";
}

std::string Where(const std::string& path) { return path.empty() ? "document" : path; }

// Compact text; invalid UTF-8 becomes U+FFFD instead of an exception.
std::string SafeDump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

bool Value::is_object() const { return value_->is_object(); }
bool Value::is_array() const { return value_->is_array(); }
bool Value::is_string() const { return value_->is_string(); }
bool Value::is_number() const { return value_->is_number(); }
bool Value::is_integer() const { return value_->is_number_integer(); }
bool Value::is_bool() const { return value_->is_boolean(); }
bool Value::is_null() const { return value_->is_null(); }

absl::Status Value::Expected(absl::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat(Where(path_), ": expected ", what, ", not ", TypeName(*value_)));
}

std::string Value::Child(absl::string_view key) const {
  return path_.empty() ? std::string(key) : absl::StrCat(path_, ".", key);
}

absl::StatusOr<std::string> Value::AsString() const {
  if (!value_->is_string()) return Expected("a string");
  return *value_->get_ptr<const json::string_t*>();
}

absl::StatusOr<double> Value::AsNumber() const {
  if (!value_->is_number()) return Expected("a number");
  if (value_->is_number_float()) return *value_->get_ptr<const json::number_float_t*>();
  if (value_->is_number_unsigned()) return static_cast<double>(*value_->get_ptr<const json::number_unsigned_t*>());
  return static_cast<double>(*value_->get_ptr<const json::number_integer_t*>());
}

absl::StatusOr<int64_t> Value::AsInteger() const {
  if (value_->is_number_unsigned()) {
    const uint64_t u = *value_->get_ptr<const json::number_unsigned_t*>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Expected("a whole number (64 bits)");
    return static_cast<int64_t>(u);
  }
  if (value_->is_number_integer()) return *value_->get_ptr<const json::number_integer_t*>();
  return Expected("a whole number");
}

absl::StatusOr<bool> Value::AsBool() const {
  if (!value_->is_boolean()) return Expected("true or false");
  return *value_->get_ptr<const json::boolean_t*>();
}

std::optional<Value> Value::Find(absl::string_view key) const {
  if (!value_->is_object()) return std::nullopt;
  const auto* object = value_->get_ptr<const json::object_t*>();
  const auto it = object->find(std::string(key));
  if (it == object->end()) return std::nullopt;
  return Value(&it->second, Child(key));
}

namespace {

// A required member, typed by `as`.
template <typename T, typename As>
absl::StatusOr<T> Required(const Value& v, absl::string_view key, const char* what, As as) {
  std::optional<Value> member = v.Find(key);
  if (!member.has_value() || member->is_null()) {
    const std::string path = v.path().empty() ? std::string(key) : absl::StrCat(v.path(), ".", key);
    return absl::InvalidArgumentError(absl::StrCat(path, ": required (", what, ")"));
  }
  return as(*member);
}

template <typename T, typename As>
absl::StatusOr<T> Optional(const Value& v, absl::string_view key, T fallback, As as) {
  std::optional<Value> member = v.Find(key);
  if (!member.has_value() || member->is_null()) return fallback;
  return as(*member);
}

}  // namespace

absl::StatusOr<std::string> Value::String(absl::string_view key) const {
  return Required<std::string>(*this, key, "a string", [](const Value& m) { return m.AsString(); });
}
absl::StatusOr<double> Value::Number(absl::string_view key) const {
  return Required<double>(*this, key, "a number", [](const Value& m) { return m.AsNumber(); });
}
absl::StatusOr<int64_t> Value::Integer(absl::string_view key) const {
  return Required<int64_t>(*this, key, "a whole number", [](const Value& m) { return m.AsInteger(); });
}
absl::StatusOr<std::string> Value::StringOr(absl::string_view key, std::string fallback) const {
  return Optional<std::string>(*this, key, std::move(fallback), [](const Value& m) { return m.AsString(); });
}
absl::StatusOr<double> Value::NumberOr(absl::string_view key, double fallback) const {
  return Optional<double>(*this, key, fallback, [](const Value& m) { return m.AsNumber(); });
}
absl::StatusOr<int64_t> Value::IntegerOr(absl::string_view key, int64_t fallback) const {
  return Optional<int64_t>(*this, key, fallback, [](const Value& m) { return m.AsInteger(); });
}
absl::StatusOr<bool> Value::BoolOr(absl::string_view key, bool fallback) const {
  return Optional<bool>(*this, key, fallback, [](const Value& m) { return m.AsBool(); });
}

std::vector<Value> Value::Items() const {
  std::vector<Value> items;
  if (!value_->is_array()) return items;
  const auto* array = value_->get_ptr<const json::array_t*>();
  items.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) items.push_back(Value(&(*array)[i], absl::StrCat(path_, "[", i, "]")));
  return items;
}

std::vector<std::pair<std::string, Value>> Value::Members() const {
  std::vector<std::pair<std::string, Value>> members;
  if (!value_->is_object()) return members;
  for (const auto& [key, value] : *value_->get_ptr<const json::object_t*>()) {
    members.emplace_back(key, Value(&value, Child(key)));
  }
  return members;
}

std::string Value::Dump() const { return SafeDump(*value_); }

Document::Document(std::unique_ptr<json> doc) : doc_(std::move(doc)) {}
Document::Document(Document&&) noexcept = default;
Document& Document::operator=(Document&&) noexcept = default;
Document::~Document() = default;

absl::StatusOr<Document> Document::Parse(absl::string_view text) {
  bool too_deep = false;
  const json::parser_callback_t guard = [&too_deep](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxDepth) {
      too_deep = true;
      return false;  // discard it: nothing below is kept
    }
    return !too_deep;
  };
  auto doc = std::make_unique<json>(json::parse(text.begin(), text.end(), guard, /*allow_exceptions=*/false));
  if (too_deep) return absl::InvalidArgumentError(absl::StrCat("not valid JSON: nested deeper than ", kMaxDepth));
  if (doc->is_discarded()) return absl::InvalidArgumentError("not valid JSON");
  return Document(std::move(doc));
}

Value Document::root() const { return Value(doc_.get(), ""); }

ObjectWriter::ObjectWriter() : object_(std::make_unique<json>(json::object())) {}
ObjectWriter::ObjectWriter(ObjectWriter&&) noexcept = default;
ObjectWriter::~ObjectWriter() = default;

ObjectWriter& ObjectWriter::Set(absl::string_view key, absl::string_view value) {
  (*object_)[std::string(key)] = std::string(value);
  return *this;
}
ObjectWriter& ObjectWriter::Set(absl::string_view key, int64_t value) {
  (*object_)[std::string(key)] = value;
  return *this;
}
ObjectWriter& ObjectWriter::Set(absl::string_view key, bool value) {
  (*object_)[std::string(key)] = value;
  return *this;
}

std::string ObjectWriter::Dump() const { return SafeDump(*object_); }

}  // namespace homeward::json
