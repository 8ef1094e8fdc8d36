#pragma once
// The request pipeline between the transport and a route's handler:
// authentication, password-change gate, CSRF, permission, body checks, then
// the handler, with every failure turned into a JSON error. No RESTinio here.
#include "http/api.h"

namespace huoyan::http {

constexpr size_t kMaxJsonBody = 1 << 20;  // 1 MiB

Reply dispatch(const Route& route, const Request& req, store::Db& db);

// Checks a parsed body against the route's declared fields: an object,
// no unknown fields, each known field of its declared type (null allowed).
// Throws ApiError UNKNOWN_FIELD / INVALID_TYPE.
void check_body_shape(const Route& route, const json& body);

}  // namespace huoyan::http
