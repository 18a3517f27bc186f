// File: json.h
//
// The one way Homeward reads and writes JSON: configuration (rules, access, webhooks, mapping
// files), agency exports (social care), people's tokens and dead-letter reasons. Nothing here
// throws or aborts, whatever the input.
//
// nlohmann-json's own accessors are unsafe on untrusted input: get<>(), value() and at() throw
// on a wrong type or a missing key (and, in code built with -fno-exceptions, abort), dump()
// throws on invalid UTF-8. Only json.cc calls them, after checking the type;
// tests/lint/check_json_access.sh fails the build's tests if any other file includes
// nlohmann-json.
//
//   absl::StatusOr<json::Document> doc = json::Document::Parse(text);
//   if (!doc.ok()) return doc.status();
//   json::Value root = doc->root();
//   absl::StatusOr<std::string> id = root.String("id");        // required: "id: required (a string)"
//   absl::StatusOr<std::string> team = root.StringOr("team", "");  // wrong type is still an error
//
// Every error names the value's path ("rules[3].params.count: expected a number").
#ifndef HOMEWARD_COMMON_JSON_JSON_H_
#define HOMEWARD_COMMON_JSON_JSON_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homeward::json {

// A read-only view of one value inside a Document, with its path. Valid while the Document
// lives.
class Value {
 public:
  bool is_object() const;
  bool is_array() const;
  bool is_string() const;
  bool is_number() const;
  bool is_integer() const;
  bool is_bool() const;
  bool is_null() const;
  // "rules[3].params", or "" for the root.
  const std::string& path() const { return path_; }

  // The value itself, typed; INVALID_ARGUMENT "<path>: expected a string" (and so on) if it is
  // another type.
  absl::StatusOr<std::string> AsString() const;
  absl::StatusOr<double> AsNumber() const;
  absl::StatusOr<int64_t> AsInteger() const;  // a whole number that fits in 64 bits
  absl::StatusOr<bool> AsBool() const;

  // An object's member; nullopt if this is not an object or has no such member.
  std::optional<Value> Find(absl::string_view key) const;
  bool Has(absl::string_view key) const { return Find(key).has_value(); }

  // A required member of a given type: INVALID_ARGUMENT "<path>.<key>: required (a string)" if
  // missing, "... expected a string" if another type.
  absl::StatusOr<std::string> String(absl::string_view key) const;
  absl::StatusOr<double> Number(absl::string_view key) const;
  absl::StatusOr<int64_t> Integer(absl::string_view key) const;
  // An optional member: `fallback` if missing (or null); an error if present with another type.
  absl::StatusOr<std::string> StringOr(absl::string_view key, std::string fallback) const;
  absl::StatusOr<double> NumberOr(absl::string_view key, double fallback) const;
  absl::StatusOr<int64_t> IntegerOr(absl::string_view key, int64_t fallback) const;
  absl::StatusOr<bool> BoolOr(absl::string_view key, bool fallback) const;

  // An array's elements (none if this is not an array).
  std::vector<Value> Items() const;
  // An object's members in the document's key order (none if this is not an object).
  std::vector<std::pair<std::string, Value>> Members() const;

  // The value as compact JSON text (numbers as written, strings escaped).
  std::string Dump() const;

 private:
  friend class Document;
  Value(const nlohmann::json* value, std::string path) : value_(value), path_(std::move(path)) {}
  absl::Status Expected(absl::string_view what) const;
  std::string Child(absl::string_view key) const;

  const nlohmann::json* value_;
  std::string path_;
};

class Document {
 public:
  // INVALID_ARGUMENT "not valid JSON" for anything that does not parse, including
  // invalid UTF-8 in a string and input nested deeper than kMaxDepth.
  static absl::StatusOr<Document> Parse(absl::string_view text);
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;
  ~Document();

  Value root() const;

  // Arrays and objects nested deeper than this are refused (a stack guard for every reader).
  static constexpr int kMaxDepth = 64;

 private:
  explicit Document(std::unique_ptr<nlohmann::json> doc);
  std::unique_ptr<nlohmann::json> doc_;
};

// Builds one flat JSON object (dead-letter reasons, rejection reports, token claims). Any
// bytes may go in: invalid UTF-8 is written as U+FFFD, so Dump() never fails.
class ObjectWriter {
 public:
  ObjectWriter();
  ObjectWriter(ObjectWriter&&) noexcept;
  ~ObjectWriter();
  ObjectWriter& Set(absl::string_view key, absl::string_view value);
  ObjectWriter& Set(absl::string_view key, const char* value) { return Set(key, absl::string_view(value)); }
  ObjectWriter& Set(absl::string_view key, int64_t value);
  ObjectWriter& Set(absl::string_view key, int value) { return Set(key, static_cast<int64_t>(value)); }
  ObjectWriter& Set(absl::string_view key, bool value);
  std::string Dump() const;

 private:
  std::unique_ptr<nlohmann::json> object_;
};

}  // namespace homeward::json

#endif  // HOMEWARD_COMMON_JSON_JSON_H_
