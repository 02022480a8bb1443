#include "auth/jwt.hpp"

#include "util/crypto.hpp"

#include <boost/json.hpp>

namespace essaim::auth {
namespace {

const std::string& header_b64() {
    static const std::string h = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
    return h;
}

}  // namespace

std::string jwt_encode(const SessionClaims& c, std::string_view key) {
    boost::json::object payload{{"sub", std::to_string(c.user_id)},
                                {"tv", c.token_version},
                                {"sid", c.session_id},
                                {"iat", c.issued_at},
                                {"exp", c.expires_at}};
    std::string signing_input =
        header_b64() + "." + crypto::base64url_encode(boost::json::serialize(payload));
    return signing_input + "." + crypto::base64url_encode(crypto::hmac_sha256(key, signing_input));
}

std::optional<SessionClaims> jwt_decode(std::string_view token, std::string_view key,
                                        std::int64_t now) {
    auto d1 = token.find('.');
    if (d1 == std::string_view::npos) return std::nullopt;
    auto d2 = token.find('.', d1 + 1);
    if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
        return std::nullopt;
    auto header = crypto::base64url_decode(token.substr(0, d1));
    auto payload = crypto::base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
    auto sig = crypto::base64url_decode(token.substr(d2 + 1));
    if (!header || !payload || !sig) return std::nullopt;

    // Check the algorithm before anything else: only HS256 is ever accepted.
    boost::system::error_code ec;
    auto hv = boost::json::parse(*header, ec);
    if (ec || !hv.is_object()) return std::nullopt;
    auto* alg = hv.as_object().if_contains("alg");
    if (!alg || !alg->is_string() || alg->as_string() != "HS256") return std::nullopt;

    auto expected = crypto::hmac_sha256(key, token.substr(0, d2));
    if (!crypto::constant_time_equal(expected, *sig)) return std::nullopt;

    auto pv = boost::json::parse(*payload, ec);
    if (ec || !pv.is_object()) return std::nullopt;
    const auto& o = pv.as_object();
    auto int_of = [&](std::string_view k) -> std::optional<std::int64_t> {
        auto* v = o.if_contains(k);
        if (!v || !v->is_int64()) return std::nullopt;
        return v->as_int64();
    };
    auto* sub = o.if_contains("sub");
    auto* sid = o.if_contains("sid");
    auto tv = int_of("tv"), iat = int_of("iat"), exp = int_of("exp");
    if (!sub || !sub->is_string() || !sid || !sid->is_string() || !tv || !iat || !exp)
        return std::nullopt;
    SessionClaims c;
    try {
        std::size_t used = 0;
        std::string s(sub->as_string());
        c.user_id = std::stoll(s, &used);
        if (used != s.size()) return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
    c.session_id = std::string(sid->as_string());
    c.token_version = *tv;
    c.issued_at = *iat;
    c.expires_at = *exp;
    if (c.expires_at <= now) return std::nullopt;
    return c;
}

}  // namespace essaim::auth
