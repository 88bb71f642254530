// Window input storage and sorting. See window_sort.h.
#include "query/execution/window_sort.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string_view>

namespace tsl::query {
namespace {

// A coded column whose dictionary grows past this many strings and past a
// quarter of its rows is turned back into plain strings: codes only pay
// off for repeated values.
constexpr size_t kMaxDictionary = 4096;

uint64_t NormalizeInt(int64_t x) { return static_cast<uint64_t>(x) ^ (uint64_t{1} << 63); }

// Order-preserving bits of a double: -0 = 0, NaN after +inf (as ORDER BY).
uint64_t NormalizeDouble(double x) {
  if (x != x) return ~uint64_t{0};
  if (x == 0) x = 0;
  const uint64_t bits = std::bit_cast<uint64_t>(x);
  return bits >> 63 ? ~bits : bits | (uint64_t{1} << 63);
}

// Dense ids (first-seen order) of one key column's values; NULL is one
// more id. Returns the number of ids.
uint32_t KeyIds(const StoredColumn& col, size_t n, std::vector<uint32_t>* ids) {
  const ColumnVector& v = col.vec();
  ids->resize(n);
  uint32_t* out = ids->data();
  uint32_t next = 0;
  uint32_t null_id = UINT32_MAX;
  auto null = [&]() {
    if (null_id == UINT32_MAX) null_id = next++;
    return null_id;
  };
  if (col.coded()) {
    // Codes are dense already; NULL gets the code after the last.
    const uint32_t d = static_cast<uint32_t>(v.dictionary.size());
    for (size_t i = 0; i < n; ++i) out[i] = v.valid[i] ? v.codes[i] : d;
    return d + 1;
  }
  switch (PhysicalClassOf(v.type)) {
    case PhysicalClass::kString: {
      std::unordered_map<std::string_view, uint32_t> map;
      for (size_t i = 0; i < n; ++i) {
        if (!v.valid[i]) {
          out[i] = null();
        } else {
          auto [it, added] = map.try_emplace(v.strings[i], next);
          if (added) ++next;
          out[i] = it->second;
        }
      }
      return next;
    }
    case PhysicalClass::kInt64:
    case PhysicalClass::kDouble: {
      const bool dbl = PhysicalClassOf(v.type) == PhysicalClass::kDouble;
      std::unordered_map<uint64_t, uint32_t> map;
      uint64_t last = 0;
      uint32_t last_id = UINT32_MAX;
      for (size_t i = 0; i < n; ++i) {
        if (!v.valid[i]) {
          out[i] = null();
          continue;
        }
        const uint64_t k = dbl ? NormalizeDouble(v.doubles[i]) : NormalizeInt(v.ints[i]);
        if (last_id == UINT32_MAX || k != last) {
          auto [it, added] = map.try_emplace(k, next);
          if (added) ++next;
          last = k;
          last_id = it->second;
        }
        out[i] = last_id;
      }
      return next;
    }
  }
  return next;
}

// One ORDER BY key that is not plain strings: (key, row) pairs sorted by key
// then row (rows arrive in input order, so ties keep it); NULL rows, all
// peers, go before or after them in input order.
void SingleKeyOrder(const OrderKeySpec& spec, const std::vector<uint32_t>& rank, uint32_t* rows,
                    size_t m, PartitionOrderScratch* scratch, std::vector<uint8_t>* new_peer) {
  const ColumnVector& v = spec.column->vec();
  const uint64_t flip = spec.descending ? ~uint64_t{0} : 0;
  const PhysicalClass cls = PhysicalClassOf(v.type);
  std::vector<PartitionOrderScratch::KeyedRow>& kr = scratch->keyed;
  std::vector<uint32_t>& nulls = scratch->tmp_rows;
  kr.clear();
  kr.reserve(m);
  nulls.clear();
  bool sorted = true;
  for (size_t r = 0; r < m; ++r) {
    const uint32_t row = rows[r];
    if (!v.valid[row]) {
      nulls.push_back(row);
      continue;
    }
    uint64_t x = 0;
    switch (cls) {
      case PhysicalClass::kInt64:
        x = NormalizeInt(v.ints[row]);
        break;
      case PhysicalClass::kDouble:
        x = NormalizeDouble(v.doubles[row]);
        break;
      case PhysicalClass::kString:
        x = rank[v.codes[row]];
        break;
    }
    x ^= flip;
    if (!kr.empty() && x < kr.back().key) sorted = false;
    kr.push_back({x, row});
  }
  if (!sorted) {
    std::sort(kr.begin(), kr.end(), [](const auto& a, const auto& b) {
      return a.key != b.key ? a.key < b.key : a.row < b.row;
    });
  }
  uint8_t* peer = new_peer->data();
  size_t pos = 0;
  auto put_nulls = [&] {
    for (size_t i = 0; i < nulls.size(); ++i, ++pos) {
      rows[pos] = nulls[i];
      peer[pos] = i == 0;
    }
  };
  if (spec.nulls_first) put_nulls();
  for (size_t i = 0; i < kr.size(); ++i, ++pos) {
    rows[pos] = kr[i].row;
    peer[pos] = i == 0 || kr[i].key != kr[i - 1].key;
  }
  if (!spec.nulls_first) put_nulls();
}

}  // namespace

StoredColumn::StoredColumn(TypeId type) : v_(type) {
  v_.dictionary_form = PhysicalClassOf(type) == PhysicalClass::kString;
}

void StoredColumn::Append(const ColumnVector& src, size_t count) {
  v_.valid.insert(v_.valid.end(), src.valid.begin(), src.valid.begin() + count);
  switch (PhysicalClassOf(v_.type)) {
    case PhysicalClass::kInt64:
      v_.ints.insert(v_.ints.end(), src.ints.begin(), src.ints.begin() + count);
      return;
    case PhysicalClass::kDouble:
      if (src.type == TypeId::kDouble || src.doubles.size() >= count) {
        v_.doubles.insert(v_.doubles.end(), src.doubles.begin(), src.doubles.begin() + count);
      } else {
        for (size_t i = 0; i < count; ++i) v_.doubles.push_back(static_cast<double>(src.ints[i]));
      }
      return;
    case PhysicalClass::kString:
      break;
  }
  // A source in dictionary form (formats/column_vector.h) is read through
  // its codes.
  static const std::string kEmpty;
  auto text = [&](size_t i) -> const std::string& {
    if (!src.dictionary_form) return src.strings[i];
    return src.codes[i] < src.dictionary.size() ? src.dictionary[src.codes[i]] : kEmpty;
  };
  if (!v_.dictionary_form) {
    for (size_t i = 0; i < count; ++i) {
      const std::string& s = text(i);
      v_.strings.push_back(s);
      if (s.size() > 15) string_bytes_ += static_cast<int64_t>(s.size());
    }
    return;
  }
  // Consecutive rows mostly repeat a tag (a scan returns segments sorted
  // by tag): compare with the previous row's string before hashing.
  uint32_t last = UINT32_MAX;
  for (size_t i = 0; i < count; ++i) {
    if (!src.valid[i]) {
      v_.codes.push_back(0);
      continue;
    }
    const std::string& s = text(i);
    if (last == UINT32_MAX || v_.dictionary[last] != s) {
      auto [it, added] = index_.try_emplace(s, static_cast<uint32_t>(v_.dictionary.size()));
      if (added) {
        v_.dictionary.push_back(s);
        string_bytes_ += 2 * static_cast<int64_t>(s.size()) + 64;
      }
      last = it->second;
    }
    v_.codes.push_back(last);
  }
  if (v_.dictionary.size() > kMaxDictionary && v_.dictionary.size() * 4 > v_.size()) Uncode();
}

void StoredColumn::Uncode() {
  v_.strings.resize(v_.size());
  string_bytes_ = 0;
  for (size_t i = 0; i < v_.size(); ++i) {
    if (!v_.valid[i]) continue;
    v_.strings[i] = v_.dictionary[v_.codes[i]];
    if (v_.strings[i].size() > 15) string_bytes_ += static_cast<int64_t>(v_.strings[i].size());
  }
  v_.dictionary_form = false;
  std::vector<uint32_t>().swap(v_.codes);
  std::vector<std::string>().swap(v_.dictionary);
  index_.clear();
}

int64_t StoredColumn::bytes() const {
  // Sizes, not capacities: the pages past a vector's size are not touched.
  auto vec_bytes = [](const ColumnVector& c) {
    return static_cast<int64_t>(c.valid.size() + c.ints.size() * 8 + c.doubles.size() * 8 +
                                c.codes.size() * 4 + c.strings.size() * sizeof(std::string) +
                                c.dictionary.size() * sizeof(std::string));
  };
  int64_t b = vec_bytes(v_) + string_bytes_;
  if (plain_built_) b += vec_bytes(plain_) + string_bytes_;
  return b;
}

const ColumnVector& StoredColumn::Plain() {
  if (!v_.dictionary_form) return v_;
  if (!plain_built_) {
    plain_ = ColumnVector(v_.type);
    plain_.valid = v_.valid;
    plain_.strings.resize(v_.size());
    for (size_t i = 0; i < v_.size(); ++i) {
      if (v_.valid[i]) plain_.strings[i] = v_.dictionary[v_.codes[i]];
    }
    plain_built_ = true;
  }
  return plain_;
}

void StoredColumn::Gather(const uint32_t* rows, size_t count, ColumnVector* out) const {
  const size_t base = out->valid.size();
  out->valid.resize(base + count);
  uint8_t* valid = out->valid.data() + base;
  for (size_t j = 0; j < count; ++j) valid[j] = v_.valid[rows[j]];
  switch (PhysicalClassOf(v_.type)) {
    case PhysicalClass::kInt64: {
      out->ints.resize(base + count);
      int64_t* dst = out->ints.data() + base;
      for (size_t j = 0; j < count; ++j) dst[j] = v_.ints[rows[j]];
      return;
    }
    case PhysicalClass::kDouble: {
      out->doubles.resize(base + count);
      double* dst = out->doubles.data() + base;
      for (size_t j = 0; j < count; ++j) dst[j] = v_.doubles[rows[j]];
      return;
    }
    case PhysicalClass::kString:
      out->strings.resize(base + count);
      for (size_t j = 0; j < count; ++j) {
        if (!valid[j]) continue;
        out->strings[base + j] = v_.dictionary_form ? v_.dictionary[v_.codes[rows[j]]]
                                                    : v_.strings[rows[j]];
      }
      return;
  }
}

PartitionRows PartitionByKeys(const std::vector<const StoredColumn*>& keys, size_t n) {
  PartitionRows out;
  out.perm.resize(n);
  if (keys.empty()) {
    std::iota(out.perm.begin(), out.perm.end(), 0u);
    out.offsets = {0, static_cast<uint32_t>(n)};
    return out;
  }
  if (keys.size() == 1 && keys[0]->coded()) {
    // The codes are the ids (NULL: one past the dictionary): no id array.
    const ColumnVector& v = keys[0]->vec();
    const uint32_t d = static_cast<uint32_t>(v.dictionary.size());
    auto id = [&](size_t i) { return v.valid[i] ? v.codes[i] : d; };
    out.offsets.assign(size_t{d} + 2, 0);
    for (size_t i = 0; i < n; ++i) ++out.offsets[id(i) + 1];
    for (size_t p = 0; p <= d; ++p) out.offsets[p + 1] += out.offsets[p];
    std::vector<uint32_t> fill(out.offsets.begin(), out.offsets.end() - 1);
    for (size_t i = 0; i < n; ++i) out.perm[fill[id(i)]++] = static_cast<uint32_t>(i);
    return out;
  }
  std::vector<uint32_t> ids;
  uint32_t count = KeyIds(*keys[0], n, &ids);
  if (keys.size() > 1) {
    std::vector<uint32_t> more;
    for (size_t k = 1; k < keys.size(); ++k) {
      KeyIds(*keys[k], n, &more);
      std::unordered_map<uint64_t, uint32_t> map;
      uint32_t next = 0;
      for (size_t i = 0; i < n; ++i) {
        const uint64_t pair = (uint64_t{ids[i]} << 32) | more[i];
        auto [it, added] = map.try_emplace(pair, next);
        if (added) ++next;
        ids[i] = it->second;
      }
      count = next;
    }
  }
  // Stable counting sort by id.
  out.offsets.assign(size_t{count} + 1, 0);
  for (size_t i = 0; i < n; ++i) ++out.offsets[ids[i] + 1];
  for (size_t p = 0; p < count; ++p) out.offsets[p + 1] += out.offsets[p];
  std::vector<uint32_t> fill(out.offsets.begin(), out.offsets.end() - 1);
  for (size_t i = 0; i < n; ++i) out.perm[fill[ids[i]]++] = static_cast<uint32_t>(i);
  return out;
}

std::vector<uint32_t> DictionaryRanks(const ColumnVector& coded) {
  const size_t d = coded.dictionary.size();
  std::vector<uint32_t> order(d);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return coded.dictionary[a] < coded.dictionary[b]; });
  std::vector<uint32_t> rank(d);
  for (size_t i = 0; i < d; ++i) rank[order[i]] = static_cast<uint32_t>(i);
  return rank;
}

void PartitionOrder(const std::vector<OrderKeySpec>& keys,
                    const std::vector<std::vector<uint32_t>>& ranks, uint32_t* rows, size_t m,
                    PartitionOrderScratch* scratch, std::vector<uint8_t>* new_peer) {
  new_peer->assign(m, 0);
  if (m == 0) return;
  (*new_peer)[0] = 1;
  const size_t k = keys.size();
  if (k == 0) return;
  if (k == 1 && !(PhysicalClassOf(keys[0].column->vec().type) == PhysicalClass::kString &&
                  !keys[0].column->coded())) {
    SingleKeyOrder(keys[0], ranks[0], rows, m, scratch, new_peer);
    return;
  }
  std::vector<uint64_t>& key = scratch->keys;
  std::vector<uint8_t>& nul = scratch->nulls;
  key.resize(m * k);
  nul.resize(m * k);
  for (size_t j = 0; j < k; ++j) {
    const OrderKeySpec& spec = keys[j];
    const ColumnVector& v = spec.column->vec();
    const uint64_t flip = spec.descending ? ~uint64_t{0} : 0;
    const uint8_t null_flag = spec.nulls_first ? 0 : 2;
    const PhysicalClass cls = PhysicalClassOf(v.type);
    if (cls == PhysicalClass::kString && !spec.column->coded()) {
      // Plain strings: rank them within the partition first.
      std::vector<uint32_t>& idx = scratch->index;
      idx.clear();
      for (size_t r = 0; r < m; ++r) {
        if (v.valid[rows[r]]) idx.push_back(static_cast<uint32_t>(r));
      }
      std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
        return v.strings[rows[a]] < v.strings[rows[b]];
      });
      uint64_t rank = 0;
      for (size_t i = 0; i < idx.size(); ++i) {
        if (i > 0 && v.strings[rows[idx[i]]] != v.strings[rows[idx[i - 1]]]) ++rank;
        key[idx[i] * k + j] = rank ^ flip;
      }
      for (size_t r = 0; r < m; ++r) {
        const bool valid = v.valid[rows[r]];
        nul[r * k + j] = valid ? 1 : null_flag;
        if (!valid) key[r * k + j] = 0;
      }
      continue;
    }
    for (size_t r = 0; r < m; ++r) {
      const uint32_t row = rows[r];
      if (!v.valid[row]) {
        nul[r * k + j] = null_flag;
        key[r * k + j] = 0;
        continue;
      }
      nul[r * k + j] = 1;
      uint64_t x = 0;
      switch (cls) {
        case PhysicalClass::kInt64:
          x = NormalizeInt(v.ints[row]);
          break;
        case PhysicalClass::kDouble:
          x = NormalizeDouble(v.doubles[row]);
          break;
        case PhysicalClass::kString:
          x = ranks[j][v.codes[row]];
          break;
      }
      key[r * k + j] = x ^ flip;
    }
  }
  // Three-way comparison of positions a and b on the keys.
  auto compare = [&](const uint64_t* ka, const uint8_t* na, const uint64_t* kb,
                     const uint8_t* nb) {
    for (size_t j = 0; j < k; ++j) {
      if (na[j] != nb[j]) return na[j] < nb[j] ? -1 : 1;
      if (ka[j] != kb[j]) return ka[j] < kb[j] ? -1 : 1;
    }
    return 0;
  };
  bool sorted = true;
  for (size_t r = 1; r < m && sorted; ++r) {
    sorted = compare(&key[(r - 1) * k], &nul[(r - 1) * k], &key[r * k], &nul[r * k]) <= 0;
  }
  if (!sorted) {
    // Ties keep input order: rows arrive in input order and the position
    // breaks ties.
    std::vector<uint32_t>& idx = scratch->index;
    idx.resize(m);
    std::iota(idx.begin(), idx.end(), 0u);
    std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) {
      const int c = compare(&key[a * k], &nul[a * k], &key[b * k], &nul[b * k]);
      return c != 0 ? c < 0 : a < b;
    });
    scratch->tmp_rows.resize(m);
    scratch->tmp_keys.resize(m * k);
    scratch->tmp_nulls.resize(m * k);
    for (size_t r = 0; r < m; ++r) {
      scratch->tmp_rows[r] = rows[idx[r]];
      std::memcpy(&scratch->tmp_keys[r * k], &key[idx[r] * k], k * sizeof(uint64_t));
      std::memcpy(&scratch->tmp_nulls[r * k], &nul[idx[r] * k], k);
    }
    std::memcpy(rows, scratch->tmp_rows.data(), m * sizeof(uint32_t));
    key.swap(scratch->tmp_keys);
    nul.swap(scratch->tmp_nulls);
  }
  for (size_t r = 1; r < m; ++r) {
    (*new_peer)[r] = compare(&key[(r - 1) * k], &nul[(r - 1) * k], &key[r * k], &nul[r * k]) != 0;
  }
}

}  // namespace tsl::query
