#include "torrent/bencode.hpp"

#include "torrent/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

namespace essaim::torrent {
namespace {

std::string describe_byte(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f) return fmt::format("« {} »", c);
    return fmt::format("0x{:02X}", u);
}

// Keys are shown to the user only when they are short printable ASCII: a hostile file must not
// be able to put arbitrary bytes (or megabytes) into an error message.
std::string describe_key(std::string_view key) {
    bool printable =
        !key.empty() && key.size() <= 40 &&
        std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    return printable ? fmt::format(" « {} »", key) : std::string();
}

// A recursive-descent decoder. Recursion is bounded by limits.max_depth (64 by default), so the
// stack use is a few kilobytes at most; nothing is allocated before the bytes that justify it have
// been seen (strings are views into the input, containers grow one decoded value at a time).
class Decoder {
  public:
    Decoder(std::string_view in, const BencodeLimits& limits) : in_(in), limits_(limits) {}

    Value decode() {
        if (in_.size() > limits_.max_input)
            throw TorrentError(
                "invalid_torrent",
                fmt::format("Le fichier .torrent est invalide : il dépasse la taille "
                            "maximale de {} octets.",
                            limits_.max_input));
        if (in_.empty())
            throw TorrentError("invalid_torrent",
                               "Le fichier .torrent est invalide : il est vide.");
        Value v = value(0);
        if (pos_ != in_.size()) fail("données en trop après la fin", pos_);
        return v;
    }

  private:
    [[noreturn]] static void fail(std::string_view what, std::size_t offset) {
        throw TorrentError(
            "invalid_torrent",
            fmt::format("Le fichier .torrent est invalide : {} à l'octet {}.", what, offset));
    }

    char peek() const {
        if (pos_ >= in_.size()) fail("fin de fichier inattendue", pos_);
        return in_[pos_];
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }

    void count_item() {
        if (++items_ > limits_.max_items) fail("trop d'éléments", pos_);
    }

    Value value(int depth) {
        count_item();
        const std::size_t start = pos_;
        Value v;
        char c = peek();
        if (c == 'i') {
            v.type = Value::Type::integer;
            v.integer = integer();
        } else if (is_digit(c)) {
            v.type = Value::Type::string;
            v.string = string();
        } else if (c == 'l' || c == 'd') {
            if (depth >= limits_.max_depth) fail("imbrication trop profonde", pos_);
            ++pos_;
            if (c == 'l') {
                v.type = Value::Type::list;
                while (peek() != 'e') v.list.push_back(value(depth + 1));
            } else {
                v.type = Value::Type::dict;
                dict_entries(v, depth);
            }
            ++pos_;  // 'e'
        } else {
            fail(fmt::format("caractère inattendu {}", describe_byte(c)), pos_);
        }
        v.raw = in_.substr(start, pos_ - start);
        return v;
    }

    void dict_entries(Value& v, int depth) {
        bool sorted = true;
        while (peek() != 'e') {
            if (!is_digit(peek()))
                fail("clé de dictionnaire qui n'est pas une chaîne de caractères", pos_);
            count_item();
            const std::size_t key_at = pos_;
            std::string_view key = string();
            if (!v.dict.empty() && key <= v.dict.back().first) {
                // Exact repetition of the previous key is the common case of a duplicate.
                if (key == v.dict.back().first)
                    fail(fmt::format("clé{} en double", describe_key(key)), key_at);
                sorted = false;
            }
            Value child = value(depth + 1);
            v.dict.emplace_back(key, std::move(child));
        }
        if (!sorted) reject_duplicate_keys(v);
    }

    // Keys out of order are tolerated, but then a duplicate may be anywhere: sort a copy of the
    // keys (n log n, even for a hostile dictionary with a million keys) and compare neighbours.
    void reject_duplicate_keys(const Value& v) const {
        std::vector<std::string_view> keys;
        keys.reserve(v.dict.size());
        for (const auto& [k, _] : v.dict) keys.push_back(k);
        std::sort(keys.begin(), keys.end(), [](std::string_view a, std::string_view b) {
            return a < b || (a == b && a.data() < b.data());
        });
        for (std::size_t i = 1; i < keys.size(); ++i) {
            if (keys[i] == keys[i - 1]) {
                // Report where the later copy starts: its text, minus "<length>:".
                auto offset = static_cast<std::size_t>(keys[i].data() - in_.data()) - 1 -
                              std::to_string(keys[i].size()).size();
                fail(fmt::format("clé{} en double", describe_key(keys[i])), offset);
            }
        }
    }

    std::int64_t integer() {
        const std::size_t start = pos_;
        ++pos_;  // 'i'
        bool negative = false;
        if (pos_ < in_.size() && in_[pos_] == '-') {
            negative = true;
            ++pos_;
        }
        const std::size_t digits_at = pos_;
        // Magnitude limit: 2^63 for negative numbers (INT64_MIN), 2^63 - 1 otherwise.
        const std::uint64_t limit =
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) +
            (negative ? 1 : 0);
        std::uint64_t magnitude = 0;
        while (pos_ < in_.size() && is_digit(in_[pos_])) {
            auto d = static_cast<std::uint64_t>(in_[pos_] - '0');
            if (magnitude > (limit - d) / 10) fail("entier trop grand", start);
            magnitude = magnitude * 10 + d;
            ++pos_;
        }
        const std::size_t ndigits = pos_ - digits_at;
        if (pos_ >= in_.size()) fail("fin de fichier inattendue", pos_);
        if (in_[pos_] != 'e' || ndigits == 0) fail("entier mal formé", start);
        if (ndigits > 1 && in_[digits_at] == '0') fail("entier mal formé (zéro initial)", start);
        if (negative && magnitude == 0) fail("entier mal formé (zéro négatif)", start);
        ++pos_;  // 'e'
        if (!negative) return static_cast<std::int64_t>(magnitude);
        // -(2^63) has no positive counterpart: build it without overflowing.
        return magnitude == limit ? std::numeric_limits<std::int64_t>::min()
                                  : -static_cast<std::int64_t>(magnitude);
    }

    std::string_view string() {
        const std::size_t start = pos_;
        const std::size_t remaining = in_.size() - pos_;
        std::size_t length = 0;
        while (pos_ < in_.size() && is_digit(in_[pos_])) {
            length = length * 10 + static_cast<std::size_t>(in_[pos_] - '0');
            // Checked at every digit, so `length` never overflows and a huge declared length fails
            // here, before anything is read or allocated.
            if (length > remaining) fail("longueur de chaîne plus grande que le fichier", start);
            ++pos_;
        }
        if (pos_ >= in_.size()) fail("fin de fichier inattendue", pos_);
        if (in_[pos_] != ':') fail("longueur de chaîne mal formée", start);
        if (pos_ - start > 1 && in_[start] == '0')
            fail("longueur de chaîne mal formée (zéro initial)", start);
        ++pos_;  // ':'
        if (length > in_.size() - pos_) fail("chaîne tronquée", start);
        std::string_view s = in_.substr(pos_, length);
        pos_ += length;
        return s;
    }

    std::string_view in_;
    const BencodeLimits& limits_;
    std::size_t pos_ = 0;
    std::size_t items_ = 0;
};

}  // namespace

Value::Value() = default;

const Value* Value::find(std::string_view key) const {
    if (type != Type::dict) return nullptr;
    // Linear: dictionaries that are looked up (top level, info, file entries) have a few keys, and
    // decoding already guaranteed that a key appears at most once.
    for (const auto& [k, v] : dict)
        if (k == key) return &v;
    return nullptr;
}

Value bdecode(std::string_view input, const BencodeLimits& limits) {
    return Decoder(input, limits).decode();
}

}  // namespace essaim::torrent
