#include "api/errors.hpp"

#include "util/strings.hpp"

#include <boost/json/parse.hpp>

namespace essaim::api {

http::Response error_response(int status, std::string_view code, std::string_view message,
                              std::string_view field) {
    boost::json::object err{{"code", code}, {"message", message}};
    if (!field.empty()) err["field"] = field;
    return http::Response::json(status, boost::json::object{{"error", std::move(err)}});
}

http::Response error_response(const ApiError& e) {
    auto r = error_response(e.status(), e.code(), e.what(), e.field());
    for (const auto& [k, v] : e.headers) r.set_header(k, v);
    return r;
}

http::Response error_response(const auth::Denied& e) {
    int status = e.kind == auth::Denied::Kind::forbidden  ? 403
                 : e.kind == auth::Denied::Kind::conflict ? 409
                                                          : 422;
    return error_response(status, e.code, e.what(), e.field);
}

boost::json::object parse_json_object(const http::Request& req) {
    auto ct = str::to_lower(req.header("content-type"));
    if (ct.rfind("application/json", 0) != 0)
        throw ApiError(
            415, "unsupported_media_type",
            "Le corps de la requête doit être du JSON (Content-Type: application/json).");
    if (!str::is_valid_utf8(req.body))
        throw ApiError(400, "invalid_json", "Le corps de la requête n'est pas de l'UTF-8 valide.");
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec) throw ApiError(400, "invalid_json", "Le corps de la requête n'est pas un JSON valide.");
    if (!v.is_object())
        throw ApiError(400, "invalid_json", "Le corps de la requête doit être un objet JSON.");
    return std::move(v.as_object());
}

namespace {
[[noreturn]] void wrong_type(std::string_view key, std::string_view expected) {
    throw ApiError(400, "invalid_json",
                   "Le champ « " + std::string(key) + " » doit être " + std::string(expected) + ".",
                   std::string(key));
}
}  // namespace

std::optional<std::string> opt_string(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_string()) wrong_type(key, "une chaîne de caractères");
    return std::string(it->value().as_string());
}

std::string req_string(const boost::json::object& o, std::string_view key) {
    auto v = opt_string(o, key);
    if (!v)
        throw ApiError(422, "missing_field",
                       "Le champ « " + std::string(key) + " » est obligatoire.", std::string(key));
    return *v;
}

std::optional<bool> opt_bool(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_bool()) wrong_type(key, "un booléen");
    return it->value().as_bool();
}

std::optional<std::int64_t> opt_int(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    if (it->value().is_int64()) return it->value().as_int64();
    if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX)
        return static_cast<std::int64_t>(it->value().as_uint64());
    wrong_type(key, "un nombre entier");
}

bool is_null(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_null();
}

}  // namespace essaim::api
