#include "services/aggregator/grpc/conversions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/codec/event_codec.h"

namespace homeward::aggregator {
v1::CivilDate ToProto(absl::CivilDay d) {
  v1::CivilDate out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

absl::StatusOr<absl::CivilDay> PeriodDay(const v1::CivilDate& d, const char* what, const char* which) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) {
    return absl::InvalidArgumentError(absl::StrCat("`", what, "` is required: the ", which, " day of the period"));
  }
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (d.year() < 1900 || d.year() > 9999 || day.month() != d.month() || day.day() != d.day()) {
    return absl::InvalidArgumentError(
        absl::StrCat("`", what, "` is not a date: ", d.year(), "-", d.month(), "-", d.day()));
  }
  return day;
}

void ToProto(const ChronologyEntry& e, v1::ChronologyEntry* entry) {
  *entry->mutable_event() = homeward::ToProto(e.event);
  entry->set_kind(EntryKind(e.event));
  entry->set_summary(Summarize(e.event));
  for (const auto& id : e.superseded_event_ids) entry->add_superseded_event_ids(id);
  entry->set_date_only(IsDateOnly(e.event));
  *entry->mutable_received_at() = ToProtoTime(e.received_at);
}

std::vector<std::string> MaskEntry(const std::vector<access::MaskRule>& rules, const access::Principal& reader,
                                   v1::ChronologyEntry& entry) {
  if (rules.empty()) return {};
  std::vector<std::string> masked = access::MaskEvent(rules, *entry.mutable_event());
  if (masked.empty()) return masked;
  for (const std::string& field : masked) entry.add_masked_fields(field);
  std::string why;
  if (const auto it = std::find(masked.begin(), masked.end(), kPhilomenaField); it != masked.end()) {
    // Not a configured mask: the Philomena release rule. The entry still says a profile exists.
    entry.mutable_event()->mutable_philomena_profile();
    why = "the Philomena profile is read with GetPhilomenaProfile (homeward philomena): by the child's carers, and "
          "by the police force handling an open missing episode (docs/philomena.md)";
  } else {
    why = absl::StrCat(absl::StrJoin(masked, ", "), " withheld from ", access::RoleName(reader.role),
                       "s on need to know (the partnership's masks, config/access.json)");
  }
  entry.set_withheld_because(why);
  // The summary was built from the whole event: build it again from what is left.
  absl::StatusOr<Event> left = FromProto(entry.event());
  std::string summary = left.ok() ? Summarize(*left) : "";
  entry.set_summary(summary.empty() ? absl::StrCat("[withheld: ", why, "]") : summary);
  return masked;
}

std::set<std::string> MaskEntries(const std::vector<access::MaskRule>& rules, const access::Principal& reader,
                                  google::protobuf::RepeatedPtrField<v1::ChronologyEntry>& entries) {
  std::set<std::string> withheld;
  for (v1::ChronologyEntry& entry : entries) {
    for (std::string& field : MaskEntry(rules, reader, entry)) withheld.insert(std::move(field));
  }
  return withheld;
}

void ToProto(const ChronologyPage& page, v1::GetChronologyResponse* out) {
  out->set_child_id(page.child_id.value());
  for (const auto& id : page.identifiers) out->add_identifiers(id);
  for (const ChronologyEntry& e : page.entries) ToProto(e, out->add_entries());
  out->set_total_entries(page.total_entries);
  out->set_next_page_token(page.next_page_token);
}

void ToProto(const Episode& e, v1::Episode* out) {
  out->set_episode_id(e.episode_id);
  *out->mutable_start() = ToProtoTime(e.start);
  if (e.end) *out->mutable_end() = ToProtoTime(*e.end);
  out->set_category(static_cast<v1::AbsenceCategory>(e.category));
  out->set_highest_grade(static_cast<v1::RiskGrade>(e.highest_grade));
  for (const EpisodeSource& s : e.sources) {
    v1::EpisodeSource* o = out->add_sources();
    o->set_agency_id(s.agency_id);
    o->set_agency_kind(static_cast<v1::AgencyKind>(s.agency_kind));
    o->set_source_record(s.source_record);
    o->set_category(static_cast<v1::AbsenceCategory>(s.category));
    o->set_category_as_recorded(s.category_as_recorded);
    *o->mutable_start() = ToProtoTime(s.start);
    if (s.end) *o->mutable_end() = ToProtoTime(*s.end);
    o->set_date_only(s.date_only);
    o->set_latest_grade(static_cast<v1::RiskGrade>(s.latest_grade));
    o->set_amended(s.amended);
    for (const auto& id : s.event_ids) o->add_event_ids(id);
  }
  for (const InterviewStatus& i : e.interviews) {
    v1::InterviewStatus* o = out->add_interviews();
    o->set_agency_id(i.agency_id);
    o->set_source_record(i.source_record);
    o->set_outcome(static_cast<v1::InterviewOutcome>(i.outcome));
    *o->mutable_at() = ToProtoTime(i.at);
  }
  out->set_categories_differ(e.categories_differ);
  out->set_times_differ(e.times_differ);
  for (const auto& f : e.flags) out->add_flags(f);
}

void ToProto(const ChildProfile& p, v1::ChildProfile* out) {
  out->set_child_id(p.child_id.value());
  for (const auto& id : p.identifiers) out->add_identifiers(id);
  for (const auto& n : p.names) out->add_names(n);
  if (p.date_of_birth) *out->mutable_date_of_birth() = ToProto(*p.date_of_birth);
  out->set_sex(static_cast<v1::Sex>(p.sex));
  for (const LinkedRecord& r : p.linked_records) {
    v1::LinkedRecord* o = out->add_linked_records();
    o->set_agency_id(r.agency_id);
    o->set_agency_kind(static_cast<v1::AgencyKind>(r.agency_kind));
    o->set_entries(r.entries);
  }
  if (p.placement) {
    Event carrier;  // reuse the event codec's payload conversion
    carrier.payload = *p.placement;
    *out->mutable_placement() = homeward::ToProto(carrier).placement_changed();
  }
  if (p.placement_since) *out->mutable_placement_since() = ToProtoTime(*p.placement_since);
  out->set_looked_after(p.looked_after);
  out->set_placed_out_of_area(p.placed_out_of_area);
  out->set_episodes_total(p.episodes_total);
  out->set_episodes_last_90_days(p.episodes_last_90_days);
  out->set_episodes_in_repeat_window(p.episodes_in_repeat_window);
  out->set_repeat_window_days(static_cast<int32_t>(absl::ToInt64Hours(p.repeat_window) / 24));
  out->set_episodes_last_12_months(p.episodes_last_12_months);
  out->set_currently_missing(p.currently_missing);
  out->set_latest_grade(static_cast<v1::RiskGrade>(p.latest_grade));
  for (const auto& c : p.exploitation_concerns) out->add_exploitation_concerns(c);
  if (p.last_interview_outcome) {
    out->set_last_interview_outcome(static_cast<v1::InterviewOutcome>(*p.last_interview_outcome));
  }
  for (const auto& f : p.data_quality_flags) out->add_data_quality_flags(f);
}

void ToProto(const ChildSummary& s, v1::ChildSummary* out) {
  out->set_child_id(s.child_id.value());
  for (const auto& id : s.identifiers) out->add_identifiers(id);
  for (const auto& n : s.names) out->add_names(n);
  if (s.date_of_birth) *out->mutable_date_of_birth() = ToProto(*s.date_of_birth);
  out->set_sex(static_cast<v1::Sex>(s.sex));
}

}  // namespace homeward::aggregator
