// The rows every database has from its first migration: the two built-in groups, which cannot
// be deleted (the first administrator joins the first; new accounts join the second unless the
// setting default_group names another).
#pragma once

#include <cstdint>

namespace essaim::store {

inline constexpr std::int64_t kAdminsGroupId = 1;  // "Administrateurs"
inline constexpr std::int64_t kUsersGroupId = 2;   // "Utilisateurs"
inline constexpr const char* kAdminsGroupName = "Administrateurs";
inline constexpr const char* kUsersGroupName = "Utilisateurs";

}  // namespace essaim::store
