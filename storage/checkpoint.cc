// Checkpoint: see checkpoint.h; byte format in formats/checkpoint.md.
//
// Its durability rules are invariants (8)-(10) in transaction_log.cc.
#include "storage/checkpoint.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "formats/checksum.h"
#include "storage/transaction_log.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kVersionDigits = 20;
constexpr std::string_view kSuffix = ".checkpoint.json";
constexpr const char* kLastCheckpoint = "_last_checkpoint";
// 1: add lines as in version files. 2: add stats inline as a JSON object
// (read as fast as the rest of the line). Both are read.
constexpr int kFormatVersion = 2;
// Appends are batched to this size: memory stays bounded by one batch
// plus the snapshot being written, whatever the number of files.
constexpr size_t kWriteBatchBytes = 1 << 20;

// Streams lines to a WritableFile, keeping a running CRC-32C and length
// for the final checksum line (the same line the JSON versions end with).
class ChecksummedWriter {
 public:
  explicit ChecksummedWriter(WritableFile* file) : file_(file) {}
  Status Line(std::string_view line) {
    buf_.append(line);
    buf_.push_back('\n');
    if (buf_.size() >= kWriteBatchBytes) return FlushBuffer();
    return Status::OK();
  }
  // Writes the checksum line and everything buffered.
  Status Finish() {
    RETURN_IF_ERROR(FlushBuffer());
    char line[80];
    std::snprintf(line, sizeof line, "{\"checksum\":{\"crc32c\":\"%08x\",\"bytes\":%zu}}\n", crc_,
                  bytes_);
    return file_->Append(line);
  }
  size_t bytes() const { return bytes_; }

 private:
  Status FlushBuffer() {
    crc_ = Crc32cExtend(crc_, buf_.data(), buf_.size());
    bytes_ += buf_.size();
    Status st = file_->Append(buf_);
    buf_.clear();
    return st;
  }
  WritableFile* file_;
  std::string buf_;
  uint32_t crc_ = 0;
  size_t bytes_ = 0;
};

// Writes `content` to a temp file in `dir`, fsyncs it and renames it to
// `final_path` (atomic replace).
Status WriteAtomically(Env* env, const std::string& dir, const std::string& final_path,
                       std::string_view content) {
  std::string tmp = JoinPath(dir, ".tmp-" + NewUniqueId() + ".checkpoint");
  Status st = WriteFileSync(env, tmp, content);
  if (st.ok()) st = env->RenameFile(tmp, final_path);
  if (!st.ok()) (void)env->RemoveFile(tmp);
  return st;
}

// `_last_checkpoint` as a JSON object with a non-negative integer
// "version"; nullopt when it is missing or damaged.
std::optional<Json> ReadLastObject(Env* env, const std::string& log_dir) {
  std::string path = JoinPath(log_dir, kLastCheckpoint);
  if (!env->FileExists(path) || env->IsSymlink(path)) return std::nullopt;
  Result<std::string> content = env->ReadFileToString(path);
  if (!content.ok()) return std::nullopt;
  Result<std::string_view> body = TransactionLog::VerifyChecksumLine(*content, path);
  if (!body.ok()) return std::nullopt;
  Json j = Json::parse(*body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("version") ||
      !j["version"].is_number_integer() || j["version"].get<int64_t>() < 0)
    return std::nullopt;
  return j;
}

}  // namespace

std::string Checkpoint::FileName(int64_t version) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%020lld.checkpoint.json", static_cast<long long>(version));
  return buf;
}

int64_t Checkpoint::ParseFileName(std::string_view name) {
  if (name.size() != kVersionDigits + kSuffix.size()) return -1;
  if (name.substr(kVersionDigits) != kSuffix) return -1;
  return TransactionLog::ParseVersionFileName(std::string(name.substr(0, kVersionDigits)) +
                                              ".json");
}

Status Checkpoint::Write(Env* env, const std::string& log_dir, const Snapshot& snapshot) {
  const int64_t version = snapshot.version();
  std::string tmp = JoinPath(log_dir, ".tmp-" + NewUniqueId() + ".checkpoint");
  std::string final_path = JoinPath(log_dir, FileName(version));
  Status st;
  size_t bytes = 0;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, env->NewWritableFile(tmp));
    ChecksummedWriter out(file.get());
    Json header = Json::object();
    header["version"] = version;
    header["timestamp"] = snapshot.timestamp_ms();
    header["numFiles"] = snapshot.files().size();
    header["formatVersion"] = kFormatVersion;
    st = out.Line(Json{{"checkpoint", header}}.dump());
    if (st.ok()) st = out.Line(SerializeAction(snapshot.protocol()));
    if (st.ok()) st = out.Line(SerializeAction(snapshot.metadata()));
    for (const auto& [app, v] : snapshot.app_versions()) {
      if (!st.ok()) break;
      TxnAction t;
      t.app_id = app;
      t.version = v;
      st = out.Line(SerializeAction(t));
    }
    for (const AddAction& f : snapshot.files()) {
      if (!st.ok()) break;
      st = out.Line(SerializeCheckpointAdd(f));
    }
    if (st.ok()) st = out.Finish();
    if (st.ok()) st = file->Sync();
    Status close = file->Close();
    if (st.ok()) st = close;
    bytes = out.bytes();
  }
  if (st.ok()) st = env->RenameFile(tmp, final_path);  // (9)
  if (!st.ok()) {
    (void)env->RemoveFile(tmp);
    return st.WithContext("writing checkpoint " + final_path);
  }
  RETURN_IF_ERROR(env->SyncDir(log_dir));

  // (10) `_last_checkpoint` only ever moves forward.
  std::optional<int64_t> last = ReadLast(env, log_dir);
  if (last && *last >= version) return Status::OK();
  Json j = Json::object();
  j["version"] = version;
  j["size"] = snapshot.files().size() + 2 + snapshot.app_versions().size();
  j["sizeInBytes"] = bytes;
  j["numOfAddFiles"] = snapshot.files().size();
  std::string content = TransactionLog::AppendChecksumLine(j.dump() + "\n");
  RETURN_IF_ERROR(WriteAtomically(env, log_dir, JoinPath(log_dir, kLastCheckpoint), content));
  return env->SyncDir(log_dir);
}

Result<std::shared_ptr<const Snapshot>> Checkpoint::Read(Env* env, const std::string& log_dir,
                                                         int64_t version) {
  SnapshotBuilder builder;
  RETURN_IF_ERROR(ReadInto(env, log_dir, version, &builder));
  return builder.Finish();
}

Status Checkpoint::ReadInto(Env* env, const std::string& log_dir, int64_t version,
                            SnapshotBuilder* builder) {
  std::string path = JoinPath(log_dir, FileName(version));
  if (!env->FileExists(path))
    return Status::NotFound("checkpoint " + path + " does not exist");
  if (env->IsSymlink(path))  // invariant (14)
    return Status::Corruption(path + " is a symbolic link; tslake never creates links in a " +
                              "table's log, so the checkpoint is refused");
  ASSIGN_OR_RETURN(std::string content, env->ReadFileToString(path));
  ASSIGN_OR_RETURN(std::string_view body, TransactionLog::VerifyChecksumLine(content, path));
  size_t eol = body.find('\n');
  if (eol == std::string_view::npos)
    return Status::Corruption(path + " line 1: expected the checkpoint header");
  Json header = Json::parse(body.substr(0, eol), nullptr, false);
  if (header.is_discarded() || !header.is_object() || !header.contains("checkpoint") ||
      !header["checkpoint"].is_object())
    return Status::Corruption(path + " line 1: expected {\"checkpoint\": {...}}");
  const Json& h = header["checkpoint"];
  auto int_field = [&](const char* key, int64_t* out) -> Status {
    if (!h.contains(key) || !h[key].is_number_integer())
      return Status::Corruption(path + " line 1: checkpoint." + key + " must be an integer");
    *out = h[key].get<int64_t>();
    return Status::OK();
  };
  int64_t hv = 0, ts = 0, num_files = 0, format = 0;
  RETURN_IF_ERROR(int_field("version", &hv));
  RETURN_IF_ERROR(int_field("timestamp", &ts));
  RETURN_IF_ERROR(int_field("numFiles", &num_files));
  RETURN_IF_ERROR(int_field("formatVersion", &format));
  if (format > kFormatVersion)
    return Status::NotSupported(path + ": checkpoint format " + std::to_string(format) +
                                " is newer than this tslake reads (" +
                                std::to_string(kFormatVersion) + ")");
  if (hv != version)
    return Status::Corruption(path + " line 1: header says version " + std::to_string(hv));
  ASSIGN_OR_RETURN(std::vector<LogAction> actions, ParseLogFile(body, path));
  int64_t adds = 0;
  for (const LogAction& a : actions) adds += std::holds_alternative<AddAction>(a) ? 1 : 0;
  if (adds != num_files)
    return Status::Corruption(path + ": header says " + std::to_string(num_files) +
                              " files but the checkpoint lists " + std::to_string(adds));
  // (13) The cheap cross-check: `_last_checkpoint`, written after this
  // file by the same writer, records its add count. A checkpoint edited
  // since (an add dropped, checksum and header recomputed) disagrees and
  // is not trusted: readers replay the JSON versions instead.
  if (std::optional<Json> last = ReadLastObject(env, log_dir);
      last && (*last)["version"].get<int64_t>() == version && last->contains("numOfAddFiles") &&
      (*last)["numOfAddFiles"].is_number_integer() &&
      (*last)["numOfAddFiles"].get<int64_t>() != adds)
    return Status::Corruption(path + ": lists " + std::to_string(adds) +
                              " files but _last_checkpoint, written with it, says " +
                              std::to_string((*last)["numOfAddFiles"].get<int64_t>()) +
                              "; the checkpoint is not trusted (readers replay the log)");
  return builder->ApplyCheckpoint(version, ts, std::move(actions), path);
}

Result<std::vector<int64_t>> Checkpoint::List(Env* env, const std::string& log_dir) {
  std::vector<int64_t> out;
  if (!env->IsDirectory(log_dir)) return out;
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->GetChildren(log_dir));
  for (const std::string& n : names) {
    int64_t v = ParseFileName(n);
    if (v >= 0) out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<int64_t> Checkpoint::ReadLast(Env* env, const std::string& log_dir) {
  std::optional<Json> j = ReadLastObject(env, log_dir);
  if (!j) return std::nullopt;
  return (*j)["version"].get<int64_t>();
}

}  // namespace tsl
