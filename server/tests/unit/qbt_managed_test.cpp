#include "qbt/managed.hpp"

#include <gtest/gtest.h>

using namespace essaim;

TEST(ManagedQbittorrent, PasswordHashFormatMatchesQbittorrent) {
    // Same salt and password as the Python recipe in shared/notes/qbittorrent.md.
    EXPECT_EQ(qbt::qbittorrent_password_hash("adminadmin", "0123456789abcdef"),
              "@ByteArray(MDEyMzQ1Njc4OWFiY2RlZg==:"
              "ZZS5EElovMoBVYDjMAaPI3BYalEsuNQNBCv4gjnI6KDYLC66zug9YBa5"
              "FIuP+3n/qFDM467FTFd4KkOdsg0Ugw==)");
}
