#include "common/grpc/metrics_interceptor.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/clock.h"

namespace homeward {
namespace {

constexpr char kRequests[] = "homeward_rpc_requests_total";
constexpr char kRequestsHelp[] = "gRPC calls answered, by method and status code";
constexpr char kDuration[] = "homeward_rpc_duration_seconds";
constexpr char kDurationHelp[] = "Time to answer a unary gRPC call, from its arrival to its status, in seconds";

class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(grpc::experimental::ServerRpcInfo* info, metrics::Metrics& metrics)
      : metrics_(metrics),
        method_(info->method() == nullptr ? "unknown" : info->method()),
        unary_(info->type() == grpc::experimental::ServerRpcInfo::Type::UNARY),
        start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

  ~MetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);  // ended with no status sent
  }

 private:
  void Record(grpc::StatusCode code) {
    if (recorded_) return;
    recorded_ = true;
    metrics_.GetCounter(kRequests, kRequestsHelp, {{"method", method_}, {"code", GrpcCodeName(code)}}).Increment();
    if (unary_) {
      metrics_.GetHistogram(kDuration, kDurationHelp, metrics::LatencyBuckets(), {{"method", method_}})
          .Observe(absl::ToDoubleSeconds(absl::Now() - start_));
    }
  }

  metrics::Metrics& metrics_;
  const std::string method_;
  const bool unary_;
  const absl::Time start_;
  bool recorded_ = false;
};

class MetricsInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(metrics::Metrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(info, metrics_);
  }

 private:
  metrics::Metrics& metrics_;
};

}  // namespace

const char* GrpcCodeName(grpc::StatusCode code) {
  static const std::string* const kNames = [] {
    auto* names = new std::string[17];
    for (int c = 0; c <= 16; ++c) names[c] = absl::StatusCodeToString(static_cast<absl::StatusCode>(c));
    return names;
  }();
  const int c = static_cast<int>(code);
  return c >= 0 && c <= 16 ? kNames[c].c_str() : "UNKNOWN";
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> MetricsInterceptors(
    metrics::Metrics& metrics) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<MetricsInterceptorFactory>(metrics));
  return factories;
}

}  // namespace homeward
