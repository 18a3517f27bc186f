#include "services/aggregator/grpc/report_service.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"
#include "services/aggregator/domain/reports/reports.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {
namespace {

using access::Action;
using ::homeward::aggregator::ToProto;  // the CivilDate one (conversions.h), beside this file's own

v1::ReportColumn::Unit ToProto(reports::Unit u) {
  switch (u) {
    case reports::Unit::kCount: return v1::ReportColumn::UNIT_COUNT;
    case reports::Unit::kPercent: return v1::ReportColumn::UNIT_PERCENT;
    case reports::Unit::kHours: return v1::ReportColumn::UNIT_HOURS;
    case reports::Unit::kMinutes: return v1::ReportColumn::UNIT_MINUTES;
  }
  return v1::ReportColumn::UNIT_UNSPECIFIED;
}

v1::ReportChart::Kind ToProto(reports::ChartKind k) {
  switch (k) {
    case reports::ChartKind::kBar: return v1::ReportChart::KIND_BAR;
    case reports::ChartKind::kLine: return v1::ReportChart::KIND_LINE;
    case reports::ChartKind::kNone: return v1::ReportChart::KIND_UNSPECIFIED;
  }
  return v1::ReportChart::KIND_UNSPECIFIED;
}

void ToProto(const reports::Report& r, v1::Report* out) {
  out->set_name(r.name);
  out->set_title(r.title);
  out->set_description(r.description);
  *out->mutable_from() = ToProto(r.from);
  *out->mutable_to() = ToProto(r.to);
  out->set_authority(r.authority);
  *out->mutable_as_at() = ToProtoTime(r.as_at);
  out->set_time_zone(r.time_zone);
  out->set_suppression_threshold(r.suppression_threshold);
  for (const reports::Section& s : r.sections) {
    v1::ReportSection* section = out->add_sections();
    section->set_title(s.title);
    section->set_description(s.description);
    section->set_row_heading(s.row_heading);
    for (const reports::Column& c : s.columns) {
      v1::ReportColumn* column = section->add_columns();
      column->set_key(c.key);
      column->set_label(c.label);
      column->set_unit(ToProto(c.unit));
      column->set_help(c.help);
    }
    for (const reports::Row& row : s.rows) {
      v1::ReportRow* out_row = section->add_rows();
      out_row->set_label(row.label);
      out_row->set_total(row.total);
      for (const reports::Cell& cell : row.cells) {
        v1::ReportCell* c = out_row->add_cells();
        c->set_value(cell.value);
        c->set_suppressed(cell.suppressed);
        c->set_not_applicable(cell.not_applicable);
        c->set_display(cell.display);
      }
    }
    if (s.chart.kind != reports::ChartKind::kNone) {
      section->mutable_chart()->set_kind(ToProto(s.chart.kind));
      section->mutable_chart()->set_title(s.chart.title);
      for (const std::string& key : s.chart.series) section->mutable_chart()->add_series(key);
    }
  }
  for (const std::string& n : r.notes) out->add_notes(n);
}

std::string Describe(const reports::ReportRequest& r) {
  return absl::StrCat(r.name, " ", absl::FormatCivilTime(r.from), "..", absl::FormatCivilTime(r.to),
                      " authority=", r.authority.empty() ? "*" : r.authority, " as at ",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", r.as_at, absl::UTCTimeZone()));
}

}  // namespace

absl::StatusOr<reports::ReportRequest> ReportService::Request(const std::string& name, const v1::CivilDate& from,
                                                              const v1::CivilDate& to, const std::string& authority,
                                                              const google::protobuf::Timestamp* as_at) const {
  absl::StatusOr<absl::CivilDay> first = PeriodDay(from, "from", "first");
  if (!first.ok()) return first.status();
  absl::StatusOr<absl::CivilDay> last = PeriodDay(to, "to", "last");
  if (!last.ok()) return last.status();
  // Unset: the moment of the run, to the microsecond, so that a record accepted a moment ago
  // counts, and the report says a time that gives the same figures when run again.
  const absl::Time at = as_at != nullptr ? FromProtoTime(*as_at) : absl::FromUnixMicros(absl::ToUnixMicros(clock_.Now()));
  return reports::ReportRequest{.name = name,
                                .from = *first,
                                .to = *last,
                                .authority = authority,
                                .as_at = at,
                                .zone = options_.zone,
                                .suppression_threshold = options_.suppression_threshold,
                                .home_authority = options_.home_authority};
}

grpc::ServerUnaryReactor* ReportService::ListReports(grpc::CallbackServerContext* context, const v1::ListReportsRequest*,
                                                     v1::ListReportsResponse* response) {
  constexpr char kMethod[] = "ListReports";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadReports, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  for (const reports::ReportInfo& r : reports::Catalog()) {
    v1::ReportDescription* d = response->add_reports();
    d->set_name(r.name);
    d->set_title(r.title);
    d->set_description(r.description);
    d->set_statutory(r.statutory);
  }
  response->set_suppression_threshold(options_.suppression_threshold);
  return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", "listed the reports",
                      absl::OkStatus());
}

grpc::ServerUnaryReactor* ReportService::RunReport(grpc::CallbackServerContext* context, const v1::RunReportRequest* request,
                                                   v1::Report* response) {
  constexpr char kMethod[] = "RunReport";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadReports, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  absl::StatusOr<reports::ReportRequest> wanted = Request(request->name(), request->from(), request->to(),
                                                          request->authority(),
                                                          request->has_as_at() ? &request->as_at() : nullptr);
  if (!wanted.ok()) {
    return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", request->name(), wanted.status());
  }
  const ReportSlot slot(running_);
  if (!slot.held()) {
    return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", Describe(*wanted),
                        absl::ResourceExhaustedError(absl::StrCat(kMaxConcurrentReports,
                                                                  " reports are being computed; try again shortly")));
  }
  absl::StatusOr<reports::Report> report = engine_.Run(*wanted, clock_.Now());
  if (report.ok()) ToProto(*report, response);
  return gate_.Answer(context, response, *caller, Action::kReadReports, kMethod, "", Describe(*wanted), report.status());
}

grpc::ServerUnaryReactor* ReportService::RunStatutoryReturn(grpc::CallbackServerContext* context,
                                                            const v1::RunStatutoryReturnRequest* request,
                                                            v1::StatutoryReturn* response) {
  constexpr char kMethod[] = "RunStatutoryReturn";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kRunStatutoryReturn, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const std::string& mine = caller->principal.authority;
  const std::string authority = request->authority().empty() ? mine : request->authority();
  absl::StatusOr<reports::ReportRequest> wanted =
      Request(request->name(), request->from(), request->to(), authority,
              request->has_as_at() ? &request->as_at() : nullptr);
  if (!wanted.ok()) {
    return gate_.Answer(context, response, *caller, Action::kRunStatutoryReturn, kMethod, "", request->name(),
                        wanted.status());
  }
  if (mine.empty() || authority != mine) {
    return gate_.Answer(context, response, *caller, Action::kRunStatutoryReturn, kMethod, "", Describe(*wanted),
                        absl::PermissionDeniedError(absl::StrCat(
                            caller->principal.subject, " (coordinator, ", mine.empty() ? "no authority" : mine,
                            ") may run statutory returns for their own authority only, not ", authority)));
  }
  const ReportSlot slot(running_);
  if (!slot.held()) {
    return gate_.Answer(context, response, *caller, Action::kRunStatutoryReturn, kMethod, "", Describe(*wanted),
                        absl::ResourceExhaustedError(absl::StrCat(kMaxConcurrentReports,
                                                                  " reports are being computed; try again shortly")));
  }
  absl::StatusOr<reports::StatutoryReturn> ret = engine_.RunReturn(*wanted, clock_.Now());
  std::string detail = Describe(*wanted);
  if (ret.ok()) {
    response->set_name(ret->name);
    response->set_file_name(ret->file_name);
    for (const std::string& c : ret->columns) response->add_columns(c);
    for (const std::vector<std::string>& row : ret->rows) {
      v1::StatutoryReturn::Row* r = response->add_rows();
      for (const std::string& v : row) r->add_values(v);
    }
    for (const reports::Finding& f : ret->findings) {
      v1::ValidationFinding* out = response->add_findings();
      out->set_rule(f.rule);
      out->set_message(f.message);
      out->set_row(f.row);
    }
    for (const std::string& n : ret->notes) response->add_notes(n);
    *response->mutable_as_at() = ToProtoTime(wanted->as_at);
    response->set_authority(authority);
    absl::StrAppend(&detail, ": ", ret->rows.size(), " rows, ", ret->findings.size(), " validation findings");
  }
  return gate_.Answer(context, response, *caller, Action::kRunStatutoryReturn, kMethod, "", detail, ret.status());
}

}  // namespace homeward::aggregator
