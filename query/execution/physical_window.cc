// Window function evaluation. See physical_window.h.
#include "query/execution/physical_window.h"

#include <algorithm>
#include <map>

#include "query/execution/expression_executor.h"
#include "query/execution/window_partition.h"
#include "query/functions/vector_view.h"

namespace tsl::query {
namespace {

// Kernels that read a VARCHAR argument's strings need it expanded; count
// only reads validity, which a coded column has too.
bool NeedsStrings(const BoundWindow& w) {
  return (w.function != WindowFunction::kCount && w.function != WindowFunction::kCountStar) ||
         !w.argument_order_desc.empty();
}

// out[to[j]] = src[j] for j < count (same type; out sized already).
void Scatter(const ColumnVector& src, const uint32_t* to, size_t count, ColumnVector* out) {
  for (size_t j = 0; j < count; ++j) out->valid[to[j]] = src.valid[j];
  switch (PhysicalClassOf(out->type)) {
    case PhysicalClass::kInt64:
      for (size_t j = 0; j < count; ++j) out->ints[to[j]] = src.ints[j];
      break;
    case PhysicalClass::kDouble:
      for (size_t j = 0; j < count; ++j) out->doubles[to[j]] = src.doubles[j];
      break;
    case PhysicalClass::kString:
      for (size_t j = 0; j < count; ++j) out->strings[to[j]] = src.strings[j];
      break;
  }
}

// Appends src[rows[j]] for j < count to out.
void GatherCells(const ColumnVector& src, const uint32_t* rows, size_t count, ColumnVector* out) {
  for (size_t j = 0; j < count; ++j) out->valid.push_back(src.valid[rows[j]]);
  switch (PhysicalClassOf(out->type)) {
    case PhysicalClass::kInt64:
      for (size_t j = 0; j < count; ++j) out->ints.push_back(src.ints[rows[j]]);
      break;
    case PhysicalClass::kDouble:
      for (size_t j = 0; j < count; ++j) out->doubles.push_back(src.doubles[rows[j]]);
      break;
    case PhysicalClass::kString:
      for (size_t j = 0; j < count; ++j) out->strings.push_back(src.strings[rows[j]]);
      break;
  }
}

// Drops the first k rows of v.
void DropFront(ColumnVector* v, size_t k) {
  if (k == 0) return;
  auto drop = [k](auto& vec) {
    if (!vec.empty()) vec.erase(vec.begin(), vec.begin() + static_cast<std::ptrdiff_t>(k));
  };
  drop(v->valid);
  drop(v->ints);
  drop(v->doubles);
  drop(v->strings);
}

int64_t VectorBytes(const ColumnVector& c) {
  return static_cast<int64_t>(c.valid.capacity() + c.ints.capacity() * 8 +
                              c.doubles.capacity() * 8 +
                              c.strings.capacity() * sizeof(std::string));
}

std::string GroupKey(const BoundWindow& w) {
  std::string key;
  for (const BoundExpressionPtr& p : w.partitions) key += p->ToString() + "\x1f";
  key += "\x1e";
  for (size_t i = 0; i < w.orders.size(); ++i) {
    key += w.orders[i]->ToString() + (w.descending[i] ? "D" : "A") +
           (w.nulls_first[i] ? "F" : "L") + "\x1f";
  }
  return key;
}

}  // namespace

PhysicalWindow::PhysicalWindow(std::unique_ptr<PhysicalOperator> child,
                               std::vector<BoundWindow> windows, ExecutionContext ctx)
    : PhysicalOperator(child->types()), windows_(std::move(windows)), ctx_(ctx) {
  for (const BoundWindow& w : windows_) types_.push_back(w.type);
  AddChild(std::move(child));
}

std::string PhysicalWindow::Explain() const {
  std::string out = "WINDOW [";
  for (size_t i = 0; i < windows_.size(); ++i) out += (i ? ", " : "") + windows_[i].display;
  return out + "]";
}

size_t PhysicalWindow::SlotFor(const BoundExpression& e) {
  if (e.kind == BoundKind::kColumnRef && e.column >= 0 &&
      static_cast<size_t>(e.column) < input_columns_) {
    return static_cast<size_t>(e.column);
  }
  evaluated_.push_back(&e);
  return input_columns_ + evaluated_.size() - 1;
}

void PhysicalWindow::UpdateReservation() {
  int64_t bytes = 0;
  for (const StoredColumn& c : store_) bytes += c.bytes();
  for (const Group& g : groups_) {
    bytes += static_cast<int64_t>((g.rows.perm.capacity() + g.rows.offsets.capacity()) * 4);
  }
  for (const ColumnVector& c : full_) bytes += VectorBytes(c);
  for (const ColumnVector& c : pending_) bytes += VectorBytes(c);
  for (const ColumnVector& c : local_) bytes += VectorBytes(c);
  memory_.Resize(bytes);
}

void PhysicalWindow::Materialize() {
  const std::vector<TypeId>& in_types = child()->types();
  input_columns_ = in_types.size();
  // Slots for every key and argument, then one stored column per slot.
  std::map<std::string, size_t> group_of;
  window_position_.resize(windows_.size());
  window_group_.resize(windows_.size());
  argument_slots_.resize(windows_.size());
  for (size_t i = 0; i < windows_.size(); ++i) {
    const BoundWindow& w = windows_[i];
    auto [it, added] = group_of.try_emplace(GroupKey(w), groups_.size());
    if (added) {
      Group g;
      for (const BoundExpressionPtr& p : w.partitions) g.partition_slots.push_back(SlotFor(*p));
      for (const BoundExpressionPtr& o : w.orders) g.order_slots.push_back(SlotFor(*o));
      g.descending = w.descending;
      g.nulls_first = w.nulls_first;
      groups_.push_back(std::move(g));
    }
    Group& g = groups_[it->second];
    window_group_[i] = it->second;
    window_position_[i] = g.windows.size();
    g.windows.push_back(i);
    for (const BoundExpressionPtr& a : w.arguments) argument_slots_[i].push_back(SlotFor(*a));
  }
  store_.reserve(input_columns_ + evaluated_.size());
  for (TypeId t : in_types) store_.emplace_back(t);
  for (const BoundExpression* e : evaluated_) store_.emplace_back(e->type);

  DataChunk chunk;
  ColumnVector tmp;
  size_t chunks = 0;
  while (child()->Next(&chunk)) {
    ctx_.CheckCancelled();
    const size_t n = chunk.size();
    for (size_t c = 0; c < input_columns_; ++c) store_[c].Append(chunk.columns[c], n);
    for (size_t i = 0; i < evaluated_.size(); ++i) {
      ExpressionExecutor::Execute(*evaluated_[i], chunk, n, &tmp);
      store_[input_columns_ + i].Append(tmp, n);
    }
    rows_ += n;
    if (++chunks % 16 == 0) UpdateReservation();
  }
  UpdateReservation();
}

void PhysicalWindow::PrepareGroup(Group* g) {
  std::vector<const StoredColumn*> keys;
  for (size_t slot : g->partition_slots) keys.push_back(&store_[slot]);
  // The permutation, and the transient id array of PartitionByKeys
  // (none for one coded VARCHAR key).
  const bool ids = !(keys.size() == 1 && keys[0]->coded());
  memory_.Grow(static_cast<int64_t>(rows_) * (ids ? 8 : 4));
  g->rows = PartitionByKeys(keys, rows_);
  for (size_t k = 0; k < g->order_slots.size(); ++k) {
    StoredColumn& col = store_[g->order_slots[k]];
    g->order.push_back({&col, g->descending[k], g->nulls_first[k]});
    g->ranks.push_back(col.coded() ? DictionaryRanks(col.vec()) : std::vector<uint32_t>{});
  }
  UpdateReservation();
}

void PhysicalWindow::ComputePartition(Group* g, size_t p, std::vector<ColumnVector>* local) {
  uint32_t* rows = g->rows.perm.data() + g->rows.offsets[p];
  const size_t m = g->rows.offsets[p + 1] - g->rows.offsets[p];
  if (m > (size_t{1} << 16)) {
    // The sort and frame scratch of a big partition ((key, row) pairs,
    // peer flags, frame bounds, GROUPS' group of each row) and its results
    // with their non-NULL positions (IGNORE NULLS): ~33 bytes a row plus
    // 13 a window.
    memory_.Grow(static_cast<int64_t>(m * (33 + 13 * g->windows.size())));
  }
  PartitionOrder(g->order, g->ranks, rows, m, &scratch_, &new_peer_);
  const ColumnVector* order_key = g->order.empty() ? nullptr : &g->order[0].column->vec();
  local->resize(g->windows.size());
  std::vector<const ColumnVector*> args;
  for (size_t k = 0; k < g->windows.size(); ++k) {
    const size_t i = g->windows[k];
    const BoundWindow& w = windows_[i];
    args.clear();
    for (size_t slot : argument_slots_[i]) {
      StoredColumn& col = store_[slot];
      args.push_back(col.coded() && NeedsStrings(w) ? &col.Plain() : &col.vec());
    }
    const bool same_frame = k > 0 && FramesEqual(windows_[g->windows[k - 1]], w);
    ComputeWindowPartition(w, args, order_key, rows, m, new_peer_, same_frame, &frame_,
                           &(*local)[k]);
  }
  if (m > (size_t{1} << 16)) {  // a big partition's scratch is not kept for the next
    scratch_ = PartitionOrderScratch();
    frame_ = WindowPartitionScratch();
    new_peer_ = std::vector<uint8_t>();
    UpdateReservation();
  }
}

void PhysicalWindow::Compute() {
  computed_ = true;
  Materialize();
  // Groups after the first: every partition now, into per-row columns.
  full_.resize(windows_.size());
  for (size_t gi = 1; gi < groups_.size(); ++gi) {
    Group& g = groups_[gi];
    PrepareGroup(&g);
    for (size_t i : g.windows) PrepareOutput(&full_[i], windows_[i].type, rows_);
    UpdateReservation();
    for (size_t p = 0; p < g.rows.partitions(); ++p) {
      ctx_.CheckCancelled();
      ComputePartition(&g, p, &local_);
      const uint32_t* rows = g.rows.perm.data() + g.rows.offsets[p];
      const size_t m = g.rows.offsets[p + 1] - g.rows.offsets[p];
      for (size_t k = 0; k < g.windows.size(); ++k) {
        Scatter(local_[k], rows, m, &full_[g.windows[k]]);
      }
    }
    g.rows = PartitionRows();
  }
  std::vector<ColumnVector>().swap(local_);
  if (!groups_.empty()) {
    PrepareGroup(&groups_[0]);
    pending_.resize(groups_[0].windows.size());
    for (size_t k = 0; k < pending_.size(); ++k) {
      pending_[k] = ColumnVector(windows_[groups_[0].windows[k]].type);
    }
  }
  UpdateReservation();
}

bool PhysicalWindow::Next(DataChunk* out) {
  if (!computed_) Compute();
  if (emitted_ >= rows_ || groups_.empty()) {
    if (!store_.empty()) {  // done: give the memory back now
      store_.clear();
      groups_.clear();
      full_.clear();
      pending_.clear();
      memory_.Resize(0);
    }
    return false;
  }
  Group& g = groups_[0];
  // Compute partitions until a full chunk of results is pending.
  auto pending_rows = [&] { return pending_.empty() ? 0 : pending_[0].size() - pending_head_; };
  if (pending_rows() < kVectorSize && next_partition_ < g.rows.partitions()) {
    for (ColumnVector& c : pending_) DropFront(&c, pending_head_);
    pending_head_ = 0;
    while (pending_rows() < kVectorSize && next_partition_ < g.rows.partitions()) {
      ctx_.CheckCancelled();
      ComputePartition(&g, next_partition_++, &local_);
      for (size_t k = 0; k < pending_.size(); ++k) {
        if (pending_[k].size() == 0) {
          std::swap(pending_[k], local_[k]);  // a big partition is not copied
        } else {
          pending_[k].AppendRange(local_[k], 0, local_[k].size());
        }
      }
    }
    UpdateReservation();
  }
  const size_t count = std::min(kVectorSize, rows_ - emitted_);
  const uint32_t* rows = g.rows.perm.data() + emitted_;
  out->Initialize(types_);
  for (size_t c = 0; c < input_columns_; ++c) store_[c].Gather(rows, count, &out->columns[c]);
  for (size_t i = 0; i < windows_.size(); ++i) {
    ColumnVector& dst = out->columns[input_columns_ + i];
    if (window_group_[i] == 0) {
      const ColumnVector& src = pending_[window_position_[i]];
      dst.AppendRange(src, pending_head_, pending_head_ + count);
    } else {
      GatherCells(full_[i], rows, count, &dst);
    }
  }
  pending_head_ += count;
  emitted_ += count;
  return true;
}

}  // namespace tsl::query
