// tslake_watermarks('t'): the ingest watermarks of table t per (tag,
// source) (storage/ingest_watermarks.h) as a query table function. It
// needs the database, so database.cc registers it with its tsl::Database.
// Thread-safety: the factory only reads through Table (safe from any thread).
#include "shell/api/historian_functions.h"
#include "storage/ingest_watermarks.h"

namespace tslake {

void RegisterWatermarksFunction(tsl::query::TableFunctionRegistry* registry, tsl::Database* db) {
  registry->Register(
      "tslake_watermarks",
      [db](const tsl::query::TableFunctionArgs& args)
          -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
        if (args.positional.size() != 1 || args.positional[0].is_null() ||
            args.positional[0].type() != tsl::TypeId::kVarchar || !args.named.empty())
          return tsl::Status::InvalidArgument(
              "tslake_watermarks expects one table name string: tslake_watermarks('sensors')");
        ASSIGN_OR_RETURN(tsl::DataChunk rows,
                         tsl::WatermarkReport(db, args.positional[0].string_value()));
        return std::unique_ptr<tsl::ChunkSource>(
            new OneChunkSource(tsl::WatermarkReportSchema(), std::move(rows)));
      });
}

}  // namespace tslake
