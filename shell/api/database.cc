// tslake::Database: opens the engine's tsl::Database with the public
// Options and owns the table-function registry every connection uses.
// Thread-safety: safe to share; the registry is filled before Open returns
// and only read afterwards.
#include "shell/api/api_internal.h"
#include "storage/snapshot.h"

namespace tslake {

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::Open(const std::string& path, const Options& options,
                                         std::string* error) {
  auto fail = [&](const std::string& message) -> std::unique_ptr<Database> {
    if (error) *error = message;
    return nullptr;
  };
  tsl::DatabaseOptions db_options;
  db_options.read_only = options.read_only;
  tsl::Result<tsl::Compression> compression = tsl::ParseCompression(options.compression);
  if (!compression.ok()) return fail(compression.status().message());
  db_options.segment_options.compression = *compression;

  std::string engine_path = path.empty() ? ":memory:" : path;
  tsl::Result<std::unique_ptr<tsl::Database>> db = tsl::Database::Open(engine_path, db_options);
  if (!db.ok()) return fail(db.status().message());

  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db).value();
  impl->options = options;
  impl->path = engine_path;
  RegisterIngestFunctions(&impl->functions);
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

const std::string& Database::path() const { return impl_->path; }
bool Database::read_only() const { return impl_->db->read_only(); }

std::string Database::RebuildCatalog() {
  tsl::Status st = impl_->db->RebuildCatalog();
  return st.ok() ? std::string() : st.message();
}

std::vector<std::string> Database::ListTables() const { return impl_->db->ListTables(); }

std::vector<ColumnInfo> Database::DescribeTable(const std::string& name, std::string* error) const {
  std::vector<ColumnInfo> columns;
  auto table = impl_->db->GetTable(name);
  if (!table.ok()) {
    if (error) *error = table.status().message();
    return columns;
  }
  auto snapshot = (*table)->GetSnapshot();
  if (!snapshot.ok()) {
    if (error) *error = snapshot.status().message();
    return columns;
  }
  for (const tsl::Field& f : (*snapshot)->schema().fields) {
    columns.push_back(ColumnInfo{f.name, static_cast<Type>(f.type)});
  }
  return columns;
}

const char* Database::Version() { return "0.1.0"; }

}  // namespace tslake
