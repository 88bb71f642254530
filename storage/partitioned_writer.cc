// PartitionedWriter: see partitioned_writer.h.
#include "storage/partitioned_writer.h"

#include <algorithm>
#include <numeric>

#include "formats/segment_writer.h"
#include "formats/timestamp.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

int64_t RowBytes(const DataChunk& chunk, size_t row) {
  int64_t b = 0;
  for (const ColumnVector& c : chunk.columns)
    b += PhysicalClassOf(c.type) == PhysicalClass::kString
             ? 8 + static_cast<int64_t>(c.strings[row].size())
             : 9;
  return b;
}

int CompareRows(const ColumnVector& c, uint32_t a, uint32_t b) {
  bool na = c.IsNull(a), nb = c.IsNull(b);
  if (na || nb) return na == nb ? 0 : (na ? -1 : 1);
  switch (PhysicalClassOf(c.type)) {
    case PhysicalClass::kInt64:
      return c.ints[a] < c.ints[b] ? -1 : (c.ints[a] > c.ints[b] ? 1 : 0);
    case PhysicalClass::kDouble:
      return c.doubles[a] < c.doubles[b] ? -1 : (c.doubles[a] > c.doubles[b] ? 1 : 0);
    case PhysicalClass::kString: return c.strings[a].compare(c.strings[b]);
  }
  return 0;
}

}  // namespace

PartitionedWriter::PartitionedWriter(Env* env, std::string table_dir, Schema physical_schema,
                                     TableProperties properties, bool data_change)
    : env_(env),
      table_dir_(std::move(table_dir)),
      schema_(std::move(physical_schema)),
      props_(std::move(properties)),
      data_change_(data_change) {}

PartitionedWriter::~PartitionedWriter() = default;

DataChunk PartitionedWriter::Sorted(const DataChunk& chunk, const std::vector<int>& sort_key) {
  std::vector<uint32_t> perm(chunk.size());
  std::iota(perm.begin(), perm.end(), 0u);
  std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) {
    for (int k : sort_key) {
      int c = CompareRows(chunk.columns[static_cast<size_t>(k)], a, b);
      if (c != 0) return c < 0;
    }
    return false;
  });
  DataChunk out;
  out.columns.resize(chunk.column_count());
  for (size_t c = 0; c < chunk.column_count(); ++c) {
    out.columns[c].type = chunk.columns[c].type;
    out.columns[c].AppendSelection(chunk.columns[c], perm);
  }
  return out;
}

Status PartitionedWriter::Append(const DataChunk& chunk) {
  const size_t n = chunk.size();
  if (n == 0) return Status::OK();
  if (!props_.partition.partitioned()) return AppendRows("", chunk, nullptr);
  const ColumnVector& ts = chunk.columns[static_cast<size_t>(props_.partition.column_index())];
  // Group row numbers by partition value. Consecutive rows usually share a
  // partition, so the last value is cached and formatting is rare.
  std::map<std::string, std::vector<uint32_t>> groups;
  int64_t last_lo = 1, last_hi = 0;  // empty cache range
  std::vector<uint32_t>* last = nullptr;
  for (size_t r = 0; r < n; ++r) {
    if (ts.IsNull(r)) {
      groups[kNullPartitionValue].push_back(static_cast<uint32_t>(r));
      continue;
    }
    int64_t t = ts.ints[r];
    if (last == nullptr || t < last_lo || t >= last_hi) {
      std::string value = props_.partition.ValueFor(t);
      Result<std::pair<int64_t, int64_t>> range = props_.partition.RangeOf(value);
      if (!range.ok()) return range.status();
      last_lo = range->first;
      last_hi = range->second;
      last = &groups[value];
    }
    last->push_back(static_cast<uint32_t>(r));
  }
  if (groups.size() == 1 && groups.begin()->second.size() == n)
    return AppendRows(groups.begin()->first, chunk, nullptr);
  for (auto& [value, sel] : groups) RETURN_IF_ERROR(AppendRows(value, chunk, &sel));
  return Status::OK();
}

Status PartitionedWriter::AppendRows(const std::string& partition, const DataChunk& chunk,
                                     const std::vector<uint32_t>* sel) {
  const size_t count = sel ? sel->size() : chunk.size();
  size_t done = 0;
  while (done < count) {
    Buffer& buf = buffers_[partition];
    if (buf.rows.columns.empty()) {
      buf.rows.columns.resize(chunk.column_count());
      for (size_t c = 0; c < chunk.column_count(); ++c)
        buf.rows.columns[c].type = chunk.columns[c].type;
    }
    // Take rows up to the segment's target size, then cut the segment.
    size_t room = static_cast<size_t>(
        std::max<int64_t>(1, props_.target_segment_rows - static_cast<int64_t>(buf.rows.size())));
    size_t take = std::min(room, count - done);
    std::vector<uint32_t> part;
    part.reserve(take);
    for (size_t i = done; i < done + take; ++i)
      part.push_back(sel ? (*sel)[i] : static_cast<uint32_t>(i));
    for (size_t c = 0; c < chunk.column_count(); ++c)
      buf.rows.columns[c].AppendSelection(chunk.columns[c], part);
    for (uint32_t r : part) buf.bytes += RowBytes(chunk, r);
    done += take;
    rows_ += static_cast<int64_t>(take);
    buffered_rows_ += static_cast<int64_t>(take);
    if (static_cast<int64_t>(buf.rows.size()) >= props_.target_segment_rows ||
        buf.bytes >= props_.target_segment_bytes)
      RETURN_IF_ERROR(Flush(partition));
  }
  while (buffered_rows_ > kMaxBufferedRows) {
    auto largest = std::max_element(buffers_.begin(), buffers_.end(), [](auto& a, auto& b) {
      return a.second.rows.size() < b.second.rows.size();
    });
    RETURN_IF_ERROR(Flush(largest->first));
  }
  return Status::OK();
}

Status PartitionedWriter::Flush(std::string partition) {
  auto it = buffers_.find(partition);
  if (it == buffers_.end()) return Status::OK();
  DataChunk rows = std::move(it->second.rows);
  buffered_rows_ -= static_cast<int64_t>(rows.size());
  buffers_.erase(it);
  if (rows.size() == 0) return Status::OK();

  SegmentWriter writer(schema_, props_.segment_options);
  RETURN_IF_ERROR(writer.Append(Sorted(rows, props_.sort_key)));
  rows = DataChunk();  // free the unsorted copy before encoding grows memory
  SegmentStats stats;
  ASSIGN_OR_RETURN(std::string bytes, writer.Finish(&stats));

  AddAction add;
  std::string dir = table_dir_;
  if (props_.partition.partitioned()) {
    std::string sub = props_.partition.DirectoryFor(partition);
    add.partition_values[props_.partition.partition_column()] = partition;
    add.path = sub + "/" + NewUniqueId() + ".tsl";
    dir = JoinPath(table_dir_, sub);
    if (!env_->IsDirectory(dir)) {
      RETURN_IF_ERROR(env_->CreateDirIfMissing(dir));
      dirs_to_sync_.insert(table_dir_);  // the new directory's name
    }
  } else {
    add.path = NewUniqueId() + ".tsl";
  }
  add.size = static_cast<int64_t>(bytes.size());
  add.modification_time = env_->NowMicros() / 1000;
  add.data_change = data_change_;
  add.stats = FileStatsFromSegment(schema_, stats);
  std::string path = JoinPath(table_dir_, add.path);
  Status st = WriteFileSync(env_, path, bytes);
  if (!st.ok()) {
    (void)env_->RemoveFile(path);
    return st;
  }
  dirs_to_sync_.insert(dir);
  written_.push_back(std::move(add));
  return Status::OK();
}

Status PartitionedWriter::Finish() {
  while (!buffers_.empty()) RETURN_IF_ERROR(Flush(buffers_.begin()->first));
  // Partition directories before the table directory: once the table
  // directory's entry for a partition is durable, its files are too.
  for (auto it = dirs_to_sync_.rbegin(); it != dirs_to_sync_.rend(); ++it)
    RETURN_IF_ERROR(env_->SyncDir(*it));
  dirs_to_sync_.clear();
  return Status::OK();
}

void PartitionedWriter::RemoveWritten() {
  for (const AddAction& add : written_) (void)env_->RemoveFile(JoinPath(table_dir_, add.path));
  written_.clear();
}

}  // namespace tsl
