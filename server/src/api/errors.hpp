// The one error type of the API layer and helpers to read JSON bodies.
//
// Handlers throw ApiError; the server catches it at the handler boundary and answers
// {"error":{"code":…,"message":…,"field"?:…}} with the status. Any other exception becomes a
// 500 `internal_error` (logged with the request id, never shown to the client).
#pragma once

#include "auth/denied.hpp"

#include "http/message.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <stdexcept>
#include <string>

namespace essaim::api {

class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::string code, std::string message, std::string field = {})
        : std::runtime_error(message),
          status_(status),
          code_(std::move(code)),
          field_(std::move(field)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    const std::string& field() const { return field_; }
    // Extra response headers (e.g. Retry-After on 429, Allow on 405).
    std::vector<std::pair<std::string, std::string>> headers;

  private:
    int status_;
    std::string code_;
    std::string field_;
};

http::Response error_response(int status, std::string_view code, std::string_view message,
                              std::string_view field = {});
http::Response error_response(const ApiError& e);
// A refusal decided by auth: invalid → 422, forbidden → 403, conflict → 409.
http::Response error_response(const auth::Denied& e);

// Parses the body as a JSON object. Throws 415 unless the content type is JSON,
// 400 `invalid_json` when it does not parse, is not an object, or is not valid UTF-8.
boost::json::object parse_json_object(const http::Request& req);

// Typed field access: absent (or null when allow_null) gives nullopt; a wrong type throws
// 400 invalid_json naming the field.
std::optional<std::string> opt_string(const boost::json::object& o, std::string_view key);
std::string req_string(const boost::json::object& o, std::string_view key);
std::optional<bool> opt_bool(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> opt_int(const boost::json::object& o, std::string_view key);
// True when the key is present with the value null.
bool is_null(const boost::json::object& o, std::string_view key);

}  // namespace essaim::api
