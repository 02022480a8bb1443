// A ZIP archive of files on disk, produced on the fly (no temporary file, no compression: method 0
// "stored") with its exact size known before the first byte, so a folder can be downloaded as one
// .zip with a Content-Length.
//
// Layout: for each entry a local header (flags: bit 3 "data descriptor", bit 11 "UTF-8 name" when
// the name is valid UTF-8; CRC-32 0, real sizes), the file bytes, a data descriptor (signature
// 0x08074b50, CRC-32 computed while streaming); then the central directory and the end record.
// Zip64 is used only where a value does not fit (entry ≥ 0xFFFFFFFF bytes, offset ≥ 0xFFFFFFFF,
// 65535 entries or more, central directory too large or too far), or everywhere with force_zip64.
//
// The entries are planned by the caller from the torrent's own file list (download/
// file_access.hpp): nothing here walks a folder on disk.
// read() streams the files in the caller's chunks, one open file at a time. If a file is missing,
// is a symlink, is no longer a regular file, or is shorter or longer than planned, read() throws
// std::runtime_error (French message): the archive is then truncated, never silently wrong.
// Not thread-safe; one reader at a time.
#pragma once

#include "http/message.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace essaim::download {

struct ZipEntry {
    std::string name;  // name inside the archive: UTF-8, '/' separators, relative, no leading '/'
    std::string path;  // file to read: absolute, or relative to `root` when root is set
    std::uint64_t size = 0;  // expected size (the torrent's file list says it)
    std::int64_t mtime = 0;  // unix seconds, stored as DOS date/time (local time, 1980..2107)
    // With a root, `path` is opened beneath it without following any symlink (open_beneath):
    // how essaim serves torrents' files.
    std::string root;
};

class ZipStream : public http::BodySource {
  public:
    // Throws std::invalid_argument for a name that is empty, absolute, longer than 65535 bytes,
    // or that has an empty, "." or ".." component (so no trailing '/'), a backslash or a NUL.
    explicit ZipStream(std::vector<ZipEntry> entries, bool force_zip64 = false);
    ~ZipStream() override;
    ZipStream(const ZipStream&) = delete;
    ZipStream& operator=(const ZipStream&) = delete;

    std::uint64_t size() const override;                  // exact, computed in the constructor
    std::size_t read(char* buf, std::size_t n) override;  // 0 only at the end

  private:
    struct Planned {
        std::uint64_t offset = 0;  // of the local header
        std::uint32_t crc = 0;     // filled while streaming
        std::uint16_t dos_time = 0;
        std::uint16_t dos_date = 0;
        bool zip64_sizes = false;   // zip64 sizes: local extra, 24-byte descriptor, central extra
        bool zip64_offset = false;  // zip64 offset in the central directory extra
        bool utf8 = false;
    };
    enum class Phase { local_header, data, descriptor, central, end, done };

    void next_piece();  // fills pending_ with the next metadata block, or moves to Phase::data
    std::size_t read_data(char* buf, std::size_t n);
    void open_current();
    void close_current();
    [[noreturn]] void fail_changed();

    std::vector<ZipEntry> entries_;
    std::vector<Planned> planned_;
    bool force_zip64_;
    bool zip64_archive_ = false;
    std::uint64_t cd_offset_ = 0;
    std::uint64_t cd_size_ = 0;
    std::uint64_t size_ = 0;

    Phase phase_ = Phase::local_header;
    std::size_t index_ = 0;  // current entry (local part), then current central record
    std::string pending_;    // metadata bytes not yet returned
    std::size_t pending_pos_ = 0;
    int fd_ = -1;
    std::uint64_t remaining_ = 0;  // file bytes still to send for the current entry
    std::uint32_t crc_ = 0;
    std::uint64_t produced_ = 0;
    bool failed_ = false;
};

}  // namespace essaim::download
