// Top-N over a table scan with late materialization. See
// physical_late_top_n.h.
#include "query/execution/physical_late_top_n.h"

#include <algorithm>
#include <exception>
#include <map>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "query/common/query_error.h"
#include "query/execution/expression_executor.h"
#include "query/execution/first_error.h"
#include "query/execution/parallel_pipeline.h"

namespace tsl::query {

TopNFileBound::TopNFileBound(std::string name, TypeId type, bool descending, bool nulls_first)
    : name_(std::move(name)), type_(type), descending_(descending), nulls_first_(nulls_first) {}

void TopNFileBound::Offer(const ColumnVector& col, size_t row) {
  if (col.IsNull(row)) return;
  Value v = col.GetValue(row);
  tsl::MutexLock l(mu_);
  if (bound_.is_null()) {
    bound_ = std::move(v);
    return;
  }
  const int c = v.Compare(bound_);
  if (descending_ ? c > 0 : c < 0) bound_ = std::move(v);
}

namespace {

// Stats values compare with the bound only within one type class (Value
// orders other pairs by type).
bool SameClass(const Value& a, const Value& b) {
  const bool an = IsNumeric(a.type()) || a.type() == TypeId::kBoolean;
  const bool bn = IsNumeric(b.type()) || b.type() == TypeId::kBoolean;
  return a.type() == b.type() || (an && bn);
}

}  // namespace

bool TopNFileBound::Skip(const AddAction& file) const {
  const FileStats& stats = file.stats;
  if (stats.num_records < 0) return false;
  auto nulls = stats.null_count.find(name_);
  const bool nulls_known = nulls != stats.null_count.end();
  // A NULL beats every value under NULLS FIRST.
  if (nulls_first_ && (!nulls_known || nulls->second > 0)) return false;
  auto min = stats.min_values.find(name_);
  auto max = stats.max_values.find(name_);
  tsl::MutexLock l(mu_);
  if (bound_.is_null()) return false;
  if (min == stats.min_values.end() || max == stats.max_values.end()) {
    // Only NULLs (placed last here): none beats a value.
    return nulls_known && nulls->second >= stats.num_records;
  }
  const Value& edge = descending_ ? max->second : min->second;
  if (edge.is_null() || !SameClass(edge, bound_)) return false;
  const int c = edge.Compare(bound_);
  return descending_ ? c < 0 : c > 0;
}

std::vector<std::string> TopNFileBound::Order(const FileList& files) const {
  std::vector<std::pair<const Value*, size_t>> keyed;
  std::vector<size_t> rest;
  for (size_t i = 0; i < files.size(); ++i) {
    const ColumnMap<Value>& m = descending_ ? files[i].stats.max_values : files[i].stats.min_values;
    auto it = m.find(name_);
    if (files[i].stats.num_records >= 0 && it != m.end() && !it->second.is_null()) {
      keyed.emplace_back(&it->second, i);
    } else {
      rest.push_back(i);
    }
  }
  for (size_t i = 1; i < keyed.size(); ++i) {
    if (!SameClass(*keyed[i].first, *keyed[0].first)) {  // mixed stats: keep the file order
      std::vector<std::string> out;
      for (const AddAction& f : files) out.push_back(f.path);
      return out;
    }
  }
  std::stable_sort(keyed.begin(), keyed.end(), [this](const auto& a, const auto& b) {
    const int c = a.first->Compare(*b.first);
    return descending_ ? c > 0 : c < 0;
  });
  std::vector<std::string> out;
  for (const auto& k : keyed) out.push_back(files[k.second].path);
  for (size_t i : rest) out.push_back(files[i].path);
  return out;
}

namespace {

std::vector<TypeId> ProjectionTypes(const std::vector<BoundExpressionPtr>& projection) {
  std::vector<TypeId> types;
  for (const auto& p : projection) types.push_back(p->type);
  return types;
}

}  // namespace

PhysicalLateTopN::PhysicalLateTopN(std::unique_ptr<PhysicalOperator> keys,
                                   std::vector<BoundOrder> orders, size_t keep, Fetch fetch,
                                   std::shared_ptr<TopNFileBound> bound,
                                   std::vector<std::unique_ptr<PhysicalOperator>> workers,
                                   std::shared_ptr<MorselQueue> morsels)
    : PhysicalOperator(ProjectionTypes(fetch.projection)),
      orders_(std::move(orders)),
      keep_(keep),
      id_column_(keys->types().size() - 1),
      key_types_(keys->types()),
      fetch_(std::move(fetch)),
      bound_(std::move(bound)),
      morsels_(std::move(morsels)) {
  AddChild(std::move(keys));
  for (auto& w : workers) AddChild(std::move(w));
}

void PhysicalLateTopN::Sink(TopNBuffer* buffer, const DataChunk& chunk) {
  buffer->Sink(chunk, 0, chunk.columns[id_column_].ints.data());
  if (!bound_) return;
  buffer->Tighten();  // a bound after the first file, not after kVectorSize rows
  if (buffer->has_boundary()) {
    bound_->Offer(buffer->rows()[static_cast<size_t>(orders_[0].column)], keep_ - 1);
  }
}

void PhysicalLateTopN::Consume() {
  result_ = std::make_unique<TopNBuffer>(key_types_, orders_, keep_);
  if (keep_ == 0) return;  // LIMIT 0: nothing to read
  if (children_.size() > 1 && morsels_) {
    ConsumeParallel();
  } else {
    DataChunk input;
    while (child()->Next(&input)) Sink(result_.get(), input);
  }
  result_->Finish();
  FetchRows();
}

// As PhysicalTopN::ConsumeParallel; the row ids already order ties.
void PhysicalLateTopN::ConsumeParallel() {
  const size_t workers = children_.size();
  std::vector<std::unique_ptr<TopNBuffer>> buffers;
  for (size_t w = 0; w < workers; ++w) {
    buffers.push_back(std::make_unique<TopNBuffer>(key_types_, orders_, keep_));
  }
  FirstError error;
  DatabaseConfig* config = &CurrentConfig();
  auto run = [&](size_t w) {
    ConfigScope scope(config);
    try {
      PhysicalOperator* pipeline = children_[w].get();
      DataChunk input;
      while (morsels_->Claim(static_cast<int>(w)) >= 0) {
        while (pipeline->Next(&input)) Sink(buffers[w].get(), input);
      }
    } catch (...) {
      morsels_->Stop();
      error.Record(std::current_exception());
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) {
    try {
      threads.emplace_back(run, w);
    } catch (const std::system_error&) {
      break;  // no thread to be had: the others claim every morsel anyway
    }
  }
  run(0);
  for (std::thread& t : threads) t.join();
  error.RethrowIfAny();
  for (auto& b : buffers) result_->Absorb(*b);
}

void PhysicalLateTopN::FetchRows() {
  const std::vector<uint32_t>& index = result_->index();
  const std::vector<int64_t>& ids = result_->rows()[id_column_].ints;
  // The kept rows by file, each file's rows in row order.
  std::map<uint64_t, std::vector<size_t>> by_file;
  for (uint32_t i : index) {
    const uint64_t id = static_cast<uint64_t>(ids[i]);
    by_file[id >> 32].push_back(id & 0xffffffffu);
  }
  const FileList& files = fetch_.snapshot->files();
  DataChunk fetched;
  fetched.Initialize(fetch_.types);
  std::unordered_map<int64_t, uint32_t> position;  // row id -> row of `fetched`
  position.reserve(index.size());
  ScanMetrics metrics;
  for (auto& [ordinal, rows] : by_file) {
    if (ordinal >= files.size()) {
      throw QueryError(ErrorKind::kInternal, "TOP_N: a row id names no file of the snapshot");
    }
    std::sort(rows.begin(), rows.end());
    ScanOptions options;
    options.columns = fetch_.columns;
    options.only_files = {files[ordinal].path};
    options.emit_row_ids = true;
    for (size_t r : rows) {
      if (!options.only_rows.empty() && options.only_rows.back().end == r) {
        ++options.only_rows.back().end;
      } else if (options.only_rows.empty() || options.only_rows.back().end < r) {
        options.only_rows.push_back({r, r + 1});
      }
    }
    std::unique_ptr<ChunkSource> source =
        ValueOrThrow(fetch_.table->NewScan(fetch_.snapshot, std::move(options), &metrics));
    DataChunk chunk;
    while (ValueOrThrow(source->Next(&chunk))) {
      fetch_.ctx.CheckCancelled();
      const size_t n = chunk.size();
      const std::vector<int64_t>& got = chunk.columns.back().ints;
      for (size_t i = 0; i < n; ++i) {
        position.emplace(got[i], static_cast<uint32_t>(fetched.size() + i));
      }
      memory_.Grow(ApproxChunkBytes(chunk));
      for (size_t c = 0; c < fetch_.types.size(); ++c) {
        fetched.columns[c].AppendRange(chunk.columns[c], 0, n);
      }
    }
  }
  std::vector<uint32_t> sel;
  sel.reserve(index.size());
  for (uint32_t i : index) {
    auto it = position.find(ids[i]);
    if (it == position.end()) {
      throw QueryError(ErrorKind::kInternal, "TOP_N: a kept row was not found again in its file");
    }
    sel.push_back(it->second);
  }
  ordered_.Initialize(fetch_.types);
  for (size_t c = 0; c < fetch_.types.size(); ++c) {
    ordered_.columns[c].AppendSelection(fetched.columns[c], sel);
  }
}

bool PhysicalLateTopN::Next(DataChunk* out) {
  if (!consumed_) {
    Consume();
    consumed_ = true;
  }
  if (keep_ == 0) return false;
  const size_t total = ordered_.size();
  if (emitted_ >= total) return false;
  const size_t end = std::min(total, emitted_ + kVectorSize);
  DataChunk slice;
  slice.Initialize(fetch_.types);
  for (size_t c = 0; c < fetch_.types.size(); ++c) {
    slice.columns[c].AppendRange(ordered_.columns[c], emitted_, end);
  }
  out->columns.resize(fetch_.projection.size());
  for (size_t i = 0; i < fetch_.projection.size(); ++i) {
    ExpressionExecutor::Execute(*fetch_.projection[i], slice, end - emitted_, &out->columns[i]);
  }
  emitted_ = end;
  return true;
}

std::string PhysicalLateTopN::Explain() const {
  std::string out = "TOP_N " + std::to_string(keep_) + " [";
  for (size_t i = 0; i < orders_.size(); ++i) {
    if (i) out += ", ";
    out += "#";
    out += std::to_string(orders_[i].column);
    out += orders_[i].descending ? " DESC" : " ASC";
    out += orders_[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  out += "] late: fetch [";
  const Schema& schema = fetch_.snapshot->schema();
  for (size_t i = 0; i < fetch_.columns.size(); ++i) {
    if (i) out += ", ";
    out += schema.fields[static_cast<size_t>(fetch_.columns[i])].name;
  }
  out += "] project [";
  for (size_t i = 0; i < fetch_.projection.size(); ++i) {
    if (i) out += ", ";
    out += fetch_.projection[i]->ToString();
  }
  out += "]";
  if (bound_) out += " zone-map bound on #" + std::to_string(orders_[0].column);
  if (children_.size() > 1) out += " workers=" + std::to_string(children_.size());
  return out;
}

}  // namespace tsl::query
