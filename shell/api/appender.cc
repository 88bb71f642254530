// tslake::Appender: the public face of ingest's tsl::Appender. Builds rows
// and column batches into engine values, applies the database's sync mode
// (kFull: Flush() commits; kNormal: Flush() requests a commit that the
// CommitFlusher makes within the sync interval) and its memory limit (the
// engine appender cuts segment files at a quarter of it).
// Thread-safety: one thread at a time per Appender; the state it shares
// with the CommitFlusher is guarded by AppenderState::mu.
#include <algorithm>
#include <limits>

#include "shell/api/api_internal.h"

#include "formats/mutex.h"
#include "formats/scalar_text.h"
#include "ingest/csv_reader.h"
#include "ingest/prefetch_source.h"

namespace tslake {

namespace {
Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}
}  // namespace

struct Appender::Impl {
  Database::Impl* db = nullptr;
  std::shared_ptr<AppenderState> state;
  std::string table;
  std::string app_id;
  std::vector<ColumnInfo> columns;
  std::vector<tsl::TypeId> types;
  std::vector<tsl::Value> row;  // the row being built by Append*
  Status row_error;             // first error of that row; EndRow reports it
  bool normal = false;          // SyncMode::kNormal
  bool closed = false;          // Close() returned: Append* refuse

  Status AddValue(tsl::Value v) {
    // Checked here without the lock: Close() runs on the thread that owns
    // this Appender (a closed appender's EndRow also refuses, under it).
    if (closed) return Status(ErrorCode::kInvalidArgument, "the appender is closed");
    if (!row_error.ok()) return row_error;
    if (row.size() >= columns.size()) {
      row_error = Status(ErrorCode::kInvalidArgument, "table \"" + table + "\" has " +
                                                          std::to_string(columns.size()) +
                                                          " columns; this row has more values");
      return row_error;
    }
    row.push_back(std::move(v));
    return Status();
  }

  // An error a deferred commit left behind, once. REQUIRES: state->mu held.
  Status TakeDeferredErrorLocked() REQUIRES(state->mu) {
    tsl::Status st = std::move(state->deferred_error);
    state->deferred_error = tsl::Status::OK();
    return ToPublic(st);
  }

  // Issue 21: the materialized views over the table catch up after a
  // commit (a failure is left for the next commit or REFRESH to repair:
  // the view remembers the source version it materializes).
  void MaintainViews() {
    (void)tsl::query::QueryEngine::MaintainMaterializedViews(db->db.get(), &db->functions, table);
  }

  void AfterCallLocked() REQUIRES(state->mu) {
    if (db->flusher) db->flusher->CommitIfDueLocked(state.get());
  }

  Status Flush(int64_t sequence, FlushInfo* info);
};

namespace {

// Rows per segment file so that one appender's in-memory segment stays
// within a quarter of the memory limit (values' bytes, estimated per type).
int64_t RowsPerSegment(const tsl::Schema& schema, int64_t memory_limit) {
  constexpr int64_t kDefault = 1 << 20;
  if (memory_limit <= 0) return kDefault;
  int64_t row_bytes = 0;
  for (const tsl::Field& f : schema.fields)
    row_bytes += 1 + (tsl::PhysicalClassOf(f.type) == tsl::PhysicalClass::kString ? 48 : 8);
  return std::clamp<int64_t>(memory_limit / 4 / std::max<int64_t>(row_bytes, 1), 8192, kDefault);
}

}  // namespace

Appender::Appender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Appender::~Appender() {
  // As DuckDB's: rows not flushed are committed rather than dropped; an
  // error here is lost, which is why Close() exists.
  if (impl_) (void)Close();
}

std::unique_ptr<Appender> Appender::Open(Database& db, const std::string& table,
                                         const AppenderOptions& options, Status* status) {
  auto fail = [&](Status st) -> std::unique_ptr<Appender> {
    if (status) *status = std::move(st);
    return nullptr;
  };
  Database::Impl* dbi = db.impl_.get();
  if (dbi->db->read_only())
    return fail(Invalid("cannot append to \"" + table + "\": the database is open read-only"));
  tsl::Result<std::shared_ptr<tsl::Table>> t = dbi->db->GetTable(table);
  if (!t.ok()) return fail(ToPublic(t.status()));
  tsl::Result<std::shared_ptr<const tsl::Snapshot>> snap = (*t)->GetSnapshot();
  if (!snap.ok()) return fail(ToPublic(snap.status()));
  // Declared constraints (query/main/table_constraints.h) are checked by
  // INSERT, COPY and UPDATE; the Appender's rows bypass the query layer, so
  // it refuses such a table rather than let in rows that break them.
  for (const auto& [key, value] : (*snap)->metadata().configuration) {
    // A materialized view's rows are written by its refresh only (issue 21).
    if (key == "materialized_view.source") {
      return fail(Invalid("cannot append to materialized view \"" + table +
                          "\": its rows are maintained from its source table " + value +
                          " (append to the source)"));
    }
    if (key.rfind("constraint.", 0) == 0 && key.rfind("constraint.default.", 0) != 0) {
      return fail(Invalid("cannot append to \"" + table +
                          "\": the table declares constraints (PRIMARY KEY, UNIQUE, NOT NULL or "
                          "CHECK) that the Appender does not check; use INSERT or COPY"));
    }
  }

  tsl::GroupCommitOptions commit_options;
  commit_options.segment_options = dbi->db->options().segment_options;
  tsl::AppenderOptions engine_options;
  engine_options.app_id = options.app_id;
  engine_options.rows_per_segment = RowsPerSegment((*snap)->schema(), dbi->options.memory_limit);
  tsl::Result<std::unique_ptr<tsl::Appender>> engine =
      tsl::Appender::Open(tsl::GroupCommitter::ForTable(*t, commit_options), engine_options);
  if (!engine.ok()) return fail(ToPublic(engine.status()));

  auto impl = std::make_unique<Impl>();
  impl->db = dbi;
  impl->table = (*t)->name();
  impl->app_id = options.app_id;
  for (const tsl::Field& f : (*engine)->schema().fields) {
    impl->columns.push_back(ColumnInfo{f.name, PublicType(f.type), std::string(tsl::TypeName(f.type))});
    impl->types.push_back(f.type);
  }
  impl->row.reserve(impl->columns.size());
  impl->state = std::make_shared<AppenderState>();
  {
    tsl::MutexLock l(impl->state->mu);  // not shared yet; taken for the analysis's sake
    impl->state->appender = std::move(engine).value();
  }
  impl->state->after_commit = [dbi, name = impl->table] {
    (void)tsl::query::QueryEngine::MaintainMaterializedViews(dbi->db.get(), &dbi->functions, name);
  };
  impl->normal = dbi->flusher != nullptr;
  if (impl->normal) dbi->flusher->Register(impl->state);
  if (status) *status = Status();
  return std::unique_ptr<Appender>(new Appender(std::move(impl)));
}

const std::vector<ColumnInfo>& Appender::columns() const { return impl_->columns; }

Status Appender::AppendNull() {
  size_t column = std::min(impl_->row.size(), impl_->types.size() - 1);
  return impl_->AddValue(
      tsl::Value::Null(impl_->types.empty() ? tsl::TypeId::kNull : impl_->types[column]));
}
Status Appender::AppendBool(bool value) { return impl_->AddValue(tsl::Value::Boolean(value)); }
Status Appender::AppendInt64(int64_t value) { return impl_->AddValue(tsl::Value::Bigint(value)); }
Status Appender::AppendDouble(double value) { return impl_->AddValue(tsl::Value::Double(value)); }
Status Appender::AppendString(std::string_view value) {
  return impl_->AddValue(tsl::Value::Varchar(std::string(value)));
}
Status Appender::AppendTimestamp(int64_t micros) {
  return impl_->AddValue(tsl::Value::Timestamp(micros));
}

Status Appender::EndRow() {
  Impl& im = *impl_;
  Status st = im.row_error;
  if (st.ok() && im.row.size() != im.columns.size()) {
    st = Invalid("table \"" + im.table + "\" has " + std::to_string(im.columns.size()) +
                 " columns; this row has " + std::to_string(im.row.size()) + " values");
  }
  if (st.ok()) {
    tsl::MutexLock l(im.state->mu);
    if (im.state->appender == nullptr) {
      st = Invalid("the appender is closed");
    } else {
      im.AfterCallLocked();  // before the row: a due commit is of the rows flushed earlier
      st = ToPublic(im.state->appender->AppendRow(im.row));
    }
  }
  im.row.clear();
  im.row_error = Status();
  return st;
}

Status Appender::AppendBatch(int64_t rows, const std::vector<ColumnData>& columns) {
  Impl& im = *impl_;
  if (rows < 0) return Invalid("AppendBatch: rows is negative");
  if (columns.size() != im.columns.size())
    return Invalid("AppendBatch: table \"" + im.table + "\" has " +
                   std::to_string(im.columns.size()) + " columns but the batch has " +
                   std::to_string(columns.size()));
  tsl::DataChunk chunk;
  chunk.columns.resize(columns.size());
  const size_t n = static_cast<size_t>(rows);
  for (size_t c = 0; c < columns.size(); ++c) {
    const ColumnData& in = columns[c];
    const std::string where = "AppendBatch: column \"" + im.columns[c].name + "\"";
    if (in.type != im.columns[c].type)
      return Invalid(where + " is " + TypeName(im.columns[c].type) + " but the batch gives " +
                     TypeName(in.type));
    if (in.values == nullptr && rows > 0 && in.type != Type::kVarchar)
      return Invalid(where + ": values is null");
    tsl::ColumnVector& out = chunk.columns[c];
    out.type = im.types[c];
    if (in.valid) {
      out.valid.assign(in.valid, in.valid + n);
      for (uint8_t& v : out.valid) v = v ? 1 : 0;
    } else {
      out.valid.assign(n, 1);
    }
    switch (tsl::PhysicalClassOf(out.type)) {
      case tsl::PhysicalClass::kInt64: {
        const auto* v = static_cast<const int64_t*>(in.values);
        out.ints.assign(v, v + n);
        for (size_t r = 0; r < n; ++r) {
          if (!out.valid[r]) {
            out.ints[r] = 0;
          } else if ((tsl::IsIntegral(out.type) && (v[r] < tsl::IntegralMin(out.type) ||
                                                    v[r] > tsl::IntegralMax(out.type))) ||
                     (out.type == tsl::TypeId::kTime && (v[r] < 0 || v[r] > tsl::kMaxTimeMicros))) {
            return Invalid(where + " row " + std::to_string(r) + ": " + std::to_string(v[r]) +
                           " is out of range for " + std::string(tsl::TypeName(out.type)));
          } else if (out.type == tsl::TypeId::kBoolean && v[r] != 0 && v[r] != 1) {
            return Invalid(where + " row " + std::to_string(r) + ": a BOOLEAN is 0 or 1, not " +
                           std::to_string(v[r]));
          }
        }
        break;
      }
      case tsl::PhysicalClass::kDouble: {
        const auto* v = static_cast<const double*>(in.values);
        out.doubles.assign(v, v + n);
        break;
      }
      case tsl::PhysicalClass::kString: {
        const auto* v = static_cast<const char* const*>(in.values);
        out.strings.resize(n);
        for (size_t r = 0; r < n; ++r) {
          if (!out.valid[r]) continue;
          if (v == nullptr || v[r] == nullptr)
            return Invalid(where + " row " + std::to_string(r) +
                           ": a valid VARCHAR value is a null pointer");
          out.strings[r] = v[r];
          if (out.type == tsl::TypeId::kUuid) {  // the canonical text, validated
            tsl::Result<std::string> u = tsl::ParseUuid(out.strings[r]);
            if (!u.ok()) return Invalid(where + " row " + std::to_string(r) + ": " + u.status().message());
            out.strings[r] = std::move(*u);
          }
        }
        break;
      }
    }
  }
  tsl::MutexLock l(im.state->mu);
  if (im.state->appender == nullptr) return Invalid("the appender is closed");
  im.AfterCallLocked();
  return ToPublic(im.state->appender->AppendChunk(std::move(chunk)));
}

Status Appender::AppendCsv(const std::function<int64_t(char* buffer, size_t capacity)>& read,
                           const CsvFormat& format, int64_t* rows) {
  Impl& im = *impl_;
  if (rows) *rows = 0;
  if (im.closed) return Invalid("the appender is closed");
  tsl::CsvOptions options;
  options.header = format.header;
  options.delimiter = format.delimiter;
  options.quote = format.quote;
  options.allow_quoted_nulls = format.quoted_empty_is_null;
  options.max_record_bytes = std::max<size_t>(format.max_record_bytes, 1024);
  {
    tsl::MutexLock l(im.state->mu);
    if (im.state->appender == nullptr) return Invalid("the appender is closed");
    options.target_schema = im.state->appender->schema();
  }
  tsl::Result<std::unique_ptr<tsl::CsvReader>> opened =
      tsl::CsvReader::OpenStream(format.name, std::move(options), read);
  if (!opened.ok()) return ToPublic(opened.status());
  // Parsing runs a few chunks ahead on a thread of its own (as COPY FROM a
  // file does), so parsing and this thread's sorting and encoding overlap.
  tsl::PrefetchSource reader(std::move(opened).value());
  tsl::DataChunk chunk;
  while (true) {
    chunk = tsl::DataChunk();
    tsl::Result<bool> more = reader.Next(&chunk);
    if (!more.ok()) return ToPublic(more.status());
    if (!*more) return Status();
    const int64_t n = static_cast<int64_t>(chunk.size());
    if (n == 0) continue;
    tsl::MutexLock l(im.state->mu);
    if (im.state->appender == nullptr) return Invalid("the appender is closed");
    im.AfterCallLocked();
    Status st = ToPublic(im.state->appender->AppendChunk(std::move(chunk)));
    if (!st.ok()) return st;
    if (rows) *rows += n;
  }
}

Status Appender::Flush(FlushInfo* info) {
  Status st = impl_->Flush(-1, info);
  if (st.ok() && !impl_->normal) impl_->MaintainViews();
  return st;
}

Status Appender::Flush(int64_t sequence, FlushInfo* info) {
  if (info) *info = FlushInfo();
  if (impl_->app_id.empty())
    return Invalid("Flush(sequence) needs an appender opened with an app_id");
  if (sequence < 0)
    return Invalid("batch sequence numbers start at 0, not " + std::to_string(sequence));
  Status st = impl_->Flush(sequence, info);
  if (st.ok() && !impl_->normal) impl_->MaintainViews();
  return st;
}

// `sequence` -1: the next one (or none without an app id).
Status Appender::Impl::Flush(int64_t sequence, FlushInfo* info) {
  Impl& im = *this;
  if (info) *info = FlushInfo();
  tsl::MutexLock l(im.state->mu);
  AppenderState& s = *im.state;
  s.mu.AssertHeld();  // the same mutex, named through s
  if (s.appender == nullptr) return Invalid("the appender is closed");
  if (Status deferred = im.TakeDeferredErrorLocked(); !deferred.ok()) {
    // A deferred commit failed: nothing after last_committed_sequence()
    // commits (commit_flusher.h (3)); the caller resends from there.
    s.DropAllLocked();
    return deferred;
  }
  const int64_t rows = s.appender->pending_rows();
  if (!im.normal) {
    tsl::Result<tsl::FlushResult> r =
        sequence >= 0 ? s.appender->Flush(sequence) : s.appender->Flush();
    if (!r.ok()) return ToPublic(r.status());
    if (info) {
      info->rows = r->rows;
      info->version = r->version;
      info->durable = true;
      info->already_committed = r->already_committed;
    }
    return Status();
  }
  // kNormal: detach the rows now (so rows appended after this call are not
  // part of this batch) and queue them; the flusher commits them within
  // the interval.
  if (sequence >= 0) {
    if (sequence <= s.appender->last_committed_sequence()) {
      // A replayed batch that committed before: drop its rows now, exactly
      // as the engine would at commit time.
      s.appender->Discard();
      if (info) {
        info->rows = rows;
        info->already_committed = true;
      }
      return Status();
    }
    if (sequence <= s.appender->reserved_sequence())
      return Invalid("Flush(" + std::to_string(sequence) + "): sequence numbers must increase; " +
                     std::to_string(s.appender->reserved_sequence()) +
                     " is already waiting to commit");
  }
  if (info) info->rows = rows;
  if (rows == 0) return Status();  // an empty flush commits nothing
  if (Status st = ToPublic(s.QueueFlushLocked(sequence)); !st.ok()) return st;
  im.AfterCallLocked();
  return Status();
}

Status Appender::Close() {
  Impl& im = *impl_;
  Status st;
  {
    tsl::MutexLock c(im.state->commit_mu);  // after an in-flight deferred commit
    tsl::MutexLock l(im.state->mu);
    AppenderState& s = *im.state;
    s.commit_mu.AssertHeld();  // the same mutexes, named through s
    s.mu.AssertHeld();
    if (s.appender == nullptr) return Invalid("the appender is closed");
    im.closed = true;
    im.row.clear();
    st = im.TakeDeferredErrorLocked();
    if (!st.ok()) {
      s.DropAllLocked();  // commit_flusher.h (3)
    } else {
      if (s.appender->pending_rows() > 0) st = ToPublic(s.QueueFlushLocked(-1));
      if (st.ok()) {
        s.CommitRequestedLocked();
        st = im.TakeDeferredErrorLocked();
      } else {
        s.DropAllLocked();
      }
    }
    s.appender.reset();  // detaches from the table's committer
  }
  if (st.ok()) im.MaintainViews();
  return st;
}

Status Appender::Discard() {
  Impl& im = *impl_;
  tsl::MutexLock l(im.state->mu);
  AppenderState& s = *im.state;
  s.mu.AssertHeld();  // the same mutex, named through s
  if (s.appender == nullptr) return Invalid("the appender is closed");
  im.row.clear();
  im.row_error = Status();
  s.appender->Discard();
  return Status();
}

int64_t Appender::pending_rows() const {
  tsl::MutexLock l(impl_->state->mu);
  const AppenderState& s = *impl_->state;
  s.mu.AssertHeld();  // the same mutex, named through s
  return s.appender ? s.appender->pending_rows() + s.QueuedRows() : 0;
}

int64_t Appender::last_committed_sequence() const {
  tsl::MutexLock l(impl_->state->mu);
  return impl_->state->appender ? impl_->state->appender->last_committed_sequence() : -1;
}

}  // namespace tslake
