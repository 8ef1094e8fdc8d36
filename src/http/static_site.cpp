#include "http/static_site.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace huoyan::http {

namespace fs = std::filesystem;

std::string mime_type(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".webp", "image/webp"}, {".gif", "image/gif"},
      {".ico", "image/x-icon"}, {".woff", "font/woff"}, {".woff2", "font/woff2"}, {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"}, {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json"}};
  auto ext = fs::path(path).extension().string();
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

namespace {
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

size_t StaticSite::load(const std::string& root) {
  files_.clear();
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = "/" + fs::relative(entry.path(), root).generic_string();
    if (entry.path().extension() == ".gz") continue;
    File f{read_file(entry.path()), "", mime_type(rel)};
    fs::path gz = entry.path().string() + ".gz";
    if (fs::exists(gz)) f.gzip = read_file(gz);
    files_[rel] = std::move(f);
  }
  return files_.size();
}

std::optional<Reply> StaticSite::serve(const std::string& path, const std::string& accept_encoding) const {
  if (path.rfind("/api/", 0) == 0 || path == "/api") return std::nullopt;
  std::string key = path;
  if (key.empty() || key.back() == '/') key += "index.html";
  auto it = files_.find(key);
  bool fallback = false;
  if (it == files_.end()) {
    // A missing hashed asset is a real 404, not the app shell.
    if (path.rfind("/assets/", 0) == 0 || fs::path(path).has_extension()) return std::nullopt;
    fallback = true;
    // Each entry has its own shell: /m/ the field pages, /r/ the public report page, the rest the console.
    std::string shell = "/index.html";
    for (const char* entry : {"/m", "/r"})
      if (path == entry || path.rfind(std::string(entry) + "/", 0) == 0) shell = std::string(entry) + "/index.html";
    it = files_.find(shell);
    if (it == files_.end()) return std::nullopt;
  }
  Reply r;
  r.content_type = it->second.mime;
  bool immutable = !fallback && key.rfind("/assets/", 0) == 0;
  // Hashed assets never change; pages must be revalidated to pick up a new build.
  r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!it->second.gzip.empty()) {
    r.headers.emplace_back("Vary", "Accept-Encoding");
    if (accept_encoding.find("gzip") != std::string::npos) {
      r.headers.emplace_back("Content-Encoding", "gzip");
      r.body = it->second.gzip;
      return r;
    }
  }
  r.body = it->second.body;
  return r;
}

}  // namespace huoyan::http
