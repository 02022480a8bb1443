// The one way to write the audit log: who (a user, or essaim itself / the CLI), what, on what,
// with typed details (a JSON object, serialised here). Store::audit keeps the rows.
#pragma once

#include "store/store.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essaim::store {

struct Actor {
    std::optional<std::int64_t> id;  // nullopt: not a user (essaim, the CLI, a failed sign-in)
    std::string name;
    std::string ip;  // "" outside a request

    static Actor of(const User& u, std::string ip = {}) {
        return {u.id, u.username, std::move(ip)};
    }
    static Actor system(std::string name) { return {std::nullopt, std::move(name), {}}; }
};

void audit(Store& s, const Actor& who, std::string_view action, std::string_view target_type,
           std::string_view target_id, const boost::json::object& details = {});

}  // namespace essaim::store
