#include "qbt/webapi.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <cstdio>

namespace essaim::qbt {

ApiVersion parse_api_version(const std::string& s) {
    ApiVersion v;
    std::sscanf(s.c_str(), "%d.%d.%d", &v.major, &v.minor, &v.patch);
    return v;
}

std::string form_encode(std::string_view v) {
    return boost::urls::encode(v, boost::urls::unreserved_chars);
}

}  // namespace essaim::qbt
