// Runs a fuzz target over files, for the ordinary (gcc) build: `make test` replays every seed
// and every crash reproducer in tests/fuzz/corpus/<target>/, so a fixed bug stays fixed. The
// coverage-guided runs (clang's libFuzzer) are `make soak`.
//
//   fuzz_event_corpus DIR_OR_FILE...
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  int inputs = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(argv[i])) {
      for (const auto& f : std::filesystem::recursive_directory_iterator(argv[i])) {
        if (f.is_regular_file()) files.push_back(f.path());
      }
    } else {
      files.emplace_back(argv[i]);
    }
    for (const auto& path : files) {
      std::ifstream in(path, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++inputs;
    }
  }
  std::cout << inputs << " inputs, no crash\n";
  return inputs > 0 ? 0 : 1;  // an empty corpus is a mistake, not a pass
}
