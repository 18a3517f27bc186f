#!/usr/bin/env bash
# Checks on the source tree that a compiler cannot make (ctest label: unit):
#  1. Only common/json/ includes nlohmann-json: its accessors throw (or abort) on untrusted
#     input, so every other reader goes through common/json/json.h (issue 11, point 16).
#  2. Domain code includes no transport or storage header (gRPC, librdkafka, SQLite, protobuf).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
status=0
json=$(grep -rlE '#include *[<"]nlohmann/' common services tests --include='*.cc' --include='*.h' | grep -v '^common/json/')
if [ -n "$json" ]; then
  echo "FAIL: nlohmann-json used outside common/json (use common/json/json.h):"; echo "$json"; status=1
fi
leaks=$(grep -rlE '#include *[<"](grpcpp|grpc\+\+|librdkafka|sqlite3|google/protobuf)' common/domain services/*/domain)
if [ -n "$leaks" ]; then
  echo "FAIL: domain code includes a transport or storage header:"; echo "$leaks"; status=1
fi
[ $status -eq 0 ] && echo "source checks passed"
exit $status
