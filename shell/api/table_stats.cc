// Database::GetTableStats: a table's versions, partitions, segments, rows
// and bytes at its latest version, from its snapshot and commit history.
// Thread-safety: as Database (reads an immutable snapshot).
#include <set>

#include "shell/api/api_internal.h"
#include "storage/snapshot.h"
#include "storage/table.h"

namespace tslake {

Status Database::GetTableStats(const std::string& name, TableStats* stats) const {
  auto table = impl_->db->GetTable(name);
  if (!table.ok()) return ToPublic(table.status());
  auto snapshot = (*table)->GetSnapshot();
  if (!snapshot.ok()) return ToPublic(snapshot.status());
  auto history = (*table)->History();
  if (!history.ok()) return ToPublic(history.status());
  TableStats s;
  s.version = (*snapshot)->version();
  s.versions = static_cast<int64_t>(history->size());
  std::set<std::map<std::string, std::string>> partitions;
  for (const tsl::AddAction& add : (*snapshot)->files()) {
    ++s.segments;
    s.bytes += add.size;
    partitions.insert(add.partition_values);
  }
  s.partitions = static_cast<int64_t>(partitions.size());
  s.rows = (*snapshot)->total_rows();
  *stats = s;
  return Status();
}

}  // namespace tslake
