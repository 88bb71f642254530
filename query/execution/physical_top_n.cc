// ORDER BY ... LIMIT as a bounded buffer. See physical_top_n.h.
#include "query/execution/physical_top_n.h"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>

#include "formats/list_value.h"
#include "query/execution/first_error.h"
#include "query/execution/parallel_pipeline.h"

namespace tsl::query {
namespace {

inline int Sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

// NaN sorts after every other value, as in DuckDB (and PhysicalOrder).
inline int CompareDouble(double x, double y) {
  const bool xn = x != x, yn = y != y;
  if (xn || yn) return xn && yn ? 0 : xn ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

// Heap bytes a row of `cols` holds, roughly: the values, validity, and
// string payloads past the small-string buffer.
int64_t RowBytes(const std::vector<ColumnVector>& cols, size_t row) {
  int64_t bytes = 8;  // the sequence number
  for (const ColumnVector& c : cols) {
    bytes += 9;
    if (!c.strings.empty() && c.strings[row].size() > 15) {
      bytes += static_cast<int64_t>(c.strings[row].size()) + 1 + 32;
    } else if (!c.strings.empty()) {
      bytes += 32;
    }
  }
  return bytes;
}

}  // namespace

TopNBuffer::TopNBuffer(const std::vector<TypeId>& types, const std::vector<BoundOrder>& orders,
                       size_t keep)
    : orders_(orders), keep_(keep) {
  for (TypeId t : types) rows_.emplace_back(t);
}

int TopNBuffer::CompareKeys(const std::vector<ColumnVector>& x, size_t a,
                            const std::vector<ColumnVector>& y, size_t b, size_t first_key) const {
  for (size_t k = first_key; k < orders_.size(); ++k) {
    const BoundOrder& o = orders_[k];
    const ColumnVector& cx = x[o.column];
    const ColumnVector& cy = y[o.column];
    const bool na = cx.IsNull(a), nb = cy.IsNull(b);
    if (na || nb) {
      if (na && nb) continue;
      // NULLs placement is independent of ASC/DESC.
      return na == o.nulls_first ? -1 : 1;
    }
    int cmp = 0;
    switch (PhysicalClassOf(cx.type)) {
      case PhysicalClass::kInt64:
        cmp = cx.ints[a] < cy.ints[b] ? -1 : cx.ints[a] > cy.ints[b] ? 1 : 0;
        break;
      case PhysicalClass::kDouble:
        cmp = CompareDouble(cx.doubles[a], cy.doubles[b]);
        break;
      case PhysicalClass::kString:  // a LIST orders elementwise (list_value.h)
        cmp = IsList(cx.type) ? CompareLists(cx.type, cx.strings[a], cy.strings[b])
                              : Sign(cx.strings[a].compare(cy.strings[b]));
        break;
    }
    if (cmp != 0) return o.descending ? -cmp : cmp;
  }
  return 0;
}

void TopNBuffer::SortIndex() {
  const size_t n = seq_.size();
  index_.resize(n);
  for (size_t i = 0; i < n; ++i) index_[i] = static_cast<uint32_t>(i);
  auto less = [this](uint32_t a, uint32_t b) {
    const int c = CompareKeys(rows_, a, rows_, b, 0);
    return c != 0 ? c < 0 : seq_[a] < seq_[b];
  };
  if (keep_ < n) {
    std::partial_sort(index_.begin(), index_.begin() + static_cast<long>(keep_), index_.end(),
                      less);
    index_.resize(keep_);
  } else {
    std::sort(index_.begin(), index_.end(), less);
  }
}

void TopNBuffer::Compact() {
  SortIndex();
  std::vector<ColumnVector> kept;
  std::vector<uint64_t> seq;
  int64_t bytes = 0;
  for (size_t c = 0; c < rows_.size(); ++c) {
    kept.emplace_back(rows_[c].type);
    kept.back().AppendSelection(rows_[c], index_);
  }
  for (uint32_t i : index_) seq.push_back(seq_[i]);
  rows_ = std::move(kept);
  seq_ = std::move(seq);
  for (size_t r = 0; r < seq_.size(); ++r) bytes += RowBytes(rows_, r);
  memory_.Resize(bytes);
  has_boundary_ = keep_ > 0 && seq_.size() >= keep_;
}

void TopNBuffer::Sink(const DataChunk& chunk, uint64_t seq, const int64_t* seqs) {
  const size_t n = chunk.size();
  if (n == 0 || keep_ == 0) return;
  sel_.clear();
  if (!has_boundary_) {
    for (size_t i = 0; i < n; ++i) sel_.push_back(static_cast<uint32_t>(i));
  } else {
    // First key against the boundary in one typed loop, then the rows
    // that tie on it against the rest (and the sequence number).
    const size_t b = keep_ - 1;
    const BoundOrder& o = orders_[0];
    const ColumnVector& in = chunk.columns[o.column];
    const ColumnVector& bc = rows_[o.column];
    first_cmp_.resize(n);
    int8_t* cmp = first_cmp_.data();
    const uint8_t* valid = in.valid.data();
    const int flip = o.descending ? -1 : 1;
    const int8_t null_cmp = o.nulls_first ? -1 : 1;  // a NULL row against a value
    if (bc.IsNull(b)) {
      for (size_t i = 0; i < n; ++i) cmp[i] = valid[i] ? static_cast<int8_t>(-null_cmp) : 0;
    } else {
      switch (PhysicalClassOf(in.type)) {
        case PhysicalClass::kInt64: {
          const int64_t bv = bc.ints[b];
          const int64_t* d = in.ints.data();
          for (size_t i = 0; i < n; ++i) {
            cmp[i] = valid[i] ? static_cast<int8_t>(flip * ((d[i] > bv) - (d[i] < bv))) : null_cmp;
          }
          break;
        }
        case PhysicalClass::kDouble: {
          const double bv = bc.doubles[b];
          const double* d = in.doubles.data();
          for (size_t i = 0; i < n; ++i) {
            cmp[i] = valid[i] ? static_cast<int8_t>(flip * CompareDouble(d[i], bv)) : null_cmp;
          }
          break;
        }
        case PhysicalClass::kString: {
          const std::string& bv = bc.strings[b];
          for (size_t i = 0; i < n; ++i) {
            const int c = IsList(in.type) ? CompareLists(in.type, in.strings[i], bv)
                                          : Sign(in.strings[i].compare(bv));
            cmp[i] = valid[i] ? static_cast<int8_t>(flip * c) : null_cmp;
          }
          break;
        }
      }
    }
    for (size_t i = 0; i < n; ++i) {
      int c = cmp[i];
      if (c == 0) c = CompareKeys(chunk.columns, i, rows_, b, 1);
      const uint64_t row_seq = seqs ? static_cast<uint64_t>(seqs[i]) : seq + i;
      if (c < 0 || (c == 0 && row_seq < seq_[b])) sel_.push_back(static_cast<uint32_t>(i));
    }
    if (sel_.empty()) return;
  }
  for (size_t c = 0; c < rows_.size(); ++c) rows_[c].AppendSelection(chunk.columns[c], sel_);
  int64_t bytes = 0;
  for (uint32_t i : sel_) {
    seq_.push_back(seqs ? static_cast<uint64_t>(seqs[i]) : seq + i);
    bytes += RowBytes(chunk.columns, i);
  }
  memory_.Grow(bytes);
  if (seq_.size() >= std::max<size_t>(2 * keep_, kVectorSize)) Compact();
}

void TopNBuffer::Absorb(TopNBuffer& other) {
  const size_t n = other.seq_.size();
  if (n == 0) return;
  int64_t bytes = 0;
  for (size_t r = 0; r < n; ++r) bytes += RowBytes(other.rows_, r);
  memory_.Grow(bytes);
  for (size_t c = 0; c < rows_.size(); ++c) rows_[c].AppendRange(other.rows_[c], 0, n);
  seq_.insert(seq_.end(), other.seq_.begin(), other.seq_.end());
  has_boundary_ = false;  // rows_ is no longer sorted
  if (seq_.size() >= std::max<size_t>(2 * keep_, kVectorSize)) Compact();
  has_boundary_ = false;
}

const std::vector<uint32_t>& TopNBuffer::Finish() {
  SortIndex();
  return index_;
}

PhysicalTopN::PhysicalTopN(std::unique_ptr<PhysicalOperator> child, std::vector<BoundOrder> orders,
                           size_t keep, std::vector<std::unique_ptr<PhysicalOperator>> workers,
                           std::shared_ptr<MorselQueue> morsels)
    : PhysicalOperator(child->types()),
      orders_(std::move(orders)),
      keep_(keep),
      morsels_(std::move(morsels)) {
  AddChild(std::move(child));
  for (auto& w : workers) AddChild(std::move(w));
}

void PhysicalTopN::Consume() {
  result_ = std::make_unique<TopNBuffer>(types_, orders_, keep_);
  if (keep_ == 0) return;  // LIMIT 0: nothing to read
  if (children_.size() > 1 && morsels_) {
    ConsumeParallel();
  } else {
    DataChunk input;
    uint64_t seq = 0;
    while (child()->Next(&input)) {
      result_->Sink(input, seq);
      seq += input.size();
    }
  }
  result_->Finish();
}

// Each worker claims morsels (segment files) and offers their rows to its
// own buffer, numbered (morsel, row in morsel) so that ties order as in a
// serial scan. The first error stops the claiming and is rethrown once
// every worker has been joined.
void PhysicalTopN::ConsumeParallel() {
  const size_t workers = children_.size();
  std::vector<std::unique_ptr<TopNBuffer>> buffers;
  for (size_t w = 0; w < workers; ++w) {
    buffers.push_back(std::make_unique<TopNBuffer>(types_, orders_, keep_));
  }
  FirstError error;
  DatabaseConfig* config = &CurrentConfig();
  auto run = [&](size_t w) {
    ConfigScope scope(config);
    try {
      PhysicalOperator* pipeline = children_[w].get();
      DataChunk input;
      int64_t m;
      while ((m = morsels_->Claim(static_cast<int>(w))) >= 0) {
        uint64_t seq = static_cast<uint64_t>(m) << 40;
        while (pipeline->Next(&input)) {
          buffers[w]->Sink(input, seq);
          seq += input.size();
        }
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

bool PhysicalTopN::Next(DataChunk* out) {
  if (!consumed_) {
    Consume();
    consumed_ = true;
  }
  if (keep_ == 0) return false;
  const std::vector<uint32_t>& index = result_->index();
  if (emitted_ >= index.size()) return false;
  const size_t end = std::min(index.size(), emitted_ + kVectorSize);
  std::vector<uint32_t> sel(index.begin() + static_cast<long>(emitted_),
                            index.begin() + static_cast<long>(end));
  out->Initialize(types_);
  for (size_t c = 0; c < types_.size(); ++c)
    out->columns[c].AppendSelection(result_->rows()[c], sel);
  emitted_ = end;
  return true;
}

std::string PhysicalTopN::Explain() const {
  std::string out = "TOP_N " + std::to_string(keep_) + " [";
  for (size_t i = 0; i < orders_.size(); ++i) {
    if (i) out += ", ";
    out += "#";
    out += std::to_string(orders_[i].column);
    out += orders_[i].descending ? " DESC" : " ASC";
    out += orders_[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  out += "]";
  if (children_.size() > 1) out += " workers=" + std::to_string(children_.size());
  return out;
}

}  // namespace tsl::query
