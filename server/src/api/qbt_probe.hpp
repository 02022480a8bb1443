// Testing a qBittorrent connection for the administration pages (Réglages → qBittorrent and
// the servers): a throwaway client asks its version, Web API version and free space.
// Answers {"ok":true,"version","api_version","free_space"} or {"ok":false,"code","message"}
// (the message is for administrators: it may name the address). Runs on the I/O context.
#pragma once

#include "qbt/client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <string>

namespace essaim::api {

boost::asio::awaitable<boost::json::object> probe_qbittorrent(qbt::Connection conn);
// bad_credentials | banned | not_configured | tls | unreachable | protocol
const char* fail_code(const qbt::QbtError& e);
// A qBittorrent address as the settings accept it (http(s)://host:port), else ApiError 422
// naming `field`.
std::string checked_url(const std::string& v, const std::string& field);

}  // namespace essaim::api
