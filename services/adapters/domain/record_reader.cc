#include "services/adapters/domain/record_reader.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/domain/child_identifiers.h"
#include "common/domain/event_validation.h"
#include "common/status_macros.h"
#include "services/adapters/domain/fields.h"

namespace homeward::adapters {
namespace {

// An NHS number as exports write it ("999 000 1014", "999-000-1014"), without the separators.
std::string WithoutSeparators(absl::string_view number) {
  std::string out;
  for (const char c : number) {
    if (c != ' ' && c != '-') out.push_back(c);
  }
  return out;
}

absl::StatusOr<ChildRef> ReadChild(const MappedRow& row) {
  const SourceMapping& m = row.mapping();
  ChildRef child;
  // A number that fails its check digit is kept, not trusted: never an identifier, and never a
  // reason to lose a report (the import summary warns).
  if (std::string nhs = WithoutSeparators(row.Get("nhs_number")); CheckNhsNumber(nhs).ok()) {
    child.nhs_number = std::move(nhs);
  } else {
    child.unverified_nhs_number = std::move(nhs);
  }
  child.upn = row.Get("upn");
  child.la_child_id = row.Get("la_child_id");
  child.police_person_id = row.Get("person_id");
  if (m.agency_kind == AgencyKind::kPolice) {
    child.police_force = m.issuer;
    child.local_authority = row.Get("local_authority");
  } else {
    const std::string la = row.Get("local_authority");
    child.local_authority = la.empty() ? m.issuer : la;
  }
  if (child.la_child_id.empty()) child.local_authority.clear();
  child.given_name = row.Get("forename");
  child.family_name = row.Get("surname");
  if (const std::string dob = row.Get("date_of_birth"); !dob.empty()) {
    ASSIGN_OR_RETURN(child.date_of_birth, ParseDate(row.Column("date_of_birth"), dob));
  }
  ASSIGN_OR_RETURN(child.sex, ReadCoded(row, "sex", &ParseSex));
  return child;
}

}  // namespace

absl::StatusOr<RecordContext> RecordContext::Read(const MappedRow& row, const RecordFields& fields, absl::Time now) {
  const SourceMapping& m = row.mapping();
  if (const std::string claimed = row.Get("agency_id"); !claimed.empty() && claimed != m.agency_id) {
    return absl::InvalidArgumentError(absl::StrCat(row.Column("agency_id"), ": record claims to be from '",
                                                   claimed, "' but this feed is '", m.agency_id, "'"));
  }
  RecordContext c;
  c.agency_id_ = m.agency_id;
  c.agency_kind_ = m.agency_kind;
  ASSIGN_OR_RETURN(c.reference_, row.Required(fields.reference));
  c.revision_ = m.default_revision;
  if (fields.revision != nullptr) {
    ASSIGN_OR_RETURN(const std::string text, row.Required(fields.revision));
    if (!absl::SimpleAtoi(text, &c.revision_) || c.revision_ < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(row.Column(fields.revision), ": '", text, "' is not a whole number"));
    }
  }
  c.recorded_at_ = now;
  if (fields.recorded_at != nullptr) {
    ASSIGN_OR_RETURN(const ExportTime recorded,
                     ParseTime(row.Column(fields.recorded_at), row.Get(fields.recorded_at), m.time_zone));
    c.recorded_at_ = recorded.at;
  }
  ASSIGN_OR_RETURN(c.child_, ReadChild(row));
  return c;
}

Event RecordContext::Make(const std::string& facet, absl::Time occurred_at, Payload payload) const {
  Event e;
  e.agency_id = agency_id_;
  e.agency_kind = agency_kind_;
  e.source_record = reference_;
  e.facet = facet;
  e.revision = revision_;
  e.event_id = MakeEventId(agency_id_, reference_, facet, revision_);
  e.child = child_;
  e.occurred_at = occurred_at;
  e.recorded_at = recorded_at_;
  e.payload = std::move(payload);
  return e;
}

std::vector<std::string> RecordWarnings(const std::vector<Event>& events) {
  if (events.empty() || events.front().child->unverified_nhs_number.empty()) return {};
  return {"nhs_number: fails its Modulus 11 check digit; published as unverified_nhs_number, not used to link "
          "records (correct it in the source system)"};
}

absl::Status ValidateAll(const std::vector<Event>& events, absl::Time now) {
  for (const Event& e : events) {
    if (absl::Status s = ValidateEvent(e, now); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("facet ", e.facet, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

const std::vector<std::string>& ChildFields() {
  static const auto* fields = new std::vector<std::string>{
      "nhs_number", "upn",           "la_child_id", "person_id", "local_authority",
      "forename",   "surname",       "date_of_birth", "sex",     "agency_id"};
  return *fields;
}

std::vector<std::string> ParseList(const std::string& value) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(value, ';', absl::SkipWhitespace())) {
    items.emplace_back(absl::StripAsciiWhitespace(item));
  }
  return items;
}

}  // namespace homeward::adapters
