// Parquet files through the Env. See parquet_export.h.
#include "storage/parquet_export.h"

#include <set>

#include "storage/unique_id.h"

namespace tsl {
namespace {

std::string DirName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Collects the writer's small appends into ~1 MiB writes.
class BufferedSink {
 public:
  explicit BufferedSink(WritableFile* file) : file_(file) {}
  Status Append(std::string_view b) {
    buffer_.append(b);
    if (buffer_.size() >= (1u << 20)) return Flush();
    return Status::OK();
  }
  Status Flush() {
    if (buffer_.empty()) return Status::OK();
    Status s = file_->Append(buffer_);
    buffer_.clear();
    return s;
  }

 private:
  WritableFile* file_;
  std::string buffer_;
};

}  // namespace

std::string ParquetPathForSegment(const std::string& segment_path) {
  std::string p = segment_path;
  if (p.size() > 4 && p.compare(p.size() - 4, 4, ".tsl") == 0) p.resize(p.size() - 4);
  return p + ".parquet";
}

Status CreateDirs(Env* env, const std::string& dir) {
  if (dir.empty() || dir == "." || dir == "/" || env->IsDirectory(dir)) return Status::OK();
  const std::string parent = DirName(dir);
  if (parent != dir) RETURN_IF_ERROR(CreateDirs(env, parent));
  return env->CreateDirIfMissing(dir);
}

Result<ParquetFileInfo> WriteParquetFile(Env* env, const std::string& path, ChunkSource* source,
                                         const ParquetWriteOptions& options) {
  const std::string dir = DirName(path);
  const std::string tmp = JoinPath(dir, ".tmp-" + NewUniqueId() + ".parquet");
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, env->NewWritableFile(tmp));
  BufferedSink sink(file.get());
  ParquetWriter writer(source->schema(), options,
                       [&](std::string_view b) { return sink.Append(b); });
  auto fail = [&](Status s) {
    (void)file->Close();
    (void)env->RemoveFile(tmp);
    return s;
  };
  DataChunk chunk;
  while (true) {
    Result<bool> more = source->Next(&chunk);
    if (!more.ok()) return fail(more.status());
    if (!*more) break;
    if (chunk.size() == 0) continue;
    Status s = writer.Append(chunk);
    if (!s.ok()) return fail(Status(s.code(), path + ": " + s.message()));
  }
  Status s = writer.Finish();
  if (s.ok()) s = sink.Flush();
  if (s.ok()) s = file->Sync();
  if (!s.ok()) return fail(Status(s.code(), path + ": " + s.message()));
  RETURN_IF_ERROR(file->Close());
  s = env->RenameFile(tmp, path);
  if (!s.ok()) {
    (void)env->RemoveFile(tmp);
    return s;
  }
  RETURN_IF_ERROR(env->SyncDir(dir));
  ParquetFileInfo info;
  info.path = path;
  info.size = static_cast<int64_t>(writer.bytes_written());
  info.rows = writer.rows();
  info.stats = writer.stats();
  return info;
}

Result<std::vector<ParquetFileInfo>> ExportSegmentsAsParquet(
    const Table& table, std::shared_ptr<const Snapshot> snapshot,
    const std::vector<const AddAction*>& files, Env* env, const std::string& dir,
    const ParquetWriteOptions& options) {
  std::vector<ParquetFileInfo> out;
  std::set<std::string> made_dirs;
  for (const AddAction* file : files) {
    const AddAction& add = *file;
    const std::string rel = ParquetPathForSegment(add.path);
    const std::string path = JoinPath(dir, rel);
    const std::string parent = DirName(path);
    if (made_dirs.insert(parent).second) RETURN_IF_ERROR(CreateDirs(env, parent));
    ScanOptions scan;
    scan.only_files = {add.path};
    ASSIGN_OR_RETURN(std::unique_ptr<ChunkSource> source, table.NewScan(snapshot, scan));
    ASSIGN_OR_RETURN(ParquetFileInfo info, WriteParquetFile(env, path, source.get(), options));
    info.path = rel;
    out.push_back(std::move(info));
  }
  // New partition directories must survive a crash too.
  for (const std::string& d : made_dirs) RETURN_IF_ERROR(env->SyncDir(DirName(d)));
  return out;
}

}  // namespace tsl
