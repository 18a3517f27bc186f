#include "services/cli/cli_common.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include <google/protobuf/util/json_util.h>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/security/authenticator.h"
#include "common/text.h"
#include "common/security/tls.h"

ABSL_FLAG(std::string, server, "", "Aggregator address (default $HOMEWARD_SERVER or 127.0.0.1:50151)");
ABSL_FLAG(bool, json, false, "Print JSON (for scripts) instead of readable text");
ABSL_FLAG(std::string, tz, "Europe/London", "Time zone for readable output");
ABSL_FLAG(std::string, tls_dir, "", "Credentials directory (default $HOMEWARD_TLS_DIR or run/credentials)");
ABSL_FLAG(std::string, client, "", "Client certificate subject (default $HOMEWARD_CLIENT or homeward-cli)");
ABSL_FLAG(std::string, token_file, "", "Your access token file (default $HOMEWARD_TOKEN_FILE; or $HOMEWARD_TOKEN)");
ABSL_FLAG(std::string, purpose, "", "Why you are looking (default $HOMEWARD_PURPOSE); kept on the access log");
ABSL_FLAG(std::string, lawful_basis, "",
          "Lawful basis code from config/access.json (default $HOMEWARD_LAWFUL_BASIS), e.g. dpa2018-sch1-para18");

namespace homeward::cli {

std::string ServerAddress() {
  std::string address = absl::GetFlag(FLAGS_server);
  if (address.empty()) {
    const char* env = std::getenv("HOMEWARD_SERVER");
    address = env != nullptr ? env : "127.0.0.1:50151";
  }
  return address;
}

namespace {

// The flag if given, else the environment variable, else `fallback`.
std::string Setting(const absl::Flag<std::string>& flag, const char* env, const std::string& fallback = "") {
  std::string value = absl::GetFlag(flag);
  if (value.empty()) {
    const char* from_env = std::getenv(env);
    value = from_env != nullptr ? from_env : fallback;
  }
  return value;
}

std::string Token() {
  const std::string file = Setting(FLAGS_token_file, "HOMEWARD_TOKEN_FILE");
  if (file.empty()) {
    const char* token = std::getenv("HOMEWARD_TOKEN");
    return token != nullptr ? token : "";
  }
  std::ifstream in(file);
  std::string token;
  if (!(in >> token)) {
    std::cerr << "error: cannot read the token file " << file << "\n";
    std::exit(2);
  }
  return token;
}

}  // namespace

std::shared_ptr<grpc::Channel> Connect() {
  const std::string dir = Setting(FLAGS_tls_dir, "HOMEWARD_TLS_DIR", "run/credentials");
  const std::string client = Setting(FLAGS_client, "HOMEWARD_CLIENT", "homeward-cli");
  auto credentials = security::MutualTlsChannelCredentials(security::ClientFiles(dir, client));
  if (!credentials.ok()) {
    std::cerr << "error: " << credentials.status().message()
              << "\n(the hub takes mutual TLS only: give --tls_dir and --client; make run creates development ones)\n";
    std::exit(2);
  }
  return grpc::CreateChannel(ServerAddress(), *credentials);
}

void AddCallerMetadata(grpc::ClientContext& context) {
  if (const std::string token = Token(); !token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  if (const std::string purpose = Setting(FLAGS_purpose, "HOMEWARD_PURPOSE"); !purpose.empty()) {
    context.AddMetadata(security::kPurposeHeader, purpose);
  }
  if (const std::string basis = Setting(FLAGS_lawful_basis, "HOMEWARD_LAWFUL_BASIS"); !basis.empty()) {
    context.AddMetadata(security::kLawfulBasisHeader, basis);
  }
}

std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration deadline) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  AddCallerMetadata(*context);
  return context;
}

int PrintError(const grpc::Status& status) {
  struct Meaning {
    const char* words;
    int exit_status;
    const char* hint;
  };
  const Meaning m = [&]() -> Meaning {
    switch (status.error_code()) {
      case grpc::StatusCode::NOT_FOUND: return {"not found", 4, ""};
      case grpc::StatusCode::INVALID_ARGUMENT: return {"not a valid request", 2, ""};
      case grpc::StatusCode::OUT_OF_RANGE: return {"not a valid request", 2, ""};
      case grpc::StatusCode::UNAUTHENTICATED:
        return {"not signed in", 3, "give your access token: --token_file or $HOMEWARD_TOKEN_FILE (README: credentials)"};
      case grpc::StatusCode::PERMISSION_DENIED: return {"not allowed", 3, ""};
      case grpc::StatusCode::ALREADY_EXISTS: return {"already so", 1, ""};
      case grpc::StatusCode::FAILED_PRECONDITION: return {"not possible now", 1, ""};
      case grpc::StatusCode::RESOURCE_EXHAUSTED: return {"the hub is busy", 1, "try again shortly"};
      case grpc::StatusCode::DEADLINE_EXCEEDED: return {"no answer in time", 1, "the hub may be busy: try again"};
      case grpc::StatusCode::UNAVAILABLE: return {"the hub cannot be reached", 1, ""};
      case grpc::StatusCode::CANCELLED: return {"cancelled", 1, ""};
      default: return {"the hub reported an error", 1, ""};
    }
  }();
  std::cerr << "homeward: " << m.words << ": " << Printable(status.error_message(), 4096) << "\n";
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "is the aggregator running at " << ServerAddress() << "? (make run)\n";
  } else if (m.hint[0] != '\0') {
    std::cerr << m.hint << "\n";
  }
  return m.exit_status;
}

void MakePrintable(google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(message, f); ++k) {
          r->SetRepeatedString(&message, f, k, Printable(r->GetRepeatedString(message, f, k)));
        }
      } else if (r->HasField(message, f)) {
        r->SetString(&message, f, Printable(r->GetString(message, f)));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(message, f); ++k) MakePrintable(*r->MutableRepeatedMessage(&message, f, k));
      } else if (r->HasField(message, f)) {
        MakePrintable(*r->MutableMessage(&message, f));
      }
    }
  }
}

bool MaybePrintJson(google::protobuf::Message& message) {
  if (!absl::GetFlag(FLAGS_json)) {
    MakePrintable(message);  // what an agency wrote never reaches the terminal raw
    return false;
  }
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

void PrintPhilomenaProfile(const v1::ChronologyEntry& entry) {
  const v1::Event& e = entry.event();
  const v1::PhilomenaProfile& p = e.philomena_profile();
  std::cout << "  from " << e.agency_id() << ", record " << e.source_record() << ", revision " << e.revision()
            << (entry.superseded_event_ids_size() > 0
                    ? absl::StrCat(" (amends ", absl::StrJoin(entry.superseded_event_ids(), ", "), ")")
                    : "")
            << "\n  completed by " << (p.completed_by().empty() ? "?" : p.completed_by())
            << (p.has_completed_at() ? " at " + FormatTime(p.completed_at()) : "") << "\n\n"
            << "  description:        " << p.description() << "\n"
            << "  photograph:         " << p.photograph_ref() << "\n"
            << "  phones:             " << absl::StrJoin(p.phone_numbers(), ", ") << "\n"
            << "  associates:         " << absl::StrJoin(p.associates(), "; ") << "\n"
            << "  places frequented:  " << absl::StrJoin(p.places_frequented(), "; ") << "\n"
            << "  medical needs:      " << p.medical_needs() << "\n";
}

}  // namespace homeward::cli
