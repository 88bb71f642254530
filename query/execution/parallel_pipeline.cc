// The threads setting, MorselQueue and the planner's scan split. See
// parallel_pipeline.h.
#include "query/execution/parallel_pipeline.h"

#include <mutex>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "query/common/query_error.h"
#include "query/execution/memory_tracker.h"
#include "query/execution/physical_hash_join.h"
#include "query/execution/physical_table_scan.h"

namespace tsl::query {
namespace {

bool HasSubquery(const BoundExpression* e) {
  if (e == nullptr) return false;
  if (e->kind == BoundKind::kSubquery || e->subquery) return true;
  for (const auto& c : e->children) {
    if (HasSubquery(c.get())) return true;
  }
  return false;
}

}  // namespace

void TuneAllocatorForScans() {
#if defined(__GLIBC__)
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
  });
#endif
}

int DefaultThreads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(std::min(n, 1024u));
}

int GetThreads() {
  const int n = CurrentConfig().threads.load(std::memory_order_relaxed);
  return n > 0 ? n : DefaultThreads();
}

void SetThreads(int n) { CurrentConfig().threads.store(n > 0 ? n : 0, std::memory_order_relaxed); }

void ApplyThreadsSetting(const std::optional<std::string>& value) {
  if (!value) {
    SetThreads(0);
    return;
  }
  const std::string& v = *value;
  size_t pos = 0;
  long long n = 0;
  try {
    n = std::stoll(v, &pos);
  } catch (...) {
    pos = 0;
  }
  while (pos < v.size() && v[pos] == ' ') ++pos;
  if (pos == 0 || pos != v.size() || n < 1 || n > 1024) {
    throw QueryError(ErrorKind::kInvalidInput,
                     "threads must be a whole number from 1 to 1024, got '" + v +
                         "' (SET threads = 2; RESET threads goes back to the number of cores, " +
                         std::to_string(DefaultThreads()) + ")");
  }
  SetThreads(static_cast<int>(n));
}

MorselQueue::MorselQueue(std::vector<std::string> files, int workers)
    : files_(std::move(files)), assigned_(static_cast<size_t>(workers), -1) {}

int64_t MorselQueue::Claim(int worker) {
  int64_t m = -1;
  if (!stop_.load(std::memory_order_relaxed)) {
    m = next_.fetch_add(1, std::memory_order_relaxed);
    if (m >= static_cast<int64_t>(files_.size())) m = -1;
  }
  assigned_[static_cast<size_t>(worker)] = m;
  return m;
}

WorkerScans SplitScanForWorkers(PhysicalOperator* op, const BoundSelect& s) {
  WorkerScans out;
  // An aggregate over a hash join: the join's probe side is split, each
  // worker probing the one shared build side (physical_hash_join.h).
  if (auto* join = dynamic_cast<PhysicalHashJoin*>(op); join != nullptr && s.aggregate) {
    PhysicalTableScan* probe = join->ProbeScan();
    if (probe == nullptr) return out;
    out = SplitScanForWorkers(probe, s);
    for (auto& w : out.scans) w = join->CopyForProbeWorker(std::move(w));
    return out;
  }
  auto* scan = dynamic_cast<PhysicalTableScan*>(op);
  const int threads = GetThreads();
  if (scan == nullptr || threads < 2) return out;
  // Without GROUP BY the workers run the projection (a top-N's input).
  if (!s.aggregate) {
    if (!s.windows.empty() || s.qualify) return out;
    for (const auto& p : s.projection) {
      if (HasSubquery(p.get())) return out;
    }
  }
  const size_t files = scan->snapshot().files().size();
  if (files < 2) return out;
  if (HasSubquery(s.where.get())) return out;
  for (const auto& g : s.groups) {
    if (HasSubquery(g.get())) return out;
  }
  for (const BoundAggregate& a : s.aggregates) {
    if (HasSubquery(a.argument.get()) || HasSubquery(a.second.get()) ||
        HasSubquery(a.filter.get())) {
      return out;
    }
    for (const auto& k : a.order) {
      if (HasSubquery(k.get())) return out;
    }
  }
  for (const ScanRange& r : scan->options().ranges) {
    if (!r.lo.is_null() && !r.hi.is_null() && r.lo.type() == TypeId::kVarchar &&
        r.hi.type() == TypeId::kVarchar && r.lo.string_value() == r.hi.string_value()) {
      return out;  // tag = '...': the catalog index picks the few files
    }
  }
  const int workers = static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), files));
  // A scan of chosen files (a late top-N's, best first) hands those out.
  std::vector<std::string> paths = scan->options().only_files;
  if (paths.empty()) {
    for (const AddAction& f : scan->snapshot().files()) paths.push_back(f.path);
  }
  out.morsels = std::make_shared<MorselQueue>(std::move(paths), workers);
  scan->AttachMorsels(out.morsels, 0);
  for (int w = 1; w < workers; ++w) out.scans.push_back(scan->CopyForWorker(w));
  return out;
}

}  // namespace tsl::query
