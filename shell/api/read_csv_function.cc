// read_csv: ingest's CsvReader registered as a query table function, for
// `FROM read_csv('x.csv', header => false, delim => ';')` and
// `COPY t FROM 'x.csv'`. The wiring lives here because only the top layer
// may see both ingest and query. Thread-safety: the factory is stateless.
#include "ingest/csv_layout.h"
#include "ingest/csv_reader.h"
#include "ingest/prefetch_source.h"
#include "shell/api/api_internal.h"

namespace tslake {

namespace {

tsl::Result<bool> BoolOption(const std::string& name, const tsl::Value& v) {
  if (!v.is_null()) {
    if (v.type() == tsl::TypeId::kBoolean || tsl::IsIntegral(v.type())) return v.int_value() != 0;
    if (v.type() == tsl::TypeId::kVarchar) {
      std::string s = tsl::ToLower(v.string_value());
      if (s == "true" || s == "1" || s == "t" || s == "yes") return true;
      if (s == "false" || s == "0" || s == "f" || s == "no") return false;
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
  ASSIGN_OR_RETURN(std::unique_ptr<tsl::ChunkSource> source,
                   tsl::OpenCsvSource(args.positional[0].string_value(), std::move(options), layout));
  // Parsing runs a few chunks ahead on its own thread (ingest/prefetch_source.h).
  return std::unique_ptr<tsl::ChunkSource>(std::make_unique<tsl::PrefetchSource>(std::move(source)));
}

}  // namespace

void RegisterIngestFunctions(tsl::query::TableFunctionRegistry* registry) {
  registry->Register("read_csv", MakeCsvReader);
  // DuckDB's alias.
  registry->Register("read_csv_auto", MakeCsvReader);
}

}  // namespace tslake
