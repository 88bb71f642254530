// See unique_id.h.
#include "storage/unique_id.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <thread>

#include <unistd.h>

namespace tsl {

namespace {

uint64_t FreshSeed() {
  std::random_device rd;
  uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  seed ^= static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  seed ^= std::hash<std::thread::id>()(std::this_thread::get_id());
  return seed;
}

}  // namespace

std::string NewUniqueId() {
  // Seeded per thread from the OS, the clock and the thread id so two
  // processes or threads never share a stream. A forked child inherits its
  // parent's generator state, so it reseeds when the pid changes: otherwise
  // parent and child (or two children) would name segments alike and one
  // would truncate the other's committed file.
  thread_local std::mt19937_64 gen(FreshSeed());
  thread_local pid_t seeded_pid = ::getpid();
  if (pid_t pid = ::getpid(); pid != seeded_pid) {
    gen.seed(FreshSeed());
    seeded_pid = pid;
  }
  uint64_t hi = gen(), lo = gen();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace tsl
