// Fetching a torrent given by URL (add by URL, a Jackett result's link): the only place where
// essaim requests an address a user chose, so the one place for its rules:
//   - http(s) only; redirects followed by hand (at most 5), each hop checked again; a redirect
//     to a `magnet:` URI is accepted (Jackett's links do that);
//   - with `allowed_origin` (a Jackett result), every hop must stay on that origin;
//   - unless `allow_private`, every address the host name resolves to must be public
//     (no loopback, private, link-local, multicast, unspecified — IPv4, IPv6, IPv4-mapped), and
//     the connection goes to the very address that was checked (no second resolution);
//   - 10 MiB and 20 s at most for the whole fetch.
// Errors are torrent::TorrentError with a French message that never tells an open port from a
// closed one nor shows a host, an address or a port: "adresse refusée" (url_refused) or
// "inaccessible" (url_fetch_failed); the details go to the log (info). A real HTTP answer's
// status is said ("HTTP 404"): it comes from an address essaim was allowed to contact.
// Asynchronous: holds no thread while it waits.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>
#include <utility>

namespace essaim::qbt {

struct UrlPolicy {
    std::string allowed_origin;  // "http://host:port" (url_origin), or "" for any
    bool allow_private = false;  // setting general.allow_private_targets
};

// {"magnet", uri} or {"torrent", bytes}. Throws torrent::TorrentError (url_fetch_failed,
// url_refused, not_a_torrent, torrent_too_large).
boost::asio::awaitable<std::pair<std::string, std::string>> fetch_torrent_url(std::string url,
                                                                              UrlPolicy policy);

// "http://host:port" of a URL (default port made explicit), or "" when it is not http(s).
std::string url_origin(const std::string& url);

}  // namespace essaim::qbt
