// What auth decides against a request — an invalid field, a missing permission, a name already
// taken — as its own error: a kind, a stable code, a French message and the field it is about.
// api/ maps the kind to an HTTP status (invalid 422, forbidden 403, conflict 409); nothing in
// auth knows HTTP.
#pragma once

#include <stdexcept>
#include <string>

namespace essaim::auth {

struct Denied : std::runtime_error {
    enum class Kind { invalid, forbidden, conflict };
    Denied(Kind kind, std::string code, const std::string& french_message, std::string field = {})
        : std::runtime_error(french_message),
          kind(kind),
          code(std::move(code)),
          field(std::move(field)) {}
    Kind kind;
    std::string code;
    std::string field;
};

}  // namespace essaim::auth
