// Importer: the reader thread, the bounded chunk queue, rejects, the final
// flushes (see importer.h). Thread-safety: each Run owns its threads; the
// queue is guarded by its mutex.
#include "ingest/importer.h"

#include "formats/mutex.h"

#include <chrono>
#include <cstdio>
#include <deque>
#include <thread>
#include <unordered_set>

#include "formats/utf8.h"
#include "ingest/appender.h"
#include "storage/duplicate_policy.h"
#include "storage/ingest_watermarks.h"
#include "storage/reject_reporter.h"
#include "storage/transaction.h"

namespace tsl {
namespace {

using Clock = std::chrono::steady_clock;

struct Batch {
  DataChunk chunk;
  std::vector<RejectedRow> rejects;
};

// Producer/consumer queue between the reader thread and the appender.
class ChunkQueue {
 public:
  explicit ChunkQueue(size_t capacity) : capacity_(capacity) {}
  // false when the consumer stopped.
  bool Push(Batch b) {
    tsl::MutexLock l(mu_);
    not_full_.wait(l, [&]() REQUIRES(mu_) { return q_.size() < capacity_ || stopped_; });
    if (stopped_) return false;
    q_.push_back(std::move(b));
    not_empty_.notify_one();
    return true;
  }
  void Finish(Status st) {
    tsl::MutexLock l(mu_);
    finished_ = true;
    status_ = std::move(st);
    not_empty_.notify_one();
  }
  // false at the end (then status() tells how it ended).
  bool Pop(Batch* b) {
    tsl::MutexLock l(mu_);
    not_empty_.wait(l, [&]() REQUIRES(mu_) { return !q_.empty() || finished_; });
    if (q_.empty()) return false;
    *b = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Stop() {
    tsl::MutexLock l(mu_);
    stopped_ = true;
    not_full_.notify_all();
  }
  Status status() {
    tsl::MutexLock l(mu_);
    return status_;
  }

 private:
  tsl::Mutex mu_;
  tsl::CondVar not_full_, not_empty_;
  std::deque<Batch> q_ GUARDED_BY(mu_);
  size_t capacity_;
  bool finished_ GUARDED_BY(mu_) = false;
  bool stopped_ GUARDED_BY(mu_) = false;
  Status status_ GUARDED_BY(mu_);
};

// Reads one batch; false at the end.
Result<bool> ReadBatch(ChunkSource* source, RejectReporter* rejects, Batch* b) {
  b->chunk = DataChunk();
  ASSIGN_OR_RETURN(bool more, source->Next(&b->chunk));
  if (rejects) b->rejects = rejects->TakeRejects();
  return more || !b->rejects.empty();
}

DataChunk RejectChunk(const std::vector<RejectedRow>& rejects) {
  DataChunk c;
  c.Initialize({TypeId::kVarchar, TypeId::kBigint, TypeId::kVarchar, TypeId::kVarchar,
                TypeId::kVarchar});
  for (const RejectedRow& r : rejects) {
    c.columns[0].AppendString(EscapeInvalidUtf8(r.source));
    if (r.line > 0) {
      c.columns[1].AppendInt(r.line);
    } else {
      c.columns[1].AppendNull();
    }
    if (r.location.empty()) {
      c.columns[2].AppendNull();
    } else {
      c.columns[2].AppendString(EscapeInvalidUtf8(r.location));
    }
    c.columns[3].AppendString(EscapeInvalidUtf8(r.raw));
    c.columns[4].AppendString(EscapeInvalidUtf8(r.reason));
  }
  return c;
}

std::string Where(const RejectedRow& r) {
  std::string w = r.source;
  if (r.line > 0) w += " line " + std::to_string(r.line);
  if (!r.location.empty()) w += " at " + r.location;
  return w;
}

}  // namespace

std::string ImportSummary::ToString() const {
  char buf[256];
  const double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
  std::snprintf(buf, sizeof buf, "%lld rows, %lld rejects, %lld tags in %.2f s (%.0f rows/s)",
                static_cast<long long>(rows), static_cast<long long>(rejects),
                static_cast<long long>(tags), seconds, rate);
  std::string s = buf;
  if (skipped > 0) s += ", " + std::to_string(skipped) + " at or before their watermark skipped";
  if (duplicates > 0) s += ", " + std::to_string(duplicates) + " duplicates dropped";
  if (replaced > 0) s += ", " + std::to_string(replaced) + " rows replaced";
  if (already_committed) s += "; batch already committed, nothing written";
  else if (version >= 0) s += ", version " + std::to_string(version);
  return s;
}

Result<ImportSummary> Importer::Run(Database* db, const std::string& table_name,
                                    ChunkSource* source, ImportOptions options) {
  const auto start = Clock::now();
  ASSIGN_OR_RETURN(std::shared_ptr<Table> table, db->GetTable(table_name));
  AppenderOptions aopts;
  aopts.app_id = options.batch_app_id;
  aopts.operation = "IMPORT";
  ASSIGN_OR_RETURN(std::unique_ptr<Appender> appender, Appender::Open(table, aopts));
  const Schema& schema = appender->schema();
  const Schema& src = source->schema();
  if (src.size() != schema.size())
    return Status::InvalidArgument(options.source + ": has " + std::to_string(src.size()) +
                                   " columns but table " + table_name + " has " +
                                   std::to_string(schema.size()));
  for (size_t i = 0; i < schema.size(); ++i)
    if (src.fields[i].type != schema.fields[i].type)
      return Status::InvalidArgument(options.source + ": column " + std::to_string(i + 1) + " (\"" +
                                     src.fields[i].name + "\") is " +
                                     std::string(TypeName(src.fields[i].type)) + " but table " +
                                     table_name + " has " +
                                     std::string(TypeName(schema.fields[i].type)));
  ImportSummary summary;
  if (!options.batch_app_id.empty() &&
      appender->last_committed_sequence() >= options.batch_version) {
    summary.already_committed = true;  // re-run of a committed batch: read nothing
    summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary;
  }

  // duplicate_policy: keep_first filters chunks on their way to the
  // appender; keep_last buffers them and commits through one Transaction
  // that also rewrites the replaced rows' files.
  std::unique_ptr<Transaction> last_txn;
  std::unique_ptr<Deduplicator> dedup;
  {
    ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, table->GetSnapshot());
    ASSIGN_OR_RETURN(DuplicatePolicy policy, GetDuplicatePolicy(*snap));
    if (policy == DuplicatePolicy::kKeepLast) {
      ASSIGN_OR_RETURN(last_txn, table->NewTransaction());
      last_txn->SetSegmentDefaults(db->options().segment_options);
      snap = std::shared_ptr<const Snapshot>(std::shared_ptr<const Snapshot>(),
                                             &last_txn->read_snapshot());
    }
    if (policy != DuplicatePolicy::kKeepAll) {
      ASSIGN_OR_RETURN(dedup, Deduplicator::Make(table, snap));
    }
  }

  WatermarkTracker watermarks(Schema{});  // inactive unless the table asks for them
  {
    ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> snap, table->GetSnapshot());
    if (options.incremental || WatermarksEnabled(*snap)) watermarks = WatermarkTracker(schema);
  }
  int wm_tag = -1, wm_ts = -1;
  std::unordered_map<std::string, int64_t> known;
  if (options.incremental && FindTagTimeColumns(schema, &wm_tag, &wm_ts)) {
    ASSIGN_OR_RETURN(known, LoadTagWatermarks(db, table_name));
  }

  const int tag_column = [&] {
    for (size_t i = 0; i < schema.size(); ++i)
      if (schema.fields[i].type == TypeId::kVarchar && EqualsIgnoreCase(schema.fields[i].name, "tag"))
        return static_cast<int>(i);
    return -1;
  }();
  std::unordered_set<std::string> tags;
  std::string last_tag;
  bool have_last = false;

  RejectReporter* reporter = dynamic_cast<RejectReporter*>(source);
  std::unique_ptr<Appender> reject_appender;
  std::vector<RejectedRow> first_reject;
  auto last_progress = start;
  auto report = [&](bool done) {
    if (!options.progress) return;
    ImportProgress p;
    p.rows = summary.rows;
    p.rejects = summary.rejects;
    p.bytes_read = options.bytes_read ? options.bytes_read() : -1;
    p.bytes_total = options.bytes_total;
    p.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    p.done = done;
    options.progress(p);
  };

  // Consumes one batch: rows to the appender, rejects to their table.
  auto consume = [&](Batch& b) -> Status {
    if (!b.rejects.empty()) {
      summary.rejects += static_cast<int64_t>(b.rejects.size());
      if (options.abort_on_error) {
        first_reject.push_back(b.rejects.front());
        return Status::InvalidArgument("");  // reported below
      }
      if (reject_appender == nullptr) {
        ASSIGN_OR_RETURN(std::shared_ptr<Table> rt,
                         db->CreateTable(table_name + "_rejects", RejectTableSchema(), {},
                                         /*if_not_exists=*/true));
        AppenderOptions ropts;
        ropts.app_id = options.batch_app_id;
        ropts.operation = "IMPORT REJECTS";
        ASSIGN_OR_RETURN(reject_appender, Appender::Open(rt, ropts));
      }
      RETURN_IF_ERROR(reject_appender->AppendChunk(RejectChunk(b.rejects)));
    }
    if (!known.empty()) summary.skipped += DropAtOrBeforeWatermark(known, wm_tag, wm_ts, &b.chunk);
    if (dedup && dedup->policy() == DuplicatePolicy::kKeepLast) watermarks.Add(b.chunk);
    if (dedup) RETURN_IF_ERROR(dedup->Add(&b.chunk));
    if (!dedup || dedup->policy() != DuplicatePolicy::kKeepLast) watermarks.Add(b.chunk);
    const size_t n = b.chunk.size();
    if (n == 0) return Status::OK();
    if (tag_column >= 0) {
      const ColumnVector& tag = b.chunk.columns[static_cast<size_t>(tag_column)];
      for (size_t r = 0; r < n; ++r) {
        if (tag.IsNull(r)) continue;
        if (have_last && tag.strings[r] == last_tag) continue;
        last_tag = tag.strings[r];
        have_last = true;
        tags.insert(last_tag);
      }
    }
    summary.rows += static_cast<int64_t>(n);
    RETURN_IF_ERROR(appender->AppendChunk(std::move(b.chunk)));
    if (Clock::now() - last_progress > std::chrono::milliseconds(500)) {
      last_progress = Clock::now();
      report(false);
    }
    return Status::OK();
  };

  Status st;
  if (options.pipeline) {
    ChunkQueue queue(8);
    std::thread reader([&] {
      Status rs;
      for (;;) {
        Batch b;
        Result<bool> more = ReadBatch(source, reporter, &b);
        if (!more.ok()) {
          rs = more.status();
          break;
        }
        if (!*more) break;
        if (!queue.Push(std::move(b))) break;
      }
      queue.Finish(rs);
    });
    Batch b;
    while (st.ok() && queue.Pop(&b)) st = consume(b);
    queue.Stop();
    while (queue.Pop(&b)) {
    }
    reader.join();
    if (st.ok()) st = queue.status();
  } else {
    for (;;) {
      Batch b;
      Result<bool> more = ReadBatch(source, reporter, &b);
      if (!more.ok()) {
        st = more.status();
        break;
      }
      if (!*more) break;
      st = consume(b);
      if (!st.ok()) break;
    }
  }
  if (!st.ok()) {
    appender->Discard();
    if (reject_appender) reject_appender->Discard();
    if (!first_reject.empty()) {
      const RejectedRow& r = first_reject.front();
      return Status::InvalidArgument(
          Where(r) + ": " + r.reason + " (ON_ERROR abort: a row was rejected; nothing was committed)");
    }
    return st;
  }

  // Rejects first: a crash between the two commits is completed by a
  // re-run, whose rejects commit is skipped by the batch id.
  if (reject_appender) {
    Result<FlushResult> rf = options.batch_app_id.empty()
                                 ? reject_appender->Flush()
                                 : reject_appender->Flush(options.batch_version);
    if (!rf.ok()) {
      appender->Discard();
      return rf.status();
    }
  }
  if (last_txn) {  // keep_last: one Transaction instead of the appender
    appender->Discard();
    RETURN_IF_ERROR(dedup->Finish(last_txn.get()));
    summary.rows = dedup->added();
    if (!options.batch_app_id.empty())
      RETURN_IF_ERROR(last_txn->SetTxn(options.batch_app_id, options.batch_version));
    ASSIGN_OR_RETURN(CommitResult c, last_txn->Commit("IMPORT", {{"duplicate_policy", "keep_last"}}));
    summary.version = c.version;
  } else {
    Result<FlushResult> f = options.batch_app_id.empty() ? appender->Flush()
                                                        : appender->Flush(options.batch_version);
    if (!f.ok()) return f.status();
    summary.version = f->version;
    summary.already_committed = f->already_committed;
  }
  // After the data: a failure leaves the watermark behind (safe), so it is
  // not an import failure.
  if (summary.version >= 0 && !summary.already_committed)
    (void)watermarks.Commit(db, table_name, options.source, summary.version);
  if (dedup) {
    summary.duplicates = dedup->dropped();
    summary.replaced = dedup->replaced();
  }
  summary.tags = static_cast<int64_t>(tags.size());
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  report(true);
  return summary;
}

}  // namespace tsl
