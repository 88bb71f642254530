// CRC32C (Castagnoli), the checksum of every segment block and footer.
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run
// time) and a table-driven software loop otherwise; both give identical
// results. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tsl {

// CRC32C of data[0, n) continuing from `crc` (0 to start).
uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t n);
inline uint32_t Crc32c(const void* data, size_t n) { return Crc32cExtend(0, data, n); }
inline uint32_t Crc32c(std::string_view s) { return Crc32c(s.data(), s.size()); }

// The software path, exposed so tests can compare it with the hardware one.
uint32_t TEST_Crc32cSoftware(uint32_t crc, const void* data, size_t n);

}  // namespace tsl
