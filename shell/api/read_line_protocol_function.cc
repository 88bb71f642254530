// read_line_protocol: ingest's LineProtocolReader as a query table
// function, for `FROM read_line_protocol('x.lp', precision => 'ms')` and
// `COPY t FROM 'x.lp' (FORMAT line)` (COPY finds it as read_line).
// Thread-safety: stateless.
#include "ingest/line_protocol_reader.h"
#include "ingest/prefetch_source.h"
#include "shell/api/historian_functions.h"

namespace tslake {
namespace {

constexpr const char* kName = "read_line_protocol";

tsl::Result<std::unique_ptr<tsl::ChunkSource>> MakeLineProtocolReader(
    const tsl::query::TableFunctionArgs& args) {
  ASSIGN_OR_RETURN(std::string path, PathArgument(kName, args));
  tsl::LineProtocolOptions options;
  options.target_schema = args.target_schema;
  for (const auto& [key, value] : args.named) {
    if (key == "precision") {
      ASSIGN_OR_RETURN(options.precision, StringOption(kName, key, value));
    } else if (key == "format") {
      RETURN_IF_ERROR(CheckFormatOption(kName, {"line", "line_protocol", "lp"}, value));
    } else {
      return tsl::Status::InvalidArgument(std::string(kName) + ": unknown option \"" + key +
                                          "\" (known: precision)");
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<tsl::LineProtocolReader> reader,
                   tsl::LineProtocolReader::Open(path, std::move(options)));
  // Parsing runs a few chunks ahead on its own thread (ingest/prefetch_source.h).
  return std::unique_ptr<tsl::ChunkSource>(std::make_unique<tsl::PrefetchSource>(std::move(reader)));
}

}  // namespace

void RegisterLineProtocolFunction(tsl::query::TableFunctionRegistry* registry) {
  registry->Register(kName, MakeLineProtocolReader);
  // COPY ... (FORMAT line) looks up read_line.
  registry->Register("read_line", MakeLineProtocolReader);
  registry->Register("read_lp", MakeLineProtocolReader);
}

}  // namespace tslake
