// PartitionedWriter: see partitioned_writer.h.
#include "storage/partitioned_writer.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "formats/segment_footer.h"
#include "formats/segment_writer.h"
#include "formats/storable_values.h"
#include "formats/timestamp.h"
#include "formats/value_size.h"
#include "storage/tag_index.h"
#include "storage/transaction_log.h"
#include "storage/unique_id.h"

namespace tsl {
namespace {

// Rough in-memory bytes of rows [begin, end) (or the rows in `sel`), for
// target_segment_bytes: 9 a fixed-width value, 8 + length a string.
int64_t ColumnBytes(const ColumnVector& c, size_t begin, size_t end,
                    const std::vector<uint32_t>* sel) {
  const size_t n = end - begin;
  if (PhysicalClassOf(c.type) != PhysicalClass::kString) return 9 * static_cast<int64_t>(n);
  int64_t b = 8 * static_cast<int64_t>(n);
  if (c.dictionary_form) {
    for (size_t i = begin; i < end; ++i) {
      const size_t r = sel ? (*sel)[i] : i;
      if (c.valid[r]) b += static_cast<int64_t>(c.dictionary[c.codes[r]].size());
    }
    return b;
  }
  for (size_t i = begin; i < end; ++i) b += static_cast<int64_t>(c.strings[sel ? (*sel)[i] : i].size());
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
    case PhysicalClass::kString:
      if (c.dictionary_form) {
        if (c.codes[a] == c.codes[b]) return 0;
        return c.dictionary[c.codes[a]].compare(c.dictionary[c.codes[b]]);
      }
      return c.strings[a].compare(c.strings[b]);
  }
  return 0;
}

// Lexicographic comparison of two rows over keys[from..].
int CompareKeys(const DataChunk& chunk, const std::vector<int>& keys, size_t from, uint32_t a,
                uint32_t b) {
  for (size_t k = from; k < keys.size(); ++k) {
    int c = CompareRows(chunk.columns[static_cast<size_t>(keys[k])], a, b);
    if (c != 0) return c;
  }
  return 0;
}

// Sorts perm[lo, hi) by keys[from..], stably, unless already in order.
void SortRun(const DataChunk& chunk, const std::vector<int>& keys, size_t from,
             std::vector<uint32_t>* perm, size_t lo, size_t hi) {
  if (from >= keys.size() || hi - lo < 2) return;
  uint32_t* p = perm->data();
  bool sorted = true;
  for (size_t i = lo + 1; i < hi && sorted; ++i)
    sorted = CompareKeys(chunk, keys, from, p[i - 1], p[i]) <= 0;
  if (sorted) return;
  std::stable_sort(p + lo, p + hi, [&](uint32_t a, uint32_t b) {
    return CompareKeys(chunk, keys, from, a, b) < 0;
  });
}

constexpr uint32_t kNoCode = UINT32_MAX;

// Interns VARCHAR values into a dictionary-form buffer column (its
// dictionary grows; codes are never renumbered).
uint32_t Intern(ColumnVector& dst, PartitionedWriter::DictIndex& index, std::string_view s) {
  for (; index.indexed < dst.dictionary.size(); ++index.indexed)
    index.codes.try_emplace(dst.dictionary[index.indexed], static_cast<uint32_t>(index.indexed));
  auto it = index.codes.find(s);
  if (it != index.codes.end()) return it->second;
  const auto code = static_cast<uint32_t>(dst.dictionary.size());
  dst.dictionary.emplace_back(s);
  index.codes.emplace(dst.dictionary.back(), code);
  index.indexed = dst.dictionary.size();
  return code;
}

// AppendRowsOf for VARCHAR when either side is in dictionary form: a
// dictionary-form buffer stays one (a chunk's codes are mapped through its
// dictionary, one lookup per distinct value; a chunk of strings is
// interned row by row); a string buffer takes the chunk's values as strings.
void AppendStringRows(ColumnVector& dst, ColumnVector& src, size_t begin, size_t end,
                      const std::vector<uint32_t>* sel, PartitionedWriter::DictIndex& index) {
  auto row = [&](size_t i) -> size_t { return sel ? (*sel)[i] : i; };
  const size_t n = dst.size() + (end - begin);
  if (n > dst.valid.capacity()) dst.valid.reserve(std::max(n, 2 * dst.valid.capacity()));
  if (dst.dictionary_form) {
    if (n > dst.codes.capacity()) dst.codes.reserve(std::max(n, 2 * dst.codes.capacity()));
    if (src.dictionary_form) {
      std::vector<uint32_t> map(src.dictionary.size(), kNoCode);
      for (size_t i = begin; i < end; ++i) {
        const size_t r = row(i);
        if (!src.valid[r]) {
          dst.codes.push_back(0);
          continue;
        }
        uint32_t& m = map[src.codes[r]];
        if (m == kNoCode) m = Intern(dst, index, src.dictionary[src.codes[r]]);
        dst.codes.push_back(m);
      }
    } else {
      for (size_t i = begin; i < end; ++i) {
        const size_t r = row(i);
        dst.codes.push_back(src.valid[r] ? Intern(dst, index, src.strings[r]) : 0);
      }
    }
  } else {
    for (size_t i = begin; i < end; ++i) {
      const size_t r = row(i);
      dst.strings.push_back(src.valid[r] ? src.dictionary[src.codes[r]] : std::string());
    }
  }
  for (size_t i = begin; i < end; ++i) dst.valid.push_back(src.valid[row(i)]);
}

// Appends rows [begin, end) of src (or the rows sel[begin, end)) to dst;
// with `owned` strings move out of src.
void AppendRowsOf(ColumnVector& dst, ColumnVector& src, size_t begin, size_t end,
                  const std::vector<uint32_t>* sel, bool owned, PartitionedWriter::DictIndex& index) {
  if (dst.dictionary_form || src.dictionary_form) {
    AppendStringRows(dst, src, begin, end, sel, index);
    return;
  }
  if (sel == nullptr && !(owned && PhysicalClassOf(src.type) == PhysicalClass::kString)) {
    dst.AppendRange(src, begin, end);
    return;
  }
  const size_t n = dst.size() + (end - begin);
  if (n > dst.valid.capacity()) dst.Reserve(std::max(n, 2 * dst.valid.capacity()));
  auto row = [&](size_t i) -> size_t { return sel ? (*sel)[i] : i; };
  switch (PhysicalClassOf(src.type)) {
    case PhysicalClass::kInt64:
      for (size_t i = begin; i < end; ++i) dst.ints.push_back(src.ints[row(i)]);
      break;
    case PhysicalClass::kDouble:
      for (size_t i = begin; i < end; ++i) dst.doubles.push_back(src.doubles[row(i)]);
      break;
    case PhysicalClass::kString:
      if (owned) {
        for (size_t i = begin; i < end; ++i) dst.strings.push_back(std::move(src.strings[row(i)]));
      } else {
        for (size_t i = begin; i < end; ++i) dst.strings.push_back(src.strings[row(i)]);
      }
      break;
  }
  for (size_t i = begin; i < end; ++i) dst.valid.push_back(src.valid[row(i)]);
}

// Turns a VARCHAR column of strings into dictionary form (codes in first
// appearance order; each distinct string moves into the dictionary, the rest
// are freed), so sorting, zone maps and encoding work on codes. The next
// value is guessed as the previous one (tag-major runs) or the one that
// followed it last time (time-major cycles) before a hash lookup. Returns
// false, leaving the column as it was, when over a quarter of the rows are
// distinct values (no gain).
bool ToDictionaryForm(ColumnVector* c) {
  const size_t n = c->size();
  if (c->dictionary_form || PhysicalClassOf(c->type) != PhysicalClass::kString || n < 2) return false;
  const size_t max_distinct = n / 4 + 16;
  std::unordered_map<std::string_view, uint32_t> ids;
  std::vector<size_t> first_row;   // id -> the row of its first appearance
  std::vector<uint32_t> successor;  // id -> the id that followed it last
  std::vector<uint32_t> codes(n, 0);
  uint32_t last = kNoCode;
  for (size_t i = 0; i < n; ++i) {
    if (!c->valid[i]) continue;
    const std::string& s = c->strings[i];
    uint32_t id = kNoCode;
    if (last != kNoCode) {
      if (c->strings[first_row[last]] == s) {
        id = last;
      } else {
        const uint32_t guess = successor[last];
        if (guess != kNoCode && c->strings[first_row[guess]] == s) id = guess;
      }
    }
    if (id == kNoCode) {
      auto [it, inserted] = ids.try_emplace(s, static_cast<uint32_t>(first_row.size()));
      if (inserted) {
        if (first_row.size() >= max_distinct) return false;
        first_row.push_back(i);
        successor.push_back(kNoCode);
      }
      id = it->second;
      if (last != kNoCode) successor[last] = id;
    }
    last = id;
    codes[i] = id;
  }
  ids.clear();  // its keys point into the strings moved below
  std::vector<std::string> dict;
  dict.reserve(first_row.size());
  for (size_t row : first_row) dict.push_back(std::move(c->strings[row]));
  c->strings = std::vector<std::string>();
  c->dictionary = std::move(dict);
  c->codes = std::move(codes);
  c->dictionary_form = true;
  return true;
}

template <typename T>
void Permute(std::vector<T>* v, const std::vector<uint32_t>& perm) {
  if (v->empty()) return;
  std::vector<T> out;
  out.reserve(perm.size());
  for (uint32_t r : perm) out.push_back(std::move((*v)[r]));
  v->swap(out);
}

}  // namespace

PartitionedWriter::PartitionedWriter(Env* env, std::string table_dir, Schema physical_schema,
                                     TableProperties properties, bool data_change)
    : env_(env),
      table_dir_(std::move(table_dir)),
      schema_(std::move(physical_schema)),
      props_(std::move(properties)),
      data_change_(data_change) {}

PartitionedWriter::~PartitionedWriter() { (void)WaitForFlush(); }

Status PartitionedWriter::WaitForFlush() {
  if (flush_thread_.joinable()) flush_thread_.join();
  return flush_status_;
}

std::vector<uint32_t> PartitionedWriter::SortPermutation(const DataChunk& chunk,
                                                         const std::vector<int>& sort_key) {
  const size_t n = chunk.size();
  if (n < 2 || sort_key.empty()) return {};
  {
    bool sorted = true;
    for (size_t i = 1; i < n && sorted; ++i)
      sorted = CompareKeys(chunk, sort_key, 0, static_cast<uint32_t>(i - 1),
                           static_cast<uint32_t>(i)) <= 0;
    if (sorted) return {};
  }
  std::vector<uint32_t> perm(n);
  const ColumnVector& first = chunk.columns[static_cast<size_t>(sort_key[0])];
  if (PhysicalClassOf(first.type) != PhysicalClass::kString) {
    std::iota(perm.begin(), perm.end(), 0u);
    SortRun(chunk, sort_key, 0, &perm, 0, n);
    return perm;
  }
  std::vector<uint32_t> id(n);
  size_t ranks = 0;  // ids are 0 (NULL) .. ranks
  if (first.dictionary_form) {
    // Dictionary form (COPY's VARCHAR): rank the dictionary entries in byte
    // order (equal entries share a rank), then one array lookup per row.
    const std::vector<std::string>& dict = first.dictionary;
    std::vector<uint32_t> order(dict.size());
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return dict[a] < dict[b]; });
    std::vector<uint32_t> rank(dict.size());
    for (size_t k = 0; k < order.size(); ++k) {
      if (k == 0 || dict[order[k]] != dict[order[k - 1]]) ++ranks;
      rank[order[k]] = static_cast<uint32_t>(ranks);
    }
    for (size_t i = 0; i < n; ++i) id[i] = first.IsNull(i) ? 0 : rank[first.codes[i]];
  } else {
    ranks = RankStrings(first, &id);
  }
  std::vector<size_t> start(ranks + 2, 0);
  for (size_t i = 0; i < n; ++i) ++start[id[i] + 1];
  for (size_t r = 1; r < start.size(); ++r) start[r] += start[r - 1];
  std::vector<size_t> next(start.begin(), start.end() - 1);
  for (size_t i = 0; i < n; ++i) perm[next[id[i]]++] = static_cast<uint32_t>(i);
  for (size_t r = 0; r + 1 < start.size(); ++r)
    SortRun(chunk, sort_key, 1, &perm, start[r], start[r + 1]);
  return perm;
}

// VARCHAR first key (the tag) as strings: number its distinct values, rank
// them in byte order (NULL first, rank 0) into (*id)[row]; returns the
// number of ranks. Consecutive rows usually share a tag, so the previous id
// is reused.
size_t PartitionedWriter::RankStrings(const ColumnVector& first, std::vector<uint32_t>* id_out) {
  const size_t n = first.size();
  std::vector<uint32_t>& id = *id_out;
  std::unordered_map<std::string_view, uint32_t> ids;
  std::vector<std::string_view> distinct;
  constexpr uint32_t kNullId = UINT32_MAX;
  std::string_view last;
  uint32_t last_id = kNullId;
  for (size_t i = 0; i < n; ++i) {
    if (first.IsNull(i)) {
      id[i] = kNullId;
      continue;
    }
    std::string_view s = first.strings[i];
    if (last_id == kNullId || s != last) {
      auto [it, inserted] = ids.try_emplace(s, static_cast<uint32_t>(distinct.size()));
      if (inserted) distinct.push_back(s);
      last = s;
      last_id = it->second;
    }
    id[i] = last_id;
  }
  std::vector<uint32_t> order(distinct.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return distinct[a] < distinct[b]; });
  std::vector<uint32_t> rank(distinct.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<uint32_t>(r + 1);
  for (size_t i = 0; i < n; ++i) id[i] = id[i] == kNullId ? 0 : rank[id[i]];
  return distinct.size();
}

void PartitionedWriter::SortInPlace(DataChunk* chunk, const std::vector<int>& sort_key) {
  const std::vector<uint32_t> perm = SortPermutation(*chunk, sort_key);
  if (perm.empty()) return;
  for (ColumnVector& c : chunk->columns) {
    Permute(&c.ints, perm);
    Permute(&c.doubles, perm);
    Permute(&c.strings, perm);
    Permute(&c.codes, perm);
    Permute(&c.valid, perm);
  }
}

Status PartitionedWriter::Append(const DataChunk& chunk) {
  return AppendImpl(const_cast<DataChunk&>(chunk), /*owned=*/false);
}

Status PartitionedWriter::Append(DataChunk&& chunk) { return AppendImpl(chunk, /*owned=*/true); }

Status PartitionedWriter::AppendImpl(DataChunk& chunk, bool owned) {
  const size_t n = chunk.size();
  if (n == 0) return Status::OK();
  RETURN_IF_ERROR(CheckValueSizes(chunk));
  // The last line of defence for "every committed value can be stored in the
  // statistics and read back" (formats/storable_values.h): whatever path
  // made these rows, nothing out of range or non-UTF-8 reaches a segment.
  RETURN_IF_ERROR(CheckStorableValues(chunk, schema_, table_dir_, rows_));
  if (!props_.partition.partitioned()) return AppendRows("", chunk, nullptr, owned);
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
    return AppendRows(groups.begin()->first, chunk, nullptr, owned);
  // Groups are disjoint, so moving one group's strings leaves the others'.
  for (auto& [value, sel] : groups) RETURN_IF_ERROR(AppendRows(value, chunk, &sel, owned));
  return Status::OK();
}

Status PartitionedWriter::AppendRows(const std::string& partition, DataChunk& chunk,
                                     const std::vector<uint32_t>* sel, bool owned) {
  const size_t count = sel ? sel->size() : chunk.size();
  size_t done = 0;
  while (done < count) {
    Buffer& buf = buffers_[partition];
    // Take rows up to the segment's target size, then cut the segment.
    size_t room = static_cast<size_t>(
        std::max<int64_t>(1, props_.target_segment_rows - static_cast<int64_t>(buf.rows.size())));
    size_t take = std::min(room, count - done);
    for (const ColumnVector& c : chunk.columns) buf.bytes += ColumnBytes(c, done, done + take, sel);
    if (owned && sel == nullptr && take == count && buf.rows.size() == 0) {
      buf.rows = std::move(chunk);  // the whole chunk: no copy
    } else {
      if (buf.rows.columns.empty()) {
        buf.rows.columns.resize(chunk.column_count());
        for (size_t c = 0; c < chunk.column_count(); ++c) {
          buf.rows.columns[c].type = chunk.columns[c].type;
          buf.rows.columns[c].dictionary_form = chunk.columns[c].dictionary_form;
        }
      }
      if (buf.dict.size() < chunk.column_count()) buf.dict.resize(chunk.column_count());
      for (size_t c = 0; c < chunk.column_count(); ++c)
        AppendRowsOf(buf.rows.columns[c], chunk.columns[c], done, done + take, sel, owned, buf.dict[c]);
    }
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
  RETURN_IF_ERROR(WaitForFlush());
  if (static_cast<int64_t>(rows.size()) < kBackgroundFlushRows)
    return WriteSegment(partition, std::move(rows));
  flush_thread_ = std::thread([this, partition = std::move(partition), r = std::move(rows)]() mutable {
    flush_status_ = WriteSegment(partition, std::move(r));
  });
  return Status::OK();
}

Status PartitionedWriter::WriteSegment(const std::string& partition, DataChunk rows) {
  // A VARCHAR sort key (the tag) of strings (the Appender's rows) is sorted
  // and encoded as codes; the segment bytes are the same.
  for (int k : props_.sort_key) ToDictionaryForm(&rows.columns[static_cast<size_t>(k)]);
  SortInPlace(&rows, props_.sort_key);
  // The catalog's tag index gets its figures here, not from re-reading the file.
  std::shared_ptr<const std::vector<SegmentTagRange>> tag_ranges = ComputeTagRanges(schema_, rows);
  const std::string segment_id = NewUniqueId();
  SegmentWriter writer(schema_, props_.segment_options);
  RETURN_IF_ERROR(writer.Append(std::move(rows)));
  SegmentStats stats;
  ASSIGN_OR_RETURN(std::string bytes, writer.Finish(&stats));
  // The footer records the table's id (version 0's metaData id) and the
  // segment's id, so a swapped or foreign file is refused on read
  // (formats/segment.md, format 1.1). A table whose version 0 is not
  // committed yet (CREATE TABLE AS) or was removed by log retention gets a
  // 1.0 footer.
  Result<std::string> table_id = TransactionLog(env_, table_dir_).TableIdOfVersionZero();
  if (table_id.ok() && !table_id->empty())
    RETURN_IF_ERROR(SetSegmentIdentity(&bytes, *table_id, segment_id));

  AddAction add;
  std::string dir = table_dir_;
  if (props_.partition.partitioned()) {
    std::string sub = props_.partition.DirectoryFor(partition);
    add.partition_values[props_.partition.partition_column()] = partition;
    add.path = sub + "/" + segment_id + ".tsl";
    dir = JoinPath(table_dir_, sub);
    if (!env_->IsDirectory(dir)) {
      RETURN_IF_ERROR(env_->CreateDirIfMissing(dir));
      dirs_to_sync_.insert(table_dir_);  // the new directory's name
    }
  } else {
    add.path = segment_id + ".tsl";
  }
  add.size = static_cast<int64_t>(bytes.size());
  add.modification_time = env_->NowMicros() / 1000;
  add.data_change = data_change_;
  add.stats = FileStatsFromSegment(schema_, stats);
  add.tag_ranges = std::move(tag_ranges);
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
  RETURN_IF_ERROR(WaitForFlush());
  while (!buffers_.empty()) RETURN_IF_ERROR(Flush(buffers_.begin()->first));
  RETURN_IF_ERROR(WaitForFlush());
  // Partition directories before the table directory: once the table
  // directory's entry for a partition is durable, its files are too.
  for (auto it = dirs_to_sync_.rbegin(); it != dirs_to_sync_.rend(); ++it)
    RETURN_IF_ERROR(env_->SyncDir(*it));
  dirs_to_sync_.clear();
  return Status::OK();
}

void PartitionedWriter::RemoveWritten() {
  (void)WaitForFlush();
  for (const AddAction& add : written_) (void)env_->RemoveFile(JoinPath(table_dir_, add.path));
  written_.clear();
}

}  // namespace tsl
