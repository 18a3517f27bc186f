#include "common/metrics/metrics_flags.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "common/logging.h"

ABSL_FLAG(std::string, metrics_listen, "",
          "Serve /metrics (Prometheus), /healthz and /readyz over plain HTTP on this host:port, apart from the "
          "service's own port (keep it on loopback, or let only the scraper reach it); empty = off");

namespace homeward::metrics {
namespace {

// The process's CPU seconds and resident bytes, from /proc/self/stat (fields 14, 15 and 24).
void ReadProcStat(double& cpu_seconds, double& resident_bytes) {
  std::ifstream file("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  double utime = 0, stime = 0, rss_pages = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::atof(field.c_str());
    if (i == 15) stime = std::atof(field.c_str());
    if (i == 24) {
      rss_pages = std::atof(field.c_str());
      break;
    }
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  cpu_seconds = (utime + stime) / ticks;
  resident_bytes = rss_pages * static_cast<double>(sysconf(_SC_PAGESIZE));
}

int OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int n = 0;
  while (readdir(dir) != nullptr) ++n;
  closedir(dir);
  return n - 3;  // ".", ".." and the directory itself
}

}  // namespace

absl::StatusOr<ServiceEndpoint> StartServiceEndpoint(Registry& registry, const std::string& program,
                                                     std::function<Readiness()> readiness) {
  registry.GetGauge("homeward_build_info", "Always 1: the program and its version",
                    {{"program", program}, {"version", HOMEWARD_VERSION}})
      .Set(1);
  registry.GetGauge("process_start_time_seconds", "When the process started, in seconds since the Unix epoch")
      .Set(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  ServiceEndpoint endpoint;
  endpoint.process = registry.AddCollector([&registry] {
    double cpu = 0, resident = 0;
    ReadProcStat(cpu, resident);
    registry.GetCounter("process_cpu_seconds_total", "User and system CPU time spent, in seconds").AdvanceTo(cpu);
    registry.GetGauge("process_resident_memory_bytes", "Resident memory size, in bytes").Set(resident);
    registry.GetGauge("process_open_fds", "Open file descriptors").Set(OpenFds());
  });
  const std::string listen = absl::GetFlag(FLAGS_metrics_listen);
  if (listen.empty()) return endpoint;
  absl::StatusOr<std::unique_ptr<HttpEndpoint>> http =
      HttpEndpoint::Start({.listen = listen, .registry = &registry, .readiness = std::move(readiness)});
  if (!http.ok()) return http.status();
  endpoint.http = *std::move(http);
  const auto host = SplitHostPort(listen);
  if (host.ok() && !IsLoopback(host->first)) {
    log::Warn("metrics and probes on {} are plain HTTP with no authentication: let only the scraper reach them",
              listen);
  }
  log::Info("metrics on http://{}:{}/metrics (probes /healthz, /readyz)", host.ok() ? host->first : listen,
            endpoint.http->port());
  return endpoint;
}

}  // namespace homeward::metrics
