// Strict bencode decoder for untrusted bytes (.torrent files from users and trackers).
//
// Contract:
//  - Input larger than limits.max_input, nesting deeper than limits.max_depth, or more than
//    limits.max_items values in total → TorrentError("invalid_torrent").
//  - Integers: "i<digits>e", optional '-', no leading zeros ("i03e"), no negative zero
//    ("i-0e"), no empty ("ie"), must fit int64 → otherwise error.
//  - String lengths: decimal without leading zeros (except "0:"), must fit in the remaining
//    input → otherwise error.
//  - Dictionary keys are strings; duplicate keys are REJECTED (two readers could disagree on
//    which value counts); unsorted keys are TOLERATED (real-world files have them, and the
//    infohash is taken from the raw bytes, so it is unaffected).
//  - Trailing bytes after the top-level value → error.
//  - Every Value keeps `raw`: the exact bytes it was decoded from (the infohash is the hash of
//    the raw `info` value, never of a re-encoding).
// Values point into the input: the input must outlive them.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace essaim::torrent {

struct BencodeLimits {
    std::size_t max_input = 16u << 20;  // bytes
    int max_depth = 64;
    std::size_t max_items = 1'000'000;  // ~100 MB of Values at worst; ~150k files
};

struct Value {
    enum class Type { integer, string, list, dict };
    Type type = Type::integer;
    std::int64_t integer = 0;
    std::string_view string;                               // Type::string
    std::vector<Value> list;                               // Type::list
    std::vector<std::pair<std::string_view, Value>> dict;  // Type::dict, in input order
    std::string_view raw;                                  // exact encoded bytes of this value

    // Defined in bencode.cpp: an inline (implicit) default constructor makes clang instantiate
    // std::pair<std::string_view, Value> while Value is still incomplete, and fail to compile.
    Value();

    // Dictionary lookup; nullptr when absent or when this is not a dictionary.
    const Value* find(std::string_view key) const;
    bool is_int() const { return type == Type::integer; }
    bool is_string() const { return type == Type::string; }
    bool is_list() const { return type == Type::list; }
    bool is_dict() const { return type == Type::dict; }
};

// Throws TorrentError("invalid_torrent", French message with the byte offset).
Value bdecode(std::string_view input, const BencodeLimits& limits = {});

}  // namespace essaim::torrent
