// File: cli_common.h
//
// What every `homeward` command shares: the connection, flags, time formatting, errors.
#ifndef HOMEWARD_SERVICES_CLI_CLI_COMMON_H_
#define HOMEWARD_SERVICES_CLI_CLI_COMMON_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include <google/protobuf/message.h>

#include "absl/time/time.h"
#include "homeward/v1/chronology_entry.pb.h"
#include "homeward/v1/event.pb.h"

namespace homeward::cli {

std::string ServerAddress();
// A mutual-TLS channel with the client certificate --client (default homeward-cli) from
// --tls_dir (default $HOMEWARD_TLS_DIR or run/credentials). Exits with status 2 if the files
// cannot be read.
std::shared_ptr<grpc::Channel> Connect();
// Adds the person's token (--token_file, $HOMEWARD_TOKEN_FILE or $HOMEWARD_TOKEN) and the
// purpose and lawful basis of this access (--purpose/--lawful_basis or $HOMEWARD_PURPOSE and
// $HOMEWARD_LAWFUL_BASIS) to a call.
void AddCallerMetadata(grpc::ClientContext& context);
// A context with a deadline (10 s unless said) and the caller metadata.
std::unique_ptr<grpc::ClientContext> NewContext(absl::Duration deadline = absl::Seconds(10));
// Prints the error in words ("homeward: not found: ..."), with a hint where one helps; returns
// the exit status: 4 not found, 3 not signed in or not allowed, 2 an invalid request, 1 otherwise.
int PrintError(const grpc::Status& status);
// True when --json was given: print `message` as JSON (proto field names: JSON escapes control
// characters) and return true. Otherwise make it printable for a terminal (MakePrintable) and
// return false, so every command's readable output shows agency text escaped.
bool MaybePrintJson(google::protobuf::Message& message);
// Every string in `message`, at any depth, through Printable (common/text.h): control
// characters, bidirectional overrides and invalid UTF-8 shown as escapes, so text an agency
// wrote cannot rewrite or forge a line (issue 11, point 12).
void MakePrintable(google::protobuf::Message& message);

// A Philomena profile entry (GetPhilomenaProfile, or a release on the force's alert stream),
// indented under its heading. REQUIRES: MakePrintable already applied (MaybePrintJson does).
void PrintPhilomenaProfile(const v1::ChronologyEntry& entry);

absl::TimeZone DisplayZone();
std::string FormatTime(const google::protobuf::Timestamp& ts);  // "2026-11-03 19:10" in DisplayZone
std::string FormatDate(const v1::CivilDate& d);                   // "2011-03-14" or "?"
// Readable enum values: "no apparent risk", "away without authorisation", ...
std::string Readable(const std::string& enum_name, const std::string& prefix);

}  // namespace homeward::cli

#endif  // HOMEWARD_SERVICES_CLI_CLI_COMMON_H_
