#pragma once
// The built web app, loaded into memory at start: each file with its MIME
// type and, when the build wrote one, its precompressed .gz twin. Unknown
// paths fall back to the entry page of their app (history-mode routing).
#include <map>
#include <optional>
#include <string>

#include "http/api.h"

namespace huoyan::http {

class StaticSite {
 public:
  // Loads every file under `root`; returns the number of files (0 if none).
  size_t load(const std::string& root);
  // nullopt when the path is not for the web app (e.g. under /api/).
  std::optional<Reply> serve(const std::string& path, const std::string& accept_encoding) const;

 private:
  struct File {
    std::string body, gzip, mime;
  };
  std::map<std::string, File> files_;  // "/assets/index-abc.js"
};

std::string mime_type(const std::string& path);

}  // namespace huoyan::http
