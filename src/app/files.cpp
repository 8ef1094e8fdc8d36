#include "app/files.h"

#include <sodium.h>

#include "app/audit.h"
#include "app/auth.h"
#include "domain/clock.h"
#include "domain/errors.h"

namespace huoyan::app {

std::string sniff_image(const std::string& b) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(b[i]); };
  size_t n = b.size();
  // JPEG: SOI marker at the start, EOI (FF D9) at the end (a few padding bytes allowed).
  if (n >= 4 && byte(0) == 0xFF && byte(1) == 0xD8 && byte(2) == 0xFF) {
    for (size_t i = n - 1; i >= 3 && i + 16 >= n; --i)
      if (byte(i - 1) == 0xFF && byte(i) == 0xD9) return "image/jpeg";
    return "";
  }
  // PNG: signature, a whole IHDR chunk first, and the IEND chunk last.
  if (n >= 8 && b.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    if (n >= 8 + 25 + 12 && b.compare(12, 4, "IHDR") == 0 && b.compare(n - 8, 4, "IEND") == 0) return "image/png";
    return "";
  }
  // WebP: RIFF whose declared size is the file's, then a VP8/VP8L/VP8X chunk.
  if (n >= 12 && b.compare(0, 4, "RIFF") == 0 && b.compare(8, 4, "WEBP") == 0) {
    size_t declared = byte(4) | (byte(5) << 8) | (byte(6) << 16) | (static_cast<size_t>(byte(7)) << 24);
    if (n >= 20 && declared + 8 == n && b.compare(12, 3, "VP8") == 0) return "image/webp";
    return "";
  }
  return "";
}

namespace {
uint32_t be32(const std::string& b, size_t i) {
  return (uint32_t(uint8_t(b[i])) << 24) | (uint32_t(uint8_t(b[i + 1])) << 16) | (uint32_t(uint8_t(b[i + 2])) << 8) | uint8_t(b[i + 3]);
}
uint32_t le32(const std::string& b, size_t i) {
  return uint8_t(b[i]) | (uint32_t(uint8_t(b[i + 1])) << 8) | (uint32_t(uint8_t(b[i + 2])) << 16) | (uint32_t(uint8_t(b[i + 3])) << 24);
}

std::optional<std::string> strip_jpeg(const std::string& b) {
  std::string out = b.substr(0, 2);  // SOI
  size_t i = 2;
  while (i + 4 <= b.size()) {
    if (uint8_t(b[i]) != 0xFF) return std::nullopt;
    uint8_t marker = uint8_t(b[i + 1]);
    if (marker == 0xFF) { ++i; continue; }  // fill byte
    if (marker == 0xD9) return out + "\xFF\xD9";  // EOI without a scan: nothing more to keep
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // markers without a length
      out.append(b, i, 2);
      i += 2;
      continue;
    }
    if (marker == 0xDA) {                    // start of scan: entropy-coded data to the end
      out.append(b, i, std::string::npos);
      return out;
    }
    size_t len = (size_t(uint8_t(b[i + 2])) << 8) | uint8_t(b[i + 3]);
    if (len < 2 || i + 2 + len > b.size()) return std::nullopt;
    // Keep APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform); drop the
    // other APPn (APP1 holds EXIF and XMP) and comments.
    bool drop = (marker >= 0xE1 && marker <= 0xEF && marker != 0xE2 && marker != 0xEE) || marker == 0xFE;
    if (!drop) out.append(b, i, 2 + len);
    i += 2 + len;
  }
  return std::nullopt;
}

std::optional<std::string> strip_png(const std::string& b) {
  std::string out = b.substr(0, 8);
  for (size_t i = 8; i < b.size();) {
    if (i + 12 > b.size()) return std::nullopt;
    size_t len = be32(b, i);
    if (len > b.size() - i - 12) return std::nullopt;
    std::string type = b.substr(i + 4, 4);
    if (type != "tEXt" && type != "zTXt" && type != "iTXt" && type != "eXIf" && type != "tIME") out.append(b, i, 12 + len);
    i += 12 + len;
    if (type == "IEND") return out;
  }
  return std::nullopt;
}

std::optional<std::string> strip_webp(const std::string& b) {
  std::string body;
  size_t vp8x = std::string::npos;
  for (size_t i = 12; i < b.size();) {
    if (i + 8 > b.size()) return std::nullopt;
    size_t len = le32(b, i + 4), padded = len + (len & 1);
    if (padded > b.size() - i - 8) return std::nullopt;
    std::string type = b.substr(i, 4);
    if (type != "EXIF" && type != "XMP ") {
      if (type == "VP8X" && len >= 1) vp8x = body.size() + 8;
      body.append(b, i, 8 + padded);
    }
    i += 8 + padded;
  }
  if (vp8x != std::string::npos) body[vp8x] = char(uint8_t(body[vp8x]) & ~0x0C);  // no EXIF, no XMP any more
  std::string out = "RIFF";
  uint32_t size = static_cast<uint32_t>(body.size() + 4);
  for (int k = 0; k < 4; ++k) out += char((size >> (8 * k)) & 0xFF);
  return out + "WEBP" + body;
}
}  // namespace

std::optional<std::string> strip_image_metadata(const std::string& bytes, const std::string& type) {
  if (type == "image/jpeg") return strip_jpeg(bytes);
  if (type == "image/png") return strip_png(bytes);
  if (type == "image/webp") return strip_webp(bytes);
  return std::nullopt;
}

nlohmann::json store_file(store::Db& db, const access::Caller& who, const std::string& declared_type, const std::string& bytes) {
  std::string declared = declared_type.substr(0, declared_type.find(';'));
  if (declared != "image/jpeg" && declared != "image/png" && declared != "image/webp")
    throw ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "只能上传 JPEG、PNG 或 WebP 图片");
  if (bytes.empty()) throw bad_request("REQUIRED", "文件为空");
  if (bytes.size() > kMaxUpload) throw ApiError(413, "BODY_TOO_LARGE", "文件过大（不能超过 5 MB）");
  std::string actual = sniff_image(bytes);
  if (actual.empty() || actual != declared)
    throw bad_request("FILE_TYPE_MISMATCH", "文件内容不是所声明的图片格式，或文件已损坏");
  std::optional<std::string> clean = strip_image_metadata(bytes, actual);
  if (!clean) throw bad_request("FILE_TYPE_MISMATCH", "文件内容不是所声明的图片格式，或文件已损坏");
  const std::string& kept = *clean;
  std::string b64(sodium_base64_ENCODED_LEN(kept.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(b64.data(), b64.size(), reinterpret_cast<const unsigned char*>(kept.data()), kept.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  b64.resize(std::strlen(b64.c_str()));
  std::string id = random_token(18);
  db.write([&](store::Conn& c) {
    c.exec("INSERT INTO files (id, sha256, content_type, size, data, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
           {id, sha256_hex(kept), actual, static_cast<long long>(kept.size()), b64,
            who.user_id ? store::Value(who.user_id) : store::Value(nullptr), clock::iso_utc(clock::now())});
  });
  return {{"id", id}, {"contentType", actual}, {"size", kept.size()}};
}

std::optional<StoredFile> load_file(store::Db& db, const std::string& id) {
  if (id.empty() || id.size() > 64) return std::nullopt;
  auto row = db.read([&](store::Conn& c) { return c.row("SELECT content_type, data FROM files WHERE id = ?", {id}); });
  if (!row) return std::nullopt;
  std::string b64 = (*row)["data"];
  std::string bytes(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), b64.c_str(), b64.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  bytes.resize(len);
  return StoredFile{(*row)["content_type"], bytes};
}

nlohmann::json read_file_ids(const nlohmann::json& body, const char* field, size_t max_items) {
  using nlohmann::json;
  json out = json::array();
  if (!body.contains(field) || body[field].is_null()) return out;
  if (body[field].size() > max_items) throw bad_request("INVALID_VALUE", "照片最多 " + std::to_string(max_items) + " 张", field);
  for (const auto& id : body[field]) {
    std::string s = id.get<std::string>();
    if (s.empty() || s.size() > 64) throw bad_request("INVALID_VALUE", "照片编号无效", field);
    out.push_back(s);
  }
  return out;
}

void check_files_exist(store::Conn& c, const nlohmann::json& ids, const char* field) {
  for (const auto& f : ids)
    if (!c.row("SELECT id FROM files WHERE id = ?", {f.get<std::string>()})) throw bad_request("FILE_NOT_FOUND", "照片不存在，请重新上传", field);
}

std::optional<std::string> read_signature(const nlohmann::json& body) {
  if (!body.contains("signature") || body["signature"].is_null()) return std::nullopt;
  if (!body["signature"].is_string()) throw bad_request("INVALID_TYPE", "签名须为上传后的图片编号", "signature");
  std::string id = body["signature"].get<std::string>();
  if (id.empty() || id.size() > 64) throw bad_request("INVALID_VALUE", "签名图片编号无效", "signature");
  return id;
}

void check_signature(store::Conn& c, const std::string& id, long long user_id) {
  auto f = c.row("SELECT content_type, uploaded_by FROM files WHERE id = ?", {id});
  if (!f) throw bad_request("FILE_NOT_FOUND", "签名图片不存在，请重新签名", "signature");
  if ((*f)["content_type"] != "image/png" || (*f)["uploaded_by"].is_null() || store::as_id((*f)["uploaded_by"]) != user_id)
    throw bad_request("SIGNATURE_INVALID", "签名须为本人在此签下的图片", "signature");
}

}  // namespace huoyan::app
