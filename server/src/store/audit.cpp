#include "store/audit.hpp"

#include <boost/json/serialize.hpp>

namespace essaim::store {

void audit(Store& s, const Actor& who, std::string_view action, std::string_view target_type,
           std::string_view target_id, const boost::json::object& details) {
    s.audit({who.id, who.name, std::string(action), std::string(target_type),
             std::string(target_id), boost::json::serialize(details), who.ip});
}

}  // namespace essaim::store
