// tslake_tags('t'): the catalog's tag dictionary of table t (id, name,
// units, description, first_ts, last_ts, point_count; storage/catalog.h)
// as a query table function, and tslake_set_tag_description('t', 'tag',
// 'text' | NULL), which sets a tag's description when the statement runs
// (not when it is only bound or EXPLAINed) and returns the tag's row.
// Both need the database, so database.cc registers them with its
// tsl::Database. Thread-safety: the factories only go through the catalog
// (safe from any thread).
#include <functional>

#include "shell/api/historian_functions.h"
#include "storage/catalog.h"

namespace tslake {
namespace {

tsl::Schema TagsSchema() {
  return tsl::Schema{{{"id", tsl::TypeId::kBigint},
                      {"name", tsl::TypeId::kVarchar},
                      {"units", tsl::TypeId::kVarchar},
                      {"description", tsl::TypeId::kVarchar},
                      {"first_ts", tsl::TypeId::kTimestamp},
                      {"last_ts", tsl::TypeId::kTimestamp},
                      {"point_count", tsl::TypeId::kBigint}}};
}

// Runs `open` at the first Next(), not when the statement is bound: a
// table function's factory also runs for EXPLAIN, which must not write.
class DeferredSource : public tsl::ChunkSource {
 public:
  using Open = std::function<tsl::Result<std::unique_ptr<tsl::ChunkSource>>()>;
  DeferredSource(tsl::Schema schema, Open open) : schema_(std::move(schema)), open_(std::move(open)) {}
  const tsl::Schema& schema() const override { return schema_; }
  tsl::Result<bool> Next(tsl::DataChunk* out) override {
    if (!inner_) {
      ASSIGN_OR_RETURN(inner_, open_());
    }
    return inner_->Next(out);
  }

 private:
  tsl::Schema schema_;
  Open open_;
  std::unique_ptr<tsl::ChunkSource> inner_;
};

void AppendOpt(tsl::ColumnVector* c, const std::optional<std::string>& v) {
  if (v) {
    c->AppendString(*v);
  } else {
    c->AppendNull();
  }
}
void AppendOpt(tsl::ColumnVector* c, const std::optional<int64_t>& v) {
  if (v) {
    c->AppendInt(*v);
  } else {
    c->AppendNull();
  }
}

// The table's tags (only `only` when set) as one chunk; kFailedPrecondition
// style errors when the catalog does not reflect the table's log.
tsl::Result<std::unique_ptr<tsl::ChunkSource>> TagRows(tsl::Database* db, const std::string& name,
                                                       const std::string* only) {
  ASSIGN_OR_RETURN(std::shared_ptr<tsl::Table> table, db->GetTable(name));
  tsl::Catalog* catalog = db->catalog();
  ASSIGN_OR_RETURN(int64_t latest, table->LatestVersion());
  ASSIGN_OR_RETURN(std::shared_ptr<const tsl::Snapshot> snapshot, table->GetSnapshot());
  ASSIGN_OR_RETURN(int64_t current,
                   catalog->CurrentVersion(table->name(), snapshot->metadata().id));
  if (current != latest)
    return tsl::Status::IOError("the catalog's tag dictionary of table \"" + table->name() +
                                "\" is at version " + std::to_string(current) + " but its log at " +
                                std::to_string(latest) +
                                "; reopen the database writable or run tslake --rebuild-catalog");
  ASSIGN_OR_RETURN(std::vector<tsl::Catalog::TagEntry> tags, catalog->ListTags(table->name()));
  tsl::Schema schema = TagsSchema();
  tsl::DataChunk chunk;
  std::vector<tsl::TypeId> types;
  for (const tsl::Field& f : schema.fields) types.push_back(f.type);
  chunk.Initialize(types);
  for (const tsl::Catalog::TagEntry& t : tags) {
    if (only != nullptr && t.name != *only) continue;
    chunk.columns[0].AppendInt(t.id);
    chunk.columns[1].AppendString(t.name);
    AppendOpt(&chunk.columns[2], t.units);
    AppendOpt(&chunk.columns[3], t.description);
    AppendOpt(&chunk.columns[4], t.first_ts);
    AppendOpt(&chunk.columns[5], t.last_ts);
    chunk.columns[6].AppendInt(t.point_count);
  }
  return std::unique_ptr<tsl::ChunkSource>(new OneChunkSource(schema, std::move(chunk)));
}

bool IsString(const tsl::Value& v) { return !v.is_null() && v.type() == tsl::TypeId::kVarchar; }

}  // namespace

void RegisterTagsFunctions(tsl::query::TableFunctionRegistry* registry, tsl::Database* db) {
  registry->Register(
      "tslake_tags",
      [db](const tsl::query::TableFunctionArgs& args)
          -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
        if (args.positional.size() != 1 || !IsString(args.positional[0]) || !args.named.empty())
          return tsl::Status::InvalidArgument(
              "tslake_tags expects one table name string: tslake_tags('points')");
        return TagRows(db, args.positional[0].string_value(), nullptr);
      });
  registry->Register(
      "tslake_set_tag_description",
      [db](const tsl::query::TableFunctionArgs& args)
          -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
        const auto& p = args.positional;
        if (p.size() != 3 || !IsString(p[0]) || !IsString(p[1]) ||
            !(p[2].is_null() || p[2].type() == tsl::TypeId::kVarchar) || !args.named.empty())
          return tsl::Status::InvalidArgument(
              "tslake_set_tag_description expects a table, a tag and a description string (or "
              "NULL to clear it): tslake_set_tag_description('points', 'TT-101', 'inlet "
              "temperature')");
        ASSIGN_OR_RETURN(std::shared_ptr<tsl::Table> table, db->GetTable(p[0].string_value()));
        std::optional<std::string> description;
        if (!p[2].is_null()) description = p[2].string_value();
        std::string tag = p[1].string_value();
        std::string name = table->name();
        return std::unique_ptr<tsl::ChunkSource>(new DeferredSource(
            TagsSchema(), [db, name, tag, description]() -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
              RETURN_IF_ERROR(db->catalog()->SetTagDescription(name, tag, description));
              return TagRows(db, name, &tag);
            }));
      });
}

}  // namespace tslake
