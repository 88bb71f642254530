// Env helpers shared by every Env implementation: path joining and the
// write-then-fsync idiom. Thread-safety: pure functions over a thread-safe Env.
#include "storage/env.h"

namespace tsl {

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out.push_back('/');
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  out.append(b);
  return out;
}

Status WriteFileSync(Env* env, const std::string& path, std::string_view data) {
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, env->NewWritableFile(path));
  Status st = file->Append(data);
  if (st.ok()) st = file->Sync();
  Status close = file->Close();
  if (st.ok()) st = close;
  return st;
}

}  // namespace tsl
