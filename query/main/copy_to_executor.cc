// COPY ... TO: exports to Parquet files and Delta Lake tables.
//   COPY t TO 'out.parquet' (FORMAT parquet)      one file, every row of t
//   COPY t TO 'dir' (FORMAT parquet)              one file per live segment,
//   dir/<partition>/<uuid>.parquet COPY (SELECT ...) TO 'out.parquet'            one file, the
//   query's rows COPY t TO 'dir' (FORMAT delta [, INCREMENTAL]) a Delta table
//   (storage/delta_mirror.h)
// Options: FORMAT parquet|delta (parquet is implied by a .parquet path),
// COMPRESSION zstd|uncompressed, ROW_GROUP_SIZE n, INCREMENTAL (delta).
// Paths are on the local file system (Env::Default()), whatever the
// database's own Env, and must pass the database's FileAccessPolicy (not
// inside the database directory, not read-only). Throws QueryError. Thread-safety: as StatementExecutor.
#include <algorithm>

#include "query/binder/binder.h"
#include "query/common/query_error.h"
#include "query/main/statement_executor.h"
#include "query/planner/planner.h"
#include "storage/delta_mirror.h"
#include "storage/parquet_export.h"

namespace tsl::query {
namespace {

// The rows of a planned SELECT as a ChunkSource.
class OperatorSource final : public ChunkSource {
 public:
  // A bare NULL column (SELECT NULL AS x) is written as INTEGER, as DuckDB does.
  OperatorSource(Schema schema, std::unique_ptr<PhysicalOperator> root, ExecutionContext ctx)
      : schema_(std::move(schema)), root_(std::move(root)), ctx_(ctx) {
    for (Field& f : schema_.fields)
      if (f.type == TypeId::kNull) f.type = TypeId::kInteger;
  }
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    ctx_.CheckCancelled();
    *out = DataChunk();
    if (!root_->Next(out)) return false;
    for (size_t c = 0; c < out->columns.size() && c < schema_.size(); ++c) {
      if (out->columns[c].type != TypeId::kNull) continue;
      ColumnVector nulls(TypeId::kInteger);
      nulls.Resize(out->columns[c].size());
      out->columns[c] = std::move(nulls);
    }
    return true;
  }

 private:
  Schema schema_;
  std::unique_ptr<PhysicalOperator> root_;
  ExecutionContext ctx_;
};

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && ToLower(s.substr(s.size() - suffix.size())) == suffix;
}

QueryResult Count(int64_t n) {
  QueryResult r;
  r.statement_type = "COPY";
  r.schema.fields.push_back({"Count", TypeId::kBigint});
  DataChunk chunk;
  chunk.Initialize({TypeId::kBigint});
  chunk.columns[0].AppendInt(n);
  r.chunks.push_back(std::move(chunk));
  return r;
}

}  // namespace

QueryResult StatementExecutor::ExecuteCopyTo(const Statement& stmt) {
  Binder binder(db_, functions_);
  std::string format = EndsWith(stmt.copy_path, ".parquet") ? "parquet" : "";
  bool incremental = false;
  ParquetWriteOptions parquet;
  for (const auto& [name, expr] : stmt.copy_options) {
    Value v = binder.EvaluateConstant(*expr);
    if (name == "format") {
      format = ToLower(v.is_null() ? "" : v.ToString());
    } else if (name == "compression" || name == "codec") {
      Result<ParquetCompression> c = ParseParquetCompression(v.is_null() ? "" : v.ToString());
      if (!c.ok())
        throw QueryError(ErrorKind::kInvalidInput, "COPY ... TO: " + c.status().message());
      parquet.compression = *c;
    } else if (name == "row_group_size") {
      Result<Value> n = v.CastTo(TypeId::kBigint);
      if (!n.ok() || n->is_null() || n->int_value() <= 0)
        throw QueryError(ErrorKind::kInvalidInput,
                         "COPY ... TO: ROW_GROUP_SIZE must be a positive integer");
      parquet.row_group_rows = n->int_value();
    } else if (name == "incremental") {
      Result<Value> b = v.CastTo(TypeId::kBoolean);
      if (!b.ok() || b->is_null())
        throw QueryError(ErrorKind::kInvalidInput, "COPY ... TO: INCREMENTAL takes true or false");
      incremental = b->bool_value();
    } else {
      throw QueryError(ErrorKind::kInvalidInput,
                       "COPY ... TO: unknown option \"" + name +
                           "\" (known: FORMAT, COMPRESSION, ROW_GROUP_SIZE, INCREMENTAL)");
    }
  }
  if (format != "parquet" && format != "delta") {
    throw QueryError(ErrorKind::kNotImplemented,
                     "COPY ... TO supports FORMAT parquet and FORMAT delta" +
                         (format.empty() ? std::string(": add (FORMAT parquet) or (FORMAT delta)")
                                         : ", not " + format),
                     stmt.position);
  }
  if (incremental && format != "delta")
    throw QueryError(ErrorKind::kInvalidInput,
                     "COPY ... TO: INCREMENTAL applies to FORMAT delta only");
  // Never into the database directory, never when read-only or without
  // external access (storage/file_access_policy.h). Checked before the
  // query runs, so a refused COPY costs nothing.
  ThrowIfError(db_->file_access()->Check("COPY ... TO", stmt.copy_path, FileAccess::kWrite));
  Env* env = Env::Default();

  if (stmt.select) {
    if (format == "delta")
      throw QueryError(ErrorKind::kNotImplemented,
                       "COPY (SELECT ...) TO ... (FORMAT delta) is not supported: a Delta mirror "
                       "exports a table, "
                       "COPY t TO 'dir' (FORMAT delta)",
                       stmt.position);
    std::unique_ptr<BoundSelect> select = binder.BindSelect(*stmt.select);
    Schema schema = select->output;
    OperatorSource source(schema, Planner(ctx_).Plan(*select), ctx_);
    ParquetFileInfo info = ValueOrThrow(WriteParquetFile(env, stmt.copy_path, &source, parquet));
    return Count(info.rows);
  }

  std::shared_ptr<Table> table = binder.GetTable(stmt.table, stmt.table_position);
  if (format == "delta") {
    DeltaExportOptions options;
    options.incremental = incremental;
    options.parquet = parquet;
    DeltaExportResult r = ValueOrThrow(ExportDeltaMirror(*table, env, stmt.copy_path, options));
    return Count(r.rows_added);
  }
  std::shared_ptr<const Snapshot> snapshot = ValueOrThrow(table->GetSnapshot());
  if (EndsWith(stmt.copy_path, ".parquet")) {
    std::unique_ptr<ChunkSource> scan = ValueOrThrow(table->NewScan(snapshot, ScanOptions{}));
    ParquetFileInfo info = ValueOrThrow(WriteParquetFile(env, stmt.copy_path, scan.get(), parquet));
    return Count(info.rows);
  }
  if (env->FileExists(stmt.copy_path)) {
    if (!env->IsDirectory(stmt.copy_path))
      throw QueryError(ErrorKind::kInvalidInput, stmt.copy_path + " exists and is not a directory");
    std::vector<std::string> children = ValueOrThrow(env->GetChildren(stmt.copy_path));
    if (!children.empty())
      throw QueryError(
          ErrorKind::kInvalidInput,
          stmt.copy_path +
              " is not empty: COPY t TO 'dir' (FORMAT parquet) writes into a new or empty "
              "directory (or name a file ending in .parquet)");
  }
  ThrowIfError(CreateDirs(env, stmt.copy_path));
  std::vector<ParquetFileInfo> files = ValueOrThrow(
      ExportSegmentsAsParquet(*table, snapshot, snapshot->files().Pointers(), env, stmt.copy_path, parquet));
  int64_t rows = 0;
  for (const ParquetFileInfo& f : files) rows += f.rows;
  return Count(rows);
}

}  // namespace tsl::query
