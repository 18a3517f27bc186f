# Every external dependency is found here, once, as Debian 12 packages it.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Protobuf REQUIRED)
find_package(absl REQUIRED)
find_package(spdlog REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)

# gRPC: Debian ships pkg-config files; reflection has none (see ../shared notes).
pkg_check_modules(GRPCPP REQUIRED IMPORTED_TARGET grpc++)
add_library(homeward_grpcpp INTERFACE)
target_link_libraries(homeward_grpcpp INTERFACE PkgConfig::GRPCPP grpc++_reflection)
find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)

find_library(CSV_LIBRARY csv REQUIRED)
find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
add_library(homeward_csv INTERFACE)
target_link_libraries(homeward_csv INTERFACE ${CSV_LIBRARY})
target_include_directories(homeward_csv INTERFACE ${CSV_INCLUDE_DIR})

# cpp-httplib with OpenSSL (Debian ships it compiled, without a CMake config): the web
# workspace's HTTPS listener, and the webhook receiver in tests.
find_library(HTTPLIB_LIBRARY cpp-httplib REQUIRED)

if(HOMEWARD_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()

if(HOMEWARD_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
