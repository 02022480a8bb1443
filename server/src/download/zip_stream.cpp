#include "download/zip_stream.hpp"

#include "download/paths.hpp"
#include "util/strings.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace essaim::download {

namespace {

constexpr std::uint32_t kLocalSig = 0x04034b50;
constexpr std::uint32_t kDescriptorSig = 0x08074b50;
constexpr std::uint32_t kCentralSig = 0x02014b50;
constexpr std::uint32_t kEnd64Sig = 0x06064b50;
constexpr std::uint32_t kLocator64Sig = 0x07064b50;
constexpr std::uint32_t kEndSig = 0x06054b50;

constexpr std::uint64_t kMax32 = 0xFFFFFFFF;  // also the "see zip64" marker
constexpr std::uint64_t kMax16 = 0xFFFF;

constexpr std::size_t kLocalFixed = 30;
constexpr std::size_t kLocalZip64Extra = 4 + 16;
constexpr std::size_t kDescriptor32 = 16;
constexpr std::size_t kDescriptor64 = 24;
constexpr std::size_t kCentralFixed = 46;
constexpr std::size_t kEnd64 = 56;
constexpr std::size_t kLocator64 = 20;
constexpr std::size_t kEnd = 22;

constexpr std::uint16_t kFlagDescriptor = 1u << 3;
constexpr std::uint16_t kFlagUtf8 = 1u << 11;
constexpr std::uint16_t kVersion20 = 20;                   // stored files, data descriptor
constexpr std::uint16_t kVersion45 = 45;                   // zip64
constexpr std::uint16_t kMadeBy = (3u << 8) | kVersion45;  // Unix, spec 4.5
constexpr std::uint32_t kExternalAttrs = (S_IFREG | 0644u) << 16;

void put16(std::string& out, std::uint64_t v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& out, std::uint64_t v) {
    put16(out, v & 0xFFFF);
    put16(out, (v >> 16) & 0xFFFF);
}
void put64(std::string& out, std::uint64_t v) {
    put32(out, v & kMax32);
    put32(out, v >> 32);
}

void to_dos_time(std::int64_t mtime, std::uint16_t& time, std::uint16_t& date) {
    std::tm tm{};
    const auto t = static_cast<std::time_t>(mtime);
    const bool ok = static_cast<std::int64_t>(t) == mtime && ::localtime_r(&t, &tm) != nullptr;
    int year = ok ? tm.tm_year + 1900 : (mtime < 0 ? 0 : 9999);
    if (year < 1980) {
        tm = std::tm{};
        tm.tm_mday = 1;
        year = 1980;
    } else if (year > 2107) {
        tm = std::tm{};
        tm.tm_mon = 11;
        tm.tm_mday = 31;
        tm.tm_hour = 23;
        tm.tm_min = 59;
        tm.tm_sec = 58;
        year = 2107;
    }
    const int sec = std::min(tm.tm_sec, 59);  // leap second
    date = static_cast<std::uint16_t>(((year - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    time = static_cast<std::uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (sec / 2));
}

void check_name(const std::string& name) {
    auto bad = [&](const char* why) {
        throw std::invalid_argument("Nom d'entrée ZIP invalide (" + std::string(why) + ") : « " +
                                    name + " ».");
    };
    if (name.empty()) bad("vide");
    if (name.size() > kMax16) bad("trop long");
    if (name.front() == '/') bad("chemin absolu");
    if (name.find('\\') != std::string::npos) bad("barre oblique inverse");
    if (name.find('\0') != std::string::npos) bad("caractère nul");
    for (auto part : str::split(name, '/')) {
        if (part.empty()) bad("composant vide");
        if (part == "." || part == "..") bad("composant « . » ou « .. »");
    }
}

// Zip64 fields of a central directory record, in the order the spec requires.
std::size_t central_extra_size(bool zip64_sizes, bool zip64_offset) {
    const std::size_t fields = (zip64_sizes ? 2 : 0) + (zip64_offset ? 1 : 0);
    return fields == 0 ? 0 : 4 + 8 * fields;
}

}  // namespace

ZipStream::ZipStream(std::vector<ZipEntry> entries, bool force_zip64)
    : entries_(std::move(entries)), force_zip64_(force_zip64) {
    planned_.resize(entries_.size());
    std::uint64_t offset = 0;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const auto& e = entries_[i];
        auto& p = planned_[i];
        check_name(e.name);
        p.offset = offset;
        p.zip64_sizes = force_zip64_ || e.size >= kMax32;
        p.zip64_offset = force_zip64_ || offset >= kMax32;
        p.utf8 = str::is_valid_utf8(e.name);
        to_dos_time(e.mtime, p.dos_time, p.dos_date);
        offset += kLocalFixed + e.name.size() + (p.zip64_sizes ? kLocalZip64Extra : 0) + e.size +
                  (p.zip64_sizes ? kDescriptor64 : kDescriptor32);
    }
    cd_offset_ = offset;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        cd_size_ += kCentralFixed + entries_[i].name.size() +
                    central_extra_size(planned_[i].zip64_sizes, planned_[i].zip64_offset);
    }
    zip64_archive_ =
        force_zip64_ || entries_.size() >= kMax16 || cd_offset_ >= kMax32 || cd_size_ >= kMax32;
    size_ = cd_offset_ + cd_size_ + (zip64_archive_ ? kEnd64 + kLocator64 : 0) + kEnd;
}

ZipStream::~ZipStream() {
    close_current();
}

std::uint64_t ZipStream::size() const {
    return size_;
}

std::size_t ZipStream::read(char* buf, std::size_t n) {
    if (failed_) throw std::runtime_error("L'archive ZIP a été interrompue par une erreur.");
    std::size_t done = 0;
    try {
        while (done < n) {
            if (pending_pos_ < pending_.size()) {
                const std::size_t k = std::min(n - done, pending_.size() - pending_pos_);
                std::memcpy(buf + done, pending_.data() + pending_pos_, k);
                pending_pos_ += k;
                done += k;
            } else if (phase_ == Phase::data) {
                done += read_data(buf + done, n - done);
            } else if (phase_ == Phase::done) {
                break;
            } else {
                next_piece();
            }
        }
    } catch (...) {
        failed_ = true;
        close_current();
        throw;
    }
    produced_ += done;
    if (phase_ == Phase::done && pending_pos_ == pending_.size() && produced_ != size_) {
        failed_ = true;
        throw std::runtime_error("ZipStream : taille annoncée différente de la taille produite.");
    }
    return done;
}

void ZipStream::next_piece() {
    pending_.clear();
    pending_pos_ = 0;
    switch (phase_) {
        case Phase::local_header: {
            if (index_ == entries_.size()) {
                phase_ = Phase::central;
                index_ = 0;
                return;
            }
            const auto& e = entries_[index_];
            const auto& p = planned_[index_];
            put32(pending_, kLocalSig);
            put16(pending_, p.zip64_sizes || p.zip64_offset ? kVersion45 : kVersion20);
            put16(pending_, kFlagDescriptor | (p.utf8 ? kFlagUtf8 : 0));
            put16(pending_, 0);  // stored
            put16(pending_, p.dos_time);
            put16(pending_, p.dos_date);
            put32(pending_, 0);  // CRC-32: in the data descriptor
            // Real sizes (stored: compressed == uncompressed), so that streaming readers know
            // where the data ends; readers that follow the central directory ignore them.
            put32(pending_, p.zip64_sizes ? kMax32 : e.size);
            put32(pending_, p.zip64_sizes ? kMax32 : e.size);
            put16(pending_, e.name.size());
            put16(pending_, p.zip64_sizes ? kLocalZip64Extra : 0);
            pending_ += e.name;
            if (p.zip64_sizes) {
                put16(pending_, 0x0001);
                put16(pending_, 16);
                put64(pending_, e.size);
                put64(pending_, e.size);
            }
            phase_ = Phase::data;
            remaining_ = e.size;
            crc_ = static_cast<std::uint32_t>(::crc32(0L, Z_NULL, 0));
            return;
        }
        case Phase::descriptor: {
            auto& p = planned_[index_];
            const auto size = entries_[index_].size;
            p.crc = crc_;
            put32(pending_, kDescriptorSig);
            put32(pending_, p.crc);
            if (p.zip64_sizes) {
                put64(pending_, size);
                put64(pending_, size);
            } else {
                put32(pending_, size);
                put32(pending_, size);
            }
            ++index_;
            phase_ = Phase::local_header;
            return;
        }
        case Phase::central: {
            if (index_ == entries_.size()) {
                phase_ = Phase::end;
                return;
            }
            const auto& e = entries_[index_];
            const auto& p = planned_[index_];
            put32(pending_, kCentralSig);
            put16(pending_, kMadeBy);
            put16(pending_, p.zip64_sizes || p.zip64_offset ? kVersion45 : kVersion20);
            put16(pending_, kFlagDescriptor | (p.utf8 ? kFlagUtf8 : 0));
            put16(pending_, 0);  // stored
            put16(pending_, p.dos_time);
            put16(pending_, p.dos_date);
            put32(pending_, p.crc);
            put32(pending_, p.zip64_sizes ? kMax32 : e.size);
            put32(pending_, p.zip64_sizes ? kMax32 : e.size);
            put16(pending_, e.name.size());
            put16(pending_, central_extra_size(p.zip64_sizes, p.zip64_offset));
            put16(pending_, 0);  // comment
            put16(pending_, 0);  // disk
            put16(pending_, 0);  // internal attributes
            put32(pending_, kExternalAttrs);
            put32(pending_, p.zip64_offset ? kMax32 : p.offset);
            pending_ += e.name;
            if (p.zip64_sizes || p.zip64_offset) {
                put16(pending_, 0x0001);
                put16(pending_, central_extra_size(p.zip64_sizes, p.zip64_offset) - 4);
                if (p.zip64_sizes) {
                    put64(pending_, e.size);
                    put64(pending_, e.size);
                }
                if (p.zip64_offset) put64(pending_, p.offset);
            }
            ++index_;
            return;
        }
        case Phase::end: {
            const std::uint64_t count = entries_.size();
            if (zip64_archive_) {
                put32(pending_, kEnd64Sig);
                put64(pending_, kEnd64 - 12);  // size of the rest of the record
                put16(pending_, kMadeBy);
                put16(pending_, kVersion45);
                put32(pending_, 0);  // this disk
                put32(pending_, 0);  // disk of the central directory
                put64(pending_, count);
                put64(pending_, count);
                put64(pending_, cd_size_);
                put64(pending_, cd_offset_);
                put32(pending_, kLocator64Sig);
                put32(pending_, 0);  // disk of the zip64 end record
                put64(pending_, cd_offset_ + cd_size_);
                put32(pending_, 1);  // total number of disks
            }
            const bool f = force_zip64_;
            put32(pending_, kEndSig);
            put16(pending_, 0);
            put16(pending_, 0);
            put16(pending_, f || count >= kMax16 ? kMax16 : count);
            put16(pending_, f || count >= kMax16 ? kMax16 : count);
            put32(pending_, f || cd_size_ >= kMax32 ? kMax32 : cd_size_);
            put32(pending_, f || cd_offset_ >= kMax32 ? kMax32 : cd_offset_);
            put16(pending_, 0);  // comment
            phase_ = Phase::done;
            return;
        }
        case Phase::data:
        case Phase::done:
            return;
    }
}

void ZipStream::open_current() {
    const auto& e = entries_[index_];
    fd_ = e.root.empty() ? ::open(e.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
                         : open_beneath(e.root, e.path);
    if (fd_ < 0) {
        throw std::runtime_error("Impossible d'ouvrir le fichier « " + e.path +
                                 " » : " + std::strerror(errno) + ".");
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::uint64_t>(st.st_size) != e.size) {
        fail_changed();
    }
}

void ZipStream::close_current() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void ZipStream::fail_changed() {
    throw std::runtime_error("Le fichier « " + entries_[index_].path +
                             " » a changé pendant le téléchargement.");
}

std::size_t ZipStream::read_data(char* buf, std::size_t n) {
    if (fd_ < 0) open_current();
    if (remaining_ == 0) {
        char probe;
        ssize_t r;
        do r = ::read(fd_, &probe, 1);
        while (r < 0 && errno == EINTR);
        if (r != 0) fail_changed();  // longer than planned (or unreadable)
        close_current();
        phase_ = Phase::descriptor;
        return 0;
    }
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>({remaining_, n, std::size_t{1} << 30}));
    ssize_t r;
    do r = ::read(fd_, buf, want);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        throw std::runtime_error("Erreur de lecture du fichier « " + entries_[index_].path +
                                 " » : " + std::strerror(errno) + ".");
    }
    if (r == 0) fail_changed();  // shorter than planned
    const auto got = static_cast<std::size_t>(r);
    crc_ = static_cast<std::uint32_t>(
        ::crc32(crc_, reinterpret_cast<const Bytef*>(buf), static_cast<uInt>(got)));
    remaining_ -= got;
    return got;
}

}  // namespace essaim::download
