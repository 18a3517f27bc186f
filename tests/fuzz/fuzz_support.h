// File: fuzz_support.h
//
// What the fuzz targets share: every agency mapping in config/mappings/, loaded once, and a
// fixed "now" so a run is repeatable.
#ifndef HOMEWARD_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define HOMEWARD_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/adapters/domain/formats.h"
#include "services/adapters/domain/source_mapping.h"
#include "services/adapters/io/mapping_file.h"

namespace homeward::fuzz {

inline absl::Time FixedNow() { return absl::FromUnixSeconds(1795780800); }  // 2026-11-27T12:00:00Z

// (mapping, its format) for every mapping file shipped.
inline const std::vector<std::pair<adapters::SourceMapping, adapters::Format>>& Mappings() {
  static const auto* all = [] {
    auto* out = new std::vector<std::pair<adapters::SourceMapping, adapters::Format>>;
    for (const auto& file : std::filesystem::directory_iterator(std::string(HOMEWARD_SOURCE_DIR) + "/config/mappings")) {
      auto mapping = adapters::LoadMappingFile(file.path().string());
      auto format = mapping.ok() ? adapters::FindFormat(mapping->format) : mapping.status();
      if (!mapping.ok() || !format.ok()) {
        std::cerr << file.path() << ": " << (mapping.ok() ? format.status() : mapping.status()) << "\n";
        std::abort();
      }
      out->emplace_back(*std::move(mapping), *std::move(format));
    }
    return out;
  }();
  return *all;
}

}  // namespace homeward::fuzz

#endif  // HOMEWARD_TESTS_FUZZ_FUZZ_SUPPORT_H_
