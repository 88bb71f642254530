// Column body encode/decode. Layout in formats/segment.md ("Column body").
// Thread-safety: pure functions.
#include "formats/column_codec.h"

#include <limits>

#include "formats/byte_writer.h"
#include "formats/double_codec.h"
#include "formats/int_codec.h"
#include "formats/null_bitmap.h"
#include "formats/string_codec.h"
#include "formats/date.h"
#include "formats/decimal.h"
#include "formats/scalar_text.h"

namespace tsl {
namespace {

constexpr uint8_t kDoubleBase = kDoubleEncodingBase;
constexpr uint8_t kStringBase = kStringEncodingBase;

// The non-NULL values in row order: `all` itself when there are no NULLs
// (no copy), else a compacted copy held in *scratch.
template <typename T>
const std::vector<T>& Dense(const std::vector<T>& all, const std::vector<uint8_t>& valid, size_t nulls,
                            std::vector<T>* scratch) {
  if (nulls == 0) return all;
  scratch->reserve(all.size() - nulls);
  for (size_t i = 0; i < all.size(); ++i)
    if (valid[i]) scratch->push_back(all[i]);
  return *scratch;
}

// Spreads dense values over the rows marked valid; NULL rows get T{}.
template <typename T>
void Spread(std::vector<T>* values, const std::vector<uint8_t>& valid) {
  if (values->size() == valid.size()) return;
  std::vector<T> full(valid.size());
  size_t k = 0;
  for (size_t i = 0; i < valid.size(); ++i)
    if (valid[i]) full[i] = std::move((*values)[k++]);
  values->swap(full);
}

}  // namespace

Status CheckIntRange(TypeId type, const std::vector<int64_t>& v) {
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  if (type == TypeId::kBoolean) {
    lo = 0;
    hi = 1;
  } else if (IsIntegral(type)) {
    lo = IntegralMin(type);
    hi = IntegralMax(type);
  } else if (type == TypeId::kTime) {
    lo = 0;
    hi = kMaxTimeMicros;
  } else if (type == TypeId::kDate) {
    lo = kMinDateDays;
    hi = kMaxDateDays;
  } else if (IsDecimal(type)) {  // |value * 10^scale| < 10^width
    hi = Pow10(DecimalWidth(type)) - 1;
    lo = -hi;
  } else {
    return Status::OK();
  }
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i] < lo || v[i] > hi)
      return Status::Corruption("value " + std::to_string(v[i]) + " out of range for " + std::string(TypeName(type)));
  return Status::OK();
}

std::string_view ColumnEncodingName(ColumnEncoding e) {
  switch (e) {
    case ColumnEncoding::kIntPlain: return "int-plain";
    case ColumnEncoding::kIntFrameOfReference: return "frame-of-reference";
    case ColumnEncoding::kIntDelta: return "delta";
    case ColumnEncoding::kIntDeltaOfDelta: return "delta-of-delta";
    case ColumnEncoding::kIntRunLength: return "run-length";
    case ColumnEncoding::kDoublePlain: return "double-plain";
    case ColumnEncoding::kDoubleDecimal: return "decimal";
    case ColumnEncoding::kDoubleGorilla: return "gorilla";
    case ColumnEncoding::kStringPlain: return "string-plain";
    case ColumnEncoding::kStringDictionary: return "dictionary";
  }
  return "unknown";
}

bool IsValidEncodingFor(TypeId type, uint8_t e) {
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64: return e < kIntEncodingCount;
    case PhysicalClass::kDouble: return e >= kDoubleBase && e <= kDoubleBase + 2;
    case PhysicalClass::kString: return e >= kStringBase && e <= kStringBase + 1;
  }
  return false;
}

EncodedColumn EncodeColumn(const ColumnVector& col) {
  EncodedColumn enc;
  size_t nulls = 0;
  for (uint8_t v : col.valid) nulls += v == 0;
  ByteWriter w(&enc.body);
  w.PutVarint(nulls);
  if (nulls > 0) EncodeNullBitmap(col.valid, &enc.body);
  switch (PhysicalClassOf(col.type)) {
    case PhysicalClass::kInt64: {
      std::vector<int64_t> scratch;
      const std::vector<int64_t>& d = Dense(col.ints, col.valid, nulls, &scratch);
      enc.encoding = static_cast<ColumnEncoding>(EncodeIntsSmallest(d.data(), d.size(), &enc.body));
      break;
    }
    case PhysicalClass::kDouble: {
      std::vector<double> scratch;
      const std::vector<double>& d = Dense(col.doubles, col.valid, nulls, &scratch);
      enc.encoding = static_cast<ColumnEncoding>(
          kDoubleBase + static_cast<uint8_t>(EncodeDoublesSmallest(d.data(), d.size(), &enc.body)));
      break;
    }
    case PhysicalClass::kString: {
      if (col.dictionary_form) {  // COPY's VARCHAR: no string per row
        std::vector<uint32_t> scratch;
        const std::vector<uint32_t>& d = Dense(col.codes, col.valid, nulls, &scratch);
        enc.encoding = static_cast<ColumnEncoding>(
            kStringBase + static_cast<uint8_t>(EncodeCodedStringsSmallest(col.dictionary, d.data(), d.size(), &enc.body)));
        break;
      }
      std::vector<std::string> scratch;
      const std::vector<std::string>& d = Dense(col.strings, col.valid, nulls, &scratch);
      enc.encoding = static_cast<ColumnEncoding>(
          kStringBase + static_cast<uint8_t>(EncodeStringsSmallest(d.data(), d.size(), &enc.body)));
      break;
    }
  }
  return enc;
}

Status ReadColumnBodyHeader(TypeId type, ColumnEncoding encoding, size_t rows, ByteReader* in,
                            uint64_t* nulls) {
  const uint8_t e = static_cast<uint8_t>(encoding);
  if (!IsValidEncodingFor(type, e))
    return Status::Corruption("encoding " + std::to_string(e) + " is not valid for " + std::string(TypeName(type)));
  if (!in->GetVarint(nulls)) return in->Corrupt("NULL count missing");
  if (*nulls > rows) return in->Corrupt("NULL count " + std::to_string(*nulls) + " exceeds " + std::to_string(rows) + " rows");
  return Status::OK();
}

Status DecodeColumn(TypeId type, ColumnEncoding encoding, std::string_view body, size_t rows,
                    ColumnVector* out, bool keep_dictionary) {
  const uint8_t e = static_cast<uint8_t>(encoding);
  ByteReader in(body);
  uint64_t nulls;
  RETURN_IF_ERROR(ReadColumnBodyHeader(type, encoding, rows, &in, &nulls));
  *out = ColumnVector(type);
  if (nulls > 0) {
    RETURN_IF_ERROR(DecodeNullBitmap(&in, rows, static_cast<size_t>(nulls), &out->valid));
  } else {
    out->valid.assign(rows, 1);
  }
  const size_t n = rows - static_cast<size_t>(nulls);
  switch (PhysicalClassOf(type)) {
    case PhysicalClass::kInt64:
      RETURN_IF_ERROR(DecodeIntsAs(static_cast<IntEncoding>(e), &in, n, &out->ints));
      RETURN_IF_ERROR(CheckIntRange(type, out->ints));
      Spread(&out->ints, out->valid);
      break;
    case PhysicalClass::kDouble:
      RETURN_IF_ERROR(DecodeDoublesAs(static_cast<DoubleEncoding>(e - kDoubleBase), &in, n, &out->doubles));
      Spread(&out->doubles, out->valid);
      break;
    case PhysicalClass::kString:
      if (keep_dictionary && encoding == ColumnEncoding::kStringDictionary) {
        RETURN_IF_ERROR(DecodeStringDictionary(&in, n, &out->dictionary, &out->codes));
        Spread(&out->codes, out->valid);
        out->dictionary_form = true;
        break;
      }
      RETURN_IF_ERROR(DecodeStringsAs(static_cast<StringEncoding>(e - kStringBase), &in, n, &out->strings));
      Spread(&out->strings, out->valid);
      break;
  }
  if (!in.AtEnd()) return in.Corrupt(std::to_string(in.remaining()) + " unexpected trailing bytes");
  return Status::OK();
}

}  // namespace tsl
