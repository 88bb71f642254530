// read_csv: ingest's CsvReader registered as a query table function, for
// `FROM read_csv('x.csv', header => false, delim => ';')` and
// `COPY t FROM 'x.csv'`. The wiring lives here because only the top layer
// may see both ingest and query. Thread-safety: the factory is stateless.
#include "formats/bool_text.h"
#include "ingest/csv_layout.h"
#include "ingest/csv_reader.h"
#include "ingest/prefetch_source.h"
#include "query/execution/memory_tracker.h"
#include "shell/api/api_internal.h"

namespace tslake {

namespace {

tsl::Result<bool> BoolOption(const std::string& name, const tsl::Value& v) {
  if (!v.is_null()) {
    if (v.type() == tsl::TypeId::kBoolean || tsl::IsIntegral(v.type())) return v.int_value() != 0;
    if (v.type() == tsl::TypeId::kVarchar) {
      if (std::optional<bool> b = tsl::ParseBoolText(v.string_value())) return *b;
    }
  }
  return tsl::Status::InvalidArgument("read_csv: option " + name + " must be true or false, not " +
                                      v.ToString());
}

tsl::Result<char> CharOption(const std::string& name, const tsl::Value& v) {
  if (v.is_null() || v.type() != tsl::TypeId::kVarchar) {
    return tsl::Status::InvalidArgument("read_csv: option " + name +
                                        " must be a one-character string");
  }
  const std::string& s = v.string_value();
  if (s.size() == 1) return s[0];
  if (s == "\\t") return '\t';  // written as an escape in SQL text
  return tsl::Status::InvalidArgument("read_csv: option " + name +
                                      " must be a single character, not '" + s + "'");
}

constexpr size_t kPrefetchDepth = 4;

// An estimate of what a reader of `columns` columns holds: per chunk in
// flight (the prefetch queue, the one being parsed, the one the query
// holds) a ColumnVector and its value slots per column, and per column the
// reader's schema, type candidates and string dictionary. Strings' bytes
// are not known ahead and not counted.
int64_t CsvReaderBytes(size_t columns, size_t configured_rows) {
  const size_t rows = tsl::CsvChunkRows(columns, configured_rows);
  const size_t per_chunk_column = sizeof(tsl::ColumnVector) + rows * (sizeof(int64_t) + 1);
  return static_cast<int64_t>(columns * ((kPrefetchDepth + 2) * per_chunk_column + 1024));
}

// read_csv's source: the prefetching reader and its reservation, released
// when the query drops the source.
class ReservedSource : public tsl::ChunkSource, public tsl::RejectReporter, public tsl::ReadProgress {
 public:
  ReservedSource(std::unique_ptr<tsl::PrefetchSource> inner,
                 std::unique_ptr<tsl::query::MemoryReservation> memory)
      : memory_(std::move(memory)), inner_(std::move(inner)) {}
  const tsl::Schema& schema() const override { return inner_->schema(); }
  tsl::Result<bool> Next(tsl::DataChunk* out) override { return inner_->Next(out); }
  std::vector<tsl::RejectedRow> TakeRejects() override { return inner_->TakeRejects(); }
  int64_t rejected_count() const override { return inner_->rejected_count(); }
  int64_t bytes_read() const override { return inner_->bytes_read(); }
  int64_t bytes_total() const override { return inner_->bytes_total(); }

 private:
  // Declared first: released after the reader thread has stopped.
  std::unique_ptr<tsl::query::MemoryReservation> memory_;
  std::unique_ptr<tsl::PrefetchSource> inner_;
};

tsl::Result<std::unique_ptr<tsl::ChunkSource>> MakeCsvReader(
    const tsl::query::TableFunctionArgs& args) {
  if (args.positional.size() != 1 || args.positional[0].is_null() ||
      args.positional[0].type() != tsl::TypeId::kVarchar) {
    return tsl::Status::InvalidArgument(
        "read_csv expects one file path string: read_csv('data.csv', header => true)");
  }
  tsl::CsvOptions options;
  tsl::CsvLayoutOptions layout;  // wide / epoch / ts_column (ingest/csv_layout.h)
  options.target_schema = args.target_schema;
  options.dictionary_strings = args.dictionary_strings;  // COPY: no string per row
  options.reject_bad_rows = args.reject_bad_rows;        // COPY ... (ON_ERROR ...)
  for (const auto& [key, value] : args.named) {
    if (key == "header") {
      ASSIGN_OR_RETURN(options.header, BoolOption(key, value));
    } else if (key == "delim" || key == "delimiter" || key == "sep") {
      ASSIGN_OR_RETURN(options.delimiter, CharOption(key, value));
    } else if (key == "allow_quoted_nulls") {
      ASSIGN_OR_RETURN(options.allow_quoted_nulls, BoolOption(key, value));
    } else if (key == "quote") {
      ASSIGN_OR_RETURN(options.quote, CharOption(key, value));
    } else if (key == "sample_size") {
      if (value.is_null() || !tsl::IsIntegral(value.type()) || value.int_value() <= 0)
        return tsl::Status::InvalidArgument("read_csv: sample_size must be a positive integer");
      options.sample_rows = static_cast<size_t>(value.int_value());
    } else if (key == "ignore_errors") {
      // DuckDB's option: skip records that do not parse (the SELECT then
      // warns with their count, COPY stores them in <t>_rejects).
      ASSIGN_OR_RETURN(options.reject_bad_rows, BoolOption(key, value));
    } else if (key == "wide") {
      ASSIGN_OR_RETURN(layout.wide, BoolOption(key, value));
    } else if (key == "epoch") {
      if (value.is_null() || value.type() != tsl::TypeId::kVarchar ||
          !tsl::ParseEpochUnitName(value.string_value(), &layout.epoch))
        return tsl::Status::InvalidArgument("read_csv: epoch must be one of 's', 'ms', 'us', "
                                            "'ns', 'auto', not " + value.ToString());
      layout.epoch_set = true;
    } else if (key == "ts_column") {
      if (value.is_null() || value.type() != tsl::TypeId::kVarchar)
        return tsl::Status::InvalidArgument("read_csv: ts_column must be a column name string");
      layout.ts_column = value.string_value();
    } else if (key == "format") {
      // COPY ... (FORMAT csv) passes its format along; only csv reaches here.
      if (value.type() != tsl::TypeId::kVarchar || tsl::ToLower(value.string_value()) != "csv")
        return tsl::Status::NotSupported("read_csv: format " + value.ToString() +
                                         " is not supported (only csv)");
    } else {
      return tsl::Status::InvalidArgument(
          "read_csv: unknown option \"" + key +
          "\" (known: header, delim, delimiter, sep, quote, allow_quoted_nulls, sample_size, "
          "ignore_errors, wide, epoch, ts_column)");
    }
  }
  const size_t chunk_rows = options.dictionary_strings ? options.dictionary_chunk_rows : tsl::kVectorSize;
  ASSIGN_OR_RETURN(std::unique_ptr<tsl::ChunkSource> source,
                   tsl::OpenCsvSource(args.positional[0].string_value(), std::move(options), layout));
  // The reader's columns reserve against memory_limit before any chunk is
  // parsed (throws the Out of Memory Error).
  auto memory = std::make_unique<tsl::query::MemoryReservation>("read_csv");
  memory->Resize(CsvReaderBytes(source->schema().size(), chunk_rows));
  // Parsing runs a few chunks ahead on its own thread (ingest/prefetch_source.h).
  auto prefetch = std::make_unique<tsl::PrefetchSource>(std::move(source), kPrefetchDepth);
  return std::unique_ptr<tsl::ChunkSource>(
      std::make_unique<ReservedSource>(std::move(prefetch), std::move(memory)));
}

}  // namespace

void RegisterIngestFunctions(tsl::query::TableFunctionRegistry* registry) {
  registry->Register("read_csv", MakeCsvReader);
  // DuckDB's alias.
  registry->Register("read_csv_auto", MakeCsvReader);
}

}  // namespace tslake
