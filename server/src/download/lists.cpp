#include "download/lists.hpp"

#include "util/strings.hpp"

namespace essaim::download {
namespace {

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // XML 1.0 cannot carry most control characters, even escaped.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                    out += "\xEF\xBF\xBD";
                else
                    out += c;
        }
    }
    return out;
}

}  // namespace

std::string metalink4(const std::vector<ListedFile>& files) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n"
        "  <generator>essaim</generator>\n";
    for (const auto& f : files) {
        out += "  <file name=\"" + xml_escape(str::to_valid_utf8(f.name)) + "\">\n";
        if (f.size) out += "    <size>" + std::to_string(*f.size) + "</size>\n";
        out += "    <url>" + xml_escape(f.url) + "</url>\n";
        out += "  </file>\n";
    }
    out += "</metalink>\n";
    return out;
}

std::string url_list(const std::vector<ListedFile>& files) {
    std::string out;
    for (const auto& f : files) out += f.url + "\n";
    return out;
}

}  // namespace essaim::download
