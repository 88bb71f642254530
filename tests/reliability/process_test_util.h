// Helpers for the multi-process reliability tests (kill -9 trials and
// concurrent writers/readers): forking a child that runs a function and
// _exits, append-only side files of acknowledged ids (one write(2) per line,
// so a SIGKILL never leaves half a line), and knobs read from the
// environment so `./run reliability` can run the long versions.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace tsl::reliability {

// The integer in environment variable `name`, or `fallback`.
inline int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

// Forks; the child runs `body` and _exits with its return value (never
// returning into the test framework). Returns the child's pid.
inline pid_t ForkChild(const std::function<int()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int rc = body();
    ::_exit(rc);
  }
  return pid;
}

// Waits for `pid`; returns its exit code, 128+signal when killed.
inline int WaitChild(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Appends `line` + '\n' to `path` in one write(2).
inline void AppendLine(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  std::string l = line + "\n";
  ssize_t n = ::write(fd, l.data(), l.size());
  (void)n;
  ::close(fd);
}

// The complete lines of `path` (a trailing partial line is ignored).
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0;
  while (true) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) break;
    out.push_back(all.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

}  // namespace tsl::reliability
