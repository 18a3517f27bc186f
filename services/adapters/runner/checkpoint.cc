#include "services/adapters/runner/checkpoint.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homeward::adapters {
namespace {

absl::Status FsyncPath(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot open ", path, " to flush"));
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? absl::OkStatus() : absl::InternalError(absl::StrCat("fsync ", path, " failed"));
}

}  // namespace

std::string FileCheckpointStore::PathFor(const std::string& key) const {
  return absl::StrCat(directory_, "/", key, ".checkpoint");
}

absl::StatusOr<std::optional<Checkpoint>> FileCheckpointStore::Load(const std::string& key) {
  std::ifstream in(PathFor(key));
  if (!in) return std::nullopt;
  Checkpoint c;
  int malformed_done = 0;
  if (!(in >> malformed_done >> c.next_row) || c.next_row < 0) {
    return absl::DataLossError(absl::StrCat("checkpoint ", PathFor(key), " is unreadable; remove it to start afresh"));
  }
  c.malformed_done = malformed_done != 0;
  return c;
}

absl::Status FileCheckpointStore::Save(const std::string& key, const Checkpoint& checkpoint) {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", directory_, ": ", ec.message()));
  const std::string path = PathFor(key);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << (checkpoint.malformed_done ? 1 : 0) << " " << checkpoint.next_row << "\n";
    if (!out.flush()) return absl::InternalError(absl::StrCat("cannot write ", tmp));
  }
  if (absl::Status s = FsyncPath(tmp, O_RDONLY); !s.ok()) return s;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return absl::InternalError(absl::StrCat("cannot rename ", tmp));
  return FsyncPath(directory_, O_RDONLY | O_DIRECTORY);  // make the rename itself durable
}

absl::StatusOr<std::string> CheckpointKeyForFile(const std::string& agency_id, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    EVP_DigestUpdate(ctx.get(), buffer, static_cast<size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  const std::string hex = absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(digest), length));
  return absl::StrCat(agency_id, "-", hex.substr(0, 32));
}

}  // namespace homeward::adapters
