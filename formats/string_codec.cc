// Plain and dictionary string codecs. Layouts in formats/segment.md
// ("String encodings"). Thread-safety: pure functions.
#include "formats/string_codec.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "formats/byte_writer.h"
#include "formats/int_codec.h"

namespace tsl {
namespace {

template <typename Get>
void EncodePlain(size_t n, Get get, std::string* out) {
  std::vector<int64_t> lens(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    lens[i] = static_cast<int64_t>(get(i).size());
    total += get(i).size();
  }
  EncodeIntsBest(lens.data(), n, out);
  out->reserve(out->size() + total);
  for (size_t i = 0; i < n; ++i) out->append(get(i));
}

Status DecodePlain(ByteReader* in, size_t n, std::vector<std::string>* out) {
  std::vector<int64_t> lens;
  RETURN_IF_ERROR(DecodeIntsTagged(in, n, &lens));
  out->reserve(out->size() + n);
  for (int64_t len : lens) {
    std::string_view s;
    if (len < 0 || !in->GetBytes(static_cast<size_t>(len), &s))
      return in->Corrupt("string of length " + std::to_string(len) + " out of range");
    out->emplace_back(s);
  }
  return Status::OK();
}

// Dictionary ids in first-appearance order; false when more than max_distinct.
bool BuildDictionary(const std::string* v, size_t n, size_t max_distinct, std::vector<std::string_view>* dict,
                     std::vector<int64_t>* ids) {
  std::unordered_map<std::string_view, int64_t> index;
  ids->resize(n);
  for (size_t i = 0; i < n; ++i) {
    // Sorted segments hold runs of one tag: reuse the previous row's id.
    if (i > 0 && v[i] == v[i - 1]) {
      (*ids)[i] = (*ids)[i - 1];
      continue;
    }
    auto [it, inserted] = index.try_emplace(v[i], static_cast<int64_t>(dict->size()));
    if (inserted) {
      if (dict->size() >= max_distinct) return false;
      dict->push_back(v[i]);
    }
    (*ids)[i] = it->second;
  }
  return true;
}

void EncodeDictionary(const std::vector<std::string_view>& dict, const std::vector<int64_t>& ids,
                      std::string* out) {
  ByteWriter w(out);
  w.PutVarint(dict.size());
  EncodePlain(dict.size(), [&](size_t i) { return dict[i]; }, out);
  EncodeIntsBest(ids.data(), ids.size(), out);
}

Status DecodeDictionary(ByteReader* in, size_t n, std::vector<std::string>* out) {
  std::vector<std::string> dict;
  std::vector<uint32_t> codes;
  RETURN_IF_ERROR(DecodeStringDictionary(in, n, &dict, &codes));
  out->reserve(out->size() + n);
  for (uint32_t id : codes) out->push_back(dict[id]);
  return Status::OK();
}

}  // namespace

Status DecodeDictionaryEntries(ByteReader* in, size_t n, std::vector<std::string>* dict) {
  uint64_t size;
  if (!in->GetVarint(&size)) return in->Corrupt("dictionary size missing");
  if (size > n) return in->Corrupt("dictionary of " + std::to_string(size) + " entries for " + std::to_string(n) + " values");
  dict->clear();
  return DecodePlain(in, static_cast<size_t>(size), dict);
}

Status DictionaryCodes(const ByteReader& in, const std::vector<int64_t>& ids, size_t dict_size,
                       std::vector<uint32_t>* codes) {
  codes->resize(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const int64_t id = ids[i];
    if (id < 0 || static_cast<uint64_t>(id) >= dict_size)
      return in.Corrupt("dictionary id " + std::to_string(id) + " out of range (" + std::to_string(dict_size) + " entries)");
    (*codes)[i] = static_cast<uint32_t>(id);
  }
  return Status::OK();
}

Status DecodeStringDictionary(ByteReader* in, size_t n, std::vector<std::string>* dict,
                              std::vector<uint32_t>* codes) {
  RETURN_IF_ERROR(DecodeDictionaryEntries(in, n, dict));
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(DecodeIntsTagged(in, n, &ids));
  return DictionaryCodes(*in, ids, dict->size(), codes);
}

void EncodeStringsAs(StringEncoding enc, const std::string* values, size_t n, std::string* out) {
  if (enc == StringEncoding::kDictionary) {
    std::vector<std::string_view> dict;
    std::vector<int64_t> ids;
    BuildDictionary(values, n, n, &dict, &ids);
    EncodeDictionary(dict, ids, out);
    return;
  }
  EncodePlain(n, [&](size_t i) { return std::string_view(values[i]); }, out);
}

Status DecodeStringsAs(StringEncoding enc, ByteReader* in, size_t n, std::vector<std::string>* out) {
  switch (enc) {
    case StringEncoding::kPlain: return DecodePlain(in, n, out);
    case StringEncoding::kDictionary: return DecodeDictionary(in, n, out);
  }
  return in->Corrupt("unknown string encoding " + std::to_string(static_cast<int>(enc)));
}

// The exact size EncodePlain would write, without writing it: the lengths'
// smallest integer encoding (plus its tag byte) and the bytes.
size_t PlainSize(const std::string* values, size_t n) {
  std::vector<int64_t> lens(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    lens[i] = static_cast<int64_t>(values[i].size());
    total += values[i].size();
  }
  const auto sizes = IntEncodedSizes(lens.data(), n);
  return 1 + *std::min_element(sizes.begin(), sizes.end()) + total;
}

StringEncoding EncodeStringsSmallest(const std::string* values, size_t n, std::string* out) {
  // Same choice as encoding both and keeping the smaller (plain on a tie),
  // but plain is only sized, not written, unless it wins.
  std::vector<std::string_view> dict;
  std::vector<int64_t> ids;
  // With every value distinct the dictionary holds plain's strings and
  // lengths plus the ids, so plain wins: not built (a segment of one 64 MiB
  // value built a 64 MiB dictionary only to drop it).
  if (n > 0 && BuildDictionary(values, n, n / 2 + 1, &dict, &ids) && dict.size() < n) {
    std::string d;
    EncodeDictionary(dict, ids, &d);
    if (d.size() < PlainSize(values, n)) {
      out->append(d);
      return StringEncoding::kDictionary;
    }
  }
  EncodeStringsAs(StringEncoding::kPlain, values, n, out);
  return StringEncoding::kPlain;
}

// Same choice and bytes as EncodeStringsSmallest over the n values
// dict[codes[i]], without a string per value: the dictionary is renumbered
// in first-appearance order (equal entries merged) as BuildDictionary would
// number the materialized values.
StringEncoding EncodeCodedStringsSmallest(const std::vector<std::string>& dict, const uint32_t* codes, size_t n,
                                          std::string* out) {
  const size_t max_distinct = n / 2 + 1;
  constexpr int64_t kUnseen = -1;
  std::vector<int64_t> renumber(dict.size(), kUnseen);
  std::unordered_map<std::string_view, int64_t> index;  // only entries seen, so at most max_distinct + 1
  std::vector<std::string_view> first;                   // values in first-appearance order
  std::vector<int64_t> ids(n);
  bool fits = n > 0;
  for (size_t i = 0; i < n && fits; ++i) {
    const uint32_t c = codes[i];
    if (renumber[c] == kUnseen) {
      auto [it, inserted] = index.try_emplace(dict[c], static_cast<int64_t>(first.size()));
      if (inserted) {
        if (first.size() >= max_distinct) fits = false;
        first.push_back(dict[c]);
      }
      renumber[c] = it->second;
    }
    ids[i] = renumber[c];
  }
  if (fits) {
    std::vector<int64_t> lens(n);
    size_t total = 0;
    for (size_t i = 0; i < n; ++i) {
      lens[i] = static_cast<int64_t>(first[static_cast<size_t>(ids[i])].size());
      total += static_cast<size_t>(lens[i]);
    }
    const auto sizes = IntEncodedSizes(lens.data(), n);
    const size_t plain = 1 + *std::min_element(sizes.begin(), sizes.end()) + total;
    std::string d;
    EncodeDictionary(first, ids, &d);
    if (d.size() < plain) {
      out->append(d);
      return StringEncoding::kDictionary;
    }
  }
  EncodePlain(n, [&](size_t i) { return std::string_view(dict[codes[i]]); }, out);
  return StringEncoding::kPlain;
}

}  // namespace tsl
