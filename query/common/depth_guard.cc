// Depth and stack limits. See depth_guard.h.
#include "query/common/depth_guard.h"

#include <pthread.h>

#include <cstdint>
#include <string>

namespace tsl::query {
namespace {

// The lowest usable address of this thread's stack (stacks grow down on
// every platform tslake builds for), or 0 when unknown.
uintptr_t StackLow() {
  thread_local uintptr_t low = [] {
    uintptr_t result = 0;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* addr = nullptr;
      size_t size = 0;
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        result = reinterpret_cast<uintptr_t>(addr);
      }
      size_t guard = 0;
      if (pthread_attr_getguardsize(&attr, &guard) == 0) result += guard;
      pthread_attr_destroy(&attr);
    }
    return result;
  }();
  return low;
}

[[noreturn]] void ThrowStackExhausted(ErrorKind kind, int position) {
  throw DepthLimitError(kind,
                        "Max expression depth limit exceeded: the statement is nested too deeply "
                        "for this thread's stack (less than " +
                            std::to_string(kStackReserve / 1024) +
                            " KB left); simplify it or run it on a thread with a larger stack "
                            "(the maximum expression depth is " +
                            std::to_string(kMaxExpressionDepth) + ")",
                        position);
}

}  // namespace

void CheckStackDepth(ErrorKind kind, int position) {
  const uintptr_t low = StackLow();
  if (low == 0) return;
  char here;
  const auto sp = reinterpret_cast<uintptr_t>(&here);
  if (sp < low + kStackReserve) ThrowStackExhausted(kind, position);
}

DepthGuard::DepthGuard(int* depth, ErrorKind kind, int position) : depth_(depth) {
  if (*depth_ >= kMaxExpressionDepth) {
    throw DepthLimitError(kind,
                          "Max expression depth limit of " + std::to_string(kMaxExpressionDepth) +
                              " exceeded: the statement nests expressions, subqueries or views "
                              "deeper than the maximum expression depth",
                          position);
  }
  CheckStackDepth(kind, position);
  ++*depth_;
}

}  // namespace tsl::query
