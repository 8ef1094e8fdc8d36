#pragma once
// Uploaded photos, kept in the database. Only JPEG, PNG and WebP, recognised
// by their content (not the name or the declared type alone), at most 5 MB.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/access.h"
#include "store/db.h"

namespace huoyan::app {

constexpr size_t kMaxUpload = 5u << 20;

// The image type of `bytes` ("image/jpeg", "image/png", "image/webp") when the
// file is whole (start and end markers, declared sizes), or empty.
std::string sniff_image(const std::string& bytes);

// The same image without what may identify its author or place: EXIF (GPS,
// camera serials), XMP, comments and text chunks. nullopt when the file's
// structure is broken. `type` is what sniff_image returned.
std::optional<std::string> strip_image_metadata(const std::string& bytes, const std::string& type);

// Stores an uploaded image with its metadata removed; `who` may be an anonymous caller (public reports).
nlohmann::json store_file(store::Db& db, const access::Caller& who, const std::string& declared_type, const std::string& bytes);

// The file ids in body[field] (absent or null: none), at most `max_items`, each
// a plausible id; INVALID_VALUE on `field` otherwise.
nlohmann::json read_file_ids(const nlohmann::json& body, const char* field, size_t max_items = 12);
// FILE_NOT_FOUND on `field` unless every id names an uploaded file.
void check_files_exist(store::Conn& c, const nlohmann::json& ids, const char* field);

// A handwritten signature (签名) a command may carry: body["signature"], the id of a PNG the signer drew and
// uploaded. nullopt when absent or null; INVALID_VALUE on "signature" when not a plausible id.
std::optional<std::string> read_signature(const nlohmann::json& body);
// FILE_NOT_FOUND unless the signature was uploaded; SIGNATURE_INVALID unless it is a PNG that `user_id` uploaded
// (nobody signs with another's drawing).
void check_signature(store::Conn& c, const std::string& id, long long user_id);

struct StoredFile {
  std::string content_type, bytes;
};
std::optional<StoredFile> load_file(store::Db& db, const std::string& id);

}  // namespace huoyan::app
