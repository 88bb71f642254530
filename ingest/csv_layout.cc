// Epoch-timestamp and wide-CSV adapters around CsvReader (see
// csv_layout.h). Thread-safety: one thread.
#include "ingest/csv_layout.h"

#include "formats/timestamp.h"

#include "ingest/schema_mapper.h"
#include "storage/reject_reporter.h"

namespace tsl {
namespace {

// Why a timestamp field was refused, after its quoted text.
std::string EpochFailure(bool out_of_range) {
  if (out_of_range)
    return std::string("is outside the supported TIMESTAMP range (") + TimestampRangeText() + ")";
  return "is neither an ISO 8601 timestamp nor an epoch number";
}

std::string RawRecord(const DataChunk& c, size_t row, char delimiter) {
  std::string raw;
  for (size_t i = 0; i < c.columns.size(); ++i) {
    if (i) raw += delimiter;
    if (!c.columns[i].IsNull(row)) raw += c.columns[i].GetValue(row).ToString();
  }
  return raw.substr(0, kMaxRejectRawBytes);
}

bool IsTimeName(const std::string& name) {
  for (const char* n : {"ts", "time", "timestamp", "t_stamp"})
    if (EqualsIgnoreCase(name, n)) return true;
  return false;
}

// Timestamp columns read as VARCHAR and converted (epoch option).
class EpochCsvSource : public ChunkSource, public RejectReporter {
 public:
  EpochCsvSource(std::string path, std::unique_ptr<CsvReader> inner, Schema output,
                 std::vector<int> ts_columns, EpochUnit unit, char delimiter)
      : path_(std::move(path)),
        inner_(std::move(inner)),
        output_(std::move(output)),
        ts_columns_(std::move(ts_columns)),
        unit_(unit),
        delimiter_(delimiter) {}

  const Schema& schema() const override { return output_; }
  std::vector<RejectedRow> TakeRejects() override {
    std::vector<RejectedRow> out;
    out.swap(rejects_);
    return out;
  }
  int64_t rejected_count() const override { return rejected_; }

  Result<bool> Next(DataChunk* out) override {
    for (;;) {
      const int64_t line_before = inner_->line();
      ASSIGN_OR_RETURN(bool more, inner_->Next(&raw_));
      if (!more) return false;
      const size_t n = raw_.size();
      std::vector<uint32_t> keep;
      keep.reserve(n);
      std::vector<ColumnVector> converted;
      for (int c : ts_columns_) {
        converted.emplace_back(TypeId::kTimestamp);
        converted.back().Reserve(n);
        (void)c;
      }
      for (size_t r = 0; r < n; ++r) {
        std::string reason;
        for (size_t k = 0; k < ts_columns_.size() && reason.empty(); ++k) {
          const ColumnVector& src = raw_.columns[static_cast<size_t>(ts_columns_[k])];
          if (src.IsNull(r)) {
            converted[k].AppendNull();
            continue;
          }
          int64_t micros;
          bool out_of_range = false;
          if (ParseTimestampOrEpoch(src.strings[r], unit_, &micros, &out_of_range)) {
            converted[k].AppendInt(micros);
          } else {
            reason = "column \"" + output_.fields[static_cast<size_t>(ts_columns_[k])].name +
                     "\": \"" + src.strings[r] + "\" " + EpochFailure(out_of_range);
          }
        }
        if (reason.empty()) {
          keep.push_back(static_cast<uint32_t>(r));
          continue;
        }
        for (size_t k = 0; k < ts_columns_.size(); ++k)
          if (converted[k].size() > keep.size()) converted[k].Resize(keep.size());
        ++rejected_;
        rejects_.push_back(RejectedRow{path_, line_before + 1 + static_cast<int64_t>(r), "",
                                       RawRecord(raw_, r, delimiter_), reason});
      }
      if (keep.empty()) continue;
      for (size_t k = 0; k < ts_columns_.size(); ++k)
        raw_.columns[static_cast<size_t>(ts_columns_[k])] = std::move(converted[k]);
      if (keep.size() == n) {
        std::swap(*out, raw_);
      } else {
        out->columns.resize(raw_.columns.size());
        for (size_t c = 0; c < raw_.columns.size(); ++c) {
          out->columns[c] = ColumnVector(raw_.columns[c].type);
          if (ColumnIsTs(c)) {
            // Already compacted to the kept rows.
            std::swap(out->columns[c], raw_.columns[c]);
          } else {
            out->columns[c].AppendSelection(raw_.columns[c], keep);
          }
        }
      }
      return true;
    }
  }

 private:
  bool ColumnIsTs(size_t c) const {
    for (int t : ts_columns_)
      if (static_cast<size_t>(t) == c) return true;
    return false;
  }

  std::string path_;
  std::unique_ptr<CsvReader> inner_;
  Schema output_;
  std::vector<int> ts_columns_;
  EpochUnit unit_;
  char delimiter_;
  DataChunk raw_;
  std::vector<RejectedRow> rejects_;
  int64_t rejected_ = 0;
};

// Wide rows unpivoted to (tag, ts, value).
class WideCsvSource : public ChunkSource, public RejectReporter {
 public:
  WideCsvSource(std::string path, std::unique_ptr<CsvReader> inner, SchemaMapper mapper,
                std::vector<std::string> names, int ts_column, EpochUnit unit, char delimiter)
      : path_(std::move(path)),
        inner_(std::move(inner)),
        mapper_(std::move(mapper)),
        names_(std::move(names)),
        ts_column_(ts_column),
        unit_(unit),
        delimiter_(delimiter) {}

  const Schema& schema() const override { return mapper_.output_schema(); }
  std::vector<RejectedRow> TakeRejects() override {
    std::vector<RejectedRow> out;
    out.swap(rejects_);
    return out;
  }
  int64_t rejected_count() const override { return rejected_; }

  Result<bool> Next(DataChunk* out) override {
    native_.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble});
    auto& cols = native_.columns;
    while (native_.size() < kVectorSize) {
      if (row_ >= raw_.size()) {
        line_before_ = inner_->line();
        ASSIGN_OR_RETURN(bool more, inner_->Next(&raw_));
        if (!more) break;
        row_ = 0;
        col_ = 0;
      }
      const int64_t line = line_before_ + 1 + static_cast<int64_t>(row_);
      if (col_ == 0) {  // a new row: its timestamp
        const ColumnVector& t = raw_.columns[static_cast<size_t>(ts_column_)];
        bool out_of_range = false;
        if (t.IsNull(row_) ||
            !ParseTimestampOrEpoch(t.strings[row_], unit_, &row_ts_, &out_of_range)) {
          ++rejected_;
          rejects_.push_back(RejectedRow{
              path_, line, "", RawRecord(raw_, row_, delimiter_),
              "column \"" + names_[static_cast<size_t>(ts_column_)] + "\": \"" +
                  (t.IsNull(row_) ? std::string() : t.strings[row_]) + "\" " +
                  EpochFailure(out_of_range)});
          ++row_;
          continue;
        }
      }
      while (col_ < raw_.columns.size() && native_.size() < kVectorSize) {
        const size_t c = col_++;
        if (static_cast<int>(c) == ts_column_) continue;
        const ColumnVector& v = raw_.columns[c];
        if (v.IsNull(row_) || TrimBlanks(v.strings[row_]).empty()) continue;
        double d;
        if (!ParseDoubleText(v.strings[row_], &d)) {
          ++rejected_;
          rejects_.push_back(RejectedRow{path_, line, "column " + names_[c],
                                         v.strings[row_].substr(0, kMaxRejectRawBytes),
                                         "\"" + v.strings[row_] + "\" is not a number"});
          continue;
        }
        cols[0].AppendString(names_[c]);
        cols[1].AppendInt(row_ts_);
        cols[2].AppendDouble(d);
      }
      if (col_ >= raw_.columns.size()) {
        ++row_;
        col_ = 0;
      }
    }
    if (native_.size() == 0) return false;
    RETURN_IF_ERROR(mapper_.Map(&native_, out));
    return true;
  }

 private:
  std::string path_;
  std::unique_ptr<CsvReader> inner_;
  SchemaMapper mapper_;
  std::vector<std::string> names_;
  int ts_column_;
  EpochUnit unit_;
  char delimiter_;
  DataChunk raw_;
  DataChunk native_;
  size_t row_ = 0;
  size_t col_ = 0;
  int64_t row_ts_ = 0;
  int64_t line_before_ = 0;
  std::vector<RejectedRow> rejects_;
  int64_t rejected_ = 0;
};

}  // namespace

Result<std::unique_ptr<ChunkSource>> OpenCsvSource(const std::string& path, CsvOptions options,
                                                   const CsvLayoutOptions& layout) {
  if (!layout.active()) {
    if (!layout.ts_column.empty())
      return Status::InvalidArgument("read_csv: ts_column applies only with wide => true or epoch => '...'");
    ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> r, CsvReader::Open(path, std::move(options)));
    return std::unique_ptr<ChunkSource>(std::move(r));
  }
  options.dictionary_strings = false;  // the adapters read the inner reader's strings
  std::optional<Schema> target = options.target_schema;
  // The file's own columns (names, inferred types) first.
  Schema file_schema;
  if (layout.wide || !target) {
    CsvOptions probe = options;
    probe.target_schema.reset();
    ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> r, CsvReader::Open(path, probe));
    file_schema = r->schema();
  }
  auto find_ts = [&](const Schema& s) -> Result<int> {
    if (!layout.ts_column.empty()) {
      int i = s.FindField(layout.ts_column);
      if (i < 0)
        return Status::InvalidArgument("read_csv: ts_column \"" + layout.ts_column + "\" is not a column of " + path);
      return i;
    }
    for (size_t i = 0; i < s.size(); ++i)
      if (IsTimeName(s.fields[i].name)) return static_cast<int>(i);
    return 0;
  };

  if (layout.wide) {
    if (file_schema.size() < 2)
      return Status::InvalidArgument("read_csv: wide => true needs a timestamp column and at least one tag column in " + path);
    ASSIGN_OR_RETURN(int ts, find_ts(file_schema));
    Schema text;
    std::vector<std::string> names;
    for (const Field& f : file_schema.fields) {
      text.fields.push_back({f.name, TypeId::kVarchar});
      names.push_back(f.name);
    }
    CsvOptions o = options;
    o.target_schema = text;
    ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> r, CsvReader::Open(path, o));
    Schema native{{{"tag", TypeId::kVarchar}, {"ts", TypeId::kTimestamp}, {"value", TypeId::kDouble}}};
    ASSIGN_OR_RETURN(SchemaMapper mapper, SchemaMapper::Make(native, target, "read_csv(" + path + ", wide)"));
    return std::unique_ptr<ChunkSource>(new WideCsvSource(path, std::move(r), std::move(mapper),
                                                          std::move(names), ts, layout.epoch,
                                                          options.delimiter));
  }

  // Epoch: the output schema, and which of its columns are timestamps.
  Schema output = target ? *target : file_schema;
  std::vector<int> ts_columns;
  if (target) {
    for (size_t i = 0; i < output.size(); ++i)
      if (output.fields[i].type == TypeId::kTimestamp) ts_columns.push_back(static_cast<int>(i));
  } else {
    ASSIGN_OR_RETURN(int ts, find_ts(output));
    ts_columns.push_back(ts);
    output.fields[static_cast<size_t>(ts)].type = TypeId::kTimestamp;
  }
  Schema read = output;
  for (int c : ts_columns) read.fields[static_cast<size_t>(c)].type = TypeId::kVarchar;
  CsvOptions o = options;
  o.target_schema = read;
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> r, CsvReader::Open(path, o));
  return std::unique_ptr<ChunkSource>(new EpochCsvSource(path, std::move(r), std::move(output),
                                                         std::move(ts_columns), layout.epoch,
                                                         options.delimiter));
}

}  // namespace tsl
