// Clang thread-safety annotations (LevelDB's port/thread_annotations.h):
// GUARDED_BY(mu) on data, REQUIRES(mu) on functions that expect mu held,
// ACQUIRE/RELEASE on functions that take or drop it. Built with clang and
// -Wthread-safety (`./run thread-safety`, TSLAKE_THREAD_SAFETY=ON) they are
// checked at compile time: touching guarded data without its lock is an
// error. Other compilers see empty macros. The locks they name are
// tsl::Mutex (formats/mutex.h): libstdc++'s std::mutex carries no
// capability attribute, so clang could not check it.
// Thread-safety: macros only.
#pragma once

#if defined(__clang__)
#define TSL_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define TSL_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) TSL_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY TSL_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) TSL_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) TSL_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_AFTER(...) TSL_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define ACQUIRED_BEFORE(...) TSL_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define REQUIRES(...) TSL_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) TSL_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) TSL_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) TSL_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) TSL_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) TSL_THREAD_ANNOTATION(assert_capability(x))
#define RETURN_CAPABILITY(x) TSL_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS TSL_THREAD_ANNOTATION(no_thread_safety_analysis)
