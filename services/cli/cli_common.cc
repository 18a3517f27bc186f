#include "services/cli/cli_common.h"

#include <cstdlib>
#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

ABSL_FLAG(std::string, server, "", "Aggregator address (default $HOMEWARD_SERVER or 127.0.0.1:50151)");
ABSL_FLAG(bool, json, false, "Print JSON (for scripts) instead of readable text");
ABSL_FLAG(std::string, tz, "Europe/London", "Time zone for readable output");

namespace homeward::cli {

std::string ServerAddress() {
  std::string address = absl::GetFlag(FLAGS_server);
  if (address.empty()) {
    const char* env = std::getenv("HOMEWARD_SERVER");
    address = env != nullptr ? env : "127.0.0.1:50151";
  }
  return address;
}

std::shared_ptr<grpc::Channel> Connect() {
  return grpc::CreateChannel(ServerAddress(), grpc::InsecureChannelCredentials());
}

std::unique_ptr<grpc::ClientContext> NewContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

int PrintError(const grpc::Status& status) {
  std::cerr << "error: " << status.error_message() << " (" << status.error_code() << ")\n";
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "is the aggregator running at " << ServerAddress() << "? (make run)\n";
  }
  return status.error_code() == grpc::StatusCode::NOT_FOUND ? 4 : 1;
}

bool MaybePrintJson(const google::protobuf::Message& message) {
  if (!absl::GetFlag(FLAGS_json)) return false;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json;
  return true;
}

absl::TimeZone DisplayZone() {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(absl::GetFlag(FLAGS_tz), &tz)) tz = absl::UTCTimeZone();
  return tz;
}

std::string FormatTime(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(ts.seconds()), DisplayZone());
}

std::string FormatDate(const v1::CivilDate& d) {
  return d.year() == 0 ? "?" : absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string Readable(const std::string& enum_name, const std::string& prefix) {
  std::string s = enum_name.rfind(prefix, 0) == 0 ? enum_name.substr(prefix.size()) : enum_name;
  s = absl::AsciiStrToLower(absl::StrReplaceAll(s, {{"_", " "}}));
  return s == "unspecified" ? "-" : s;
}

}  // namespace homeward::cli
