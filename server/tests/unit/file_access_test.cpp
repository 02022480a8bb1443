// Per-user folders and the one rule for reaching a torrent's files (download/layout.hpp,
// download/file_access.hpp): pure functions, checked on the attacks of issue 16.
#include "download/file_access.hpp"
#include "download/layout.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace essaim::download;

TEST(Layout, FolderIsTheLowerCaseUserNameThenNumbered) {
    std::set<std::string> taken;
    auto in_use = [&](const std::string& n) { return taken.count(n) > 0; };
    EXPECT_EQ(choose_folder("Alice", in_use), "alice");
    taken = {"alice", "alice-2"};
    EXPECT_EQ(choose_folder("alice", in_use), "alice-3");
    EXPECT_EQ(choose_folder("Jean.Dupont_2", {}), "jean.dupont_2");
    // Not a usable name: a fixed one (user names are [A-Za-z0-9._-]{3,32}, so only by bug).
    EXPECT_EQ(choose_folder("a/b", {}), "a-b");
    EXPECT_EQ(choose_folder("..", {}), "utilisateur");
    EXPECT_EQ(choose_folder("", {}), "utilisateur");
}

TEST(Layout, UserDirAndInside) {
    EXPECT_EQ(user_dir("/srv/dl", "alice"), "/srv/dl/alice");
    EXPECT_EQ(user_dir("/srv/dl/", "alice"), "/srv/dl/alice");
    EXPECT_EQ(user_dir("/", "alice"), "/alice");
    EXPECT_EQ(user_dir("srv/dl", "alice"), "");  // not absolute
    EXPECT_EQ(user_dir("/srv/dl", ".."), "");    // not a folder name
    EXPECT_EQ(user_dir("/srv/dl", "a/b"), "");
    EXPECT_EQ(user_dir("/srv/../etc", "alice"), "");

    EXPECT_TRUE(path_inside("/srv/dl/alice", "/srv/dl/alice"));
    EXPECT_TRUE(path_inside("/srv/dl/alice", "/srv/dl/alice/x/y"));
    EXPECT_TRUE(path_inside("/srv/dl/alice/", "/srv/dl/alice/x"));
    EXPECT_FALSE(path_inside("/srv/dl/alice", "/srv/dl/alice2/x"));  // segment-wise
    EXPECT_FALSE(path_inside("/srv/dl/alice", "/srv/dl/alice/../bob/x"));
    EXPECT_FALSE(path_inside("/srv/dl/alice", "/srv/dl"));
    EXPECT_TRUE(path_inside("/", "/anything"));
    EXPECT_EQ(relative_inside("/srv/dl", "/srv/dl/alice/a b"), "alice/a b");
    EXPECT_EQ(relative_inside("/srv/dl", "/srv/dl"), "");

    EXPECT_TRUE(paths_overlap("/srv/dl/bob", "/srv/dl/bob/secret.bin"));
    EXPECT_TRUE(paths_overlap("/srv/dl/bob/secret.bin", "/srv/dl/bob"));
    EXPECT_FALSE(paths_overlap("/srv/dl/bob", "/srv/dl/bobby"));
}

TEST(Layout, Placement) {
    EXPECT_EQ(placement_of("/srv/dl", "alice", "/srv/dl/alice"), Placement::user_folder);
    EXPECT_EQ(placement_of("/srv/dl", "alice", "/srv/dl/alice/films"), Placement::user_folder);
    EXPECT_EQ(placement_of("/srv/dl", "alice", "/srv/dl"), Placement::shared);
    EXPECT_EQ(placement_of("/srv/dl", "alice", "/srv/dl/bob"), Placement::shared);
    EXPECT_EQ(placement_of("/srv/dl", "", "/srv/dl/x"), Placement::shared);  // no owner
    EXPECT_EQ(placement_of("/srv/dl", "alice", "/mnt/other"), Placement::elsewhere);
    EXPECT_EQ(placement_of("", "alice", "/srv/dl/alice"), Placement::elsewhere);
    EXPECT_EQ(placement_of("/srv/dl", "alice", ""), Placement::elsewhere);
}

TEST(FileAccess, OnlyCompleteNonEmptyFilesInsideTheOwnersFolder) {
    auto allowed = allowed_dir("/srv/dl", "alice", Placement::user_folder);
    EXPECT_EQ(allowed, "/srv/dl/alice");
    auto ok = check_file("/srv/dl", allowed, "/srv/dl/alice", "Film/a.mkv", 100, 1.0);
    EXPECT_EQ(ok.refusal, FileRefusal::none);
    EXPECT_EQ(ok.rel, "alice/Film/a.mkv");
    EXPECT_EQ(check_file("/srv/dl", allowed, "/srv/dl/alice", "Film/a.mkv", 100, 0.99).refusal,
              FileRefusal::incomplete);
    // The 0-byte attack: "100 %" without any piece checked.
    EXPECT_EQ(check_file("/srv/dl", allowed, "/srv/dl/alice", "bob/secret.bin", 0, 1.0).refusal,
              FileRefusal::empty);
    // A torrent whose save path is another user's folder (set behind essaim's back).
    EXPECT_EQ(check_file("/srv/dl", allowed, "/srv/dl/bob", "secret.bin", 40000, 1.0).refusal,
              FileRefusal::outside);
    EXPECT_EQ(check_file("/srv/dl", allowed, "/srv/dl/alice", "../bob/secret.bin", 1, 1.0).refusal,
              FileRefusal::outside);
    EXPECT_EQ(check_file("/srv/dl", allowed, "/srv/dl/alice", "/etc/passwd", 1, 1.0).refusal,
              FileRefusal::outside);
    // Nothing may be served of a torrent outside the root.
    EXPECT_EQ(allowed_dir("/srv/dl", "alice", Placement::elsewhere), "");
    EXPECT_EQ(check_file("/srv/dl", "", "/mnt/x", "a", 1, 1.0).refusal, FileRefusal::outside);
    // A torrent still in the shared folder: its own files under the root.
    auto shared = allowed_dir("/srv/dl/", "alice", Placement::shared);
    EXPECT_EQ(shared, "/srv/dl");
    auto legacy = check_file("/srv/dl", shared, "/srv/dl", "Old/a.txt", 5, 1.0);
    EXPECT_EQ(legacy.refusal, FileRefusal::none);
    EXPECT_EQ(legacy.rel, "Old/a.txt");
}

TEST(FileAccess, FolderOfATorrent) {
    EXPECT_TRUE(folder_allowed("/srv/dl/alice", "/srv/dl/alice", "Film/Extras"));
    EXPECT_FALSE(folder_allowed("/srv/dl/alice", "/srv/dl/bob", "Film"));
    EXPECT_FALSE(folder_allowed("/srv/dl/alice", "/srv/dl/alice", "../bob"));
    EXPECT_FALSE(folder_allowed("", "/srv/dl/alice", "Film"));
}
