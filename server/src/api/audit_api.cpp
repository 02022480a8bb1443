// GET /api/admin/audit: the audit log for administrators, filtered and paginated. Read-only:
// no route edits or deletes an entry.
#include "api/context.hpp"
#include "api/errors.hpp"
#include "qbt/registry.hpp"
#include "util/strings.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace essaim::api {
namespace json = boost::json;

namespace {

std::optional<std::int64_t> int_param(const http::Request& req, const char* name) {
    auto v = req.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    auto n = str::parse_uint(*v);
    if (!n)
        throw ApiError(400, "invalid_parameter",
                       std::string("Paramètre « ") + name + " » invalide.", name);
    return n;
}

// The name of what an entry is about, as it is now, for a journal people read: a user's display
// name, a group's name, a torrent's name (from the registry, which keeps removed torrents'
// rows). Null when it is gone (a deleted user or group). One lookup per target per page.
class TargetNames {
  public:
    explicit TargetNames(const Context& ctx)
        : ctx_(ctx), snap_(ctx.registry ? ctx.registry->snapshot() : nullptr) {}

    json::value operator()(const std::string& type, const std::string& id) {
        auto key = type + ':' + id;
        auto it = cache_.find(key);
        if (it == cache_.end()) it = cache_.emplace(key, lookup(type, id)).first;
        return it->second;
    }

  private:
    json::value lookup(const std::string& type, const std::string& id) {
        if (type == "torrent" && snap_) {
            if (const auto* e = snap_->find(id); e && !e->name.empty()) return json::value(e->name);
            return nullptr;
        }
        auto n = str::parse_uint(id);
        if (!n) return nullptr;
        if (type == "user")
            if (auto u = ctx_.store.user_by_id(*n)) return json::value(u->display_name);
        if (type == "group")
            if (auto g = ctx_.store.group_by_id(*n)) return json::value(g->name);
        return nullptr;
    }

    const Context& ctx_;
    std::shared_ptr<const qbt::Snapshot> snap_;
    std::map<std::string, json::value> cache_;
};

http::Response list(const Context& ctx, http::Request& req) {
    require_admin(ctx, req);
    store::AuditFilter f;
    f.actor = req.query_param("actor").value_or("");
    f.action = req.query_param("action").value_or("");
    f.from = int_param(req, "from");
    f.to = int_param(req, "to");
    auto page = std::max<std::int64_t>(1, int_param(req, "page").value_or(1));
    f.limit = std::clamp<std::int64_t>(int_param(req, "per_page").value_or(50), 1, 200);
    f.offset = (page - 1) * f.limit;
    std::int64_t total = 0;
    json::array entries;
    TargetNames names(ctx);
    for (const auto& r : ctx.store.audit_entries(f, total)) {
        boost::system::error_code ec;
        auto details = json::parse(r.details_json, ec);
        entries.push_back(json::object{
            {"id", r.id},
            {"at", r.at},
            {"actor_id", r.actor_id ? json::value(*r.actor_id) : json::value(nullptr)},
            {"actor_name", r.actor_name},
            {"action", r.action},
            {"target_type", r.target_type},
            {"target_id", r.target_id},
            {"target_name", names(r.target_type, r.target_id)},
            {"details", ec || !details.is_object() ? json::value(json::object{}) : details},
            {"ip", r.ip}});
    }
    json::array actions;
    for (auto& a : ctx.store.audit_actions()) actions.emplace_back(a);
    return http::Response::json(200, json::object{{"entries", std::move(entries)},
                                                  {"total", total},
                                                  {"page", page},
                                                  {"per_page", f.limit},
                                                  {"actions", std::move(actions)}});
}

}  // namespace

void register_audit_routes(http::Router& r, const Context& ctx) {
    r.add(
        "GET", "/api/admin/audit", [&ctx](http::Request& q) { return list(ctx, q); },
        http::Exec::worker);
}

}  // namespace essaim::api
