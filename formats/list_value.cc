// LIST encoding, text form and order. See list_value.h and list_value.md.
#include "formats/list_value.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace tsl {

namespace {

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
uint64_t GetU64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

Status Malformed() { return Status::Corruption("malformed LIST value"); }

// DuckDB's NestedToVarcharCast::LOOKUP_TABLE: characters that make a
// string element need quotes in a list's text.
bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  if (space(s.front()) || (s.size() >= 2 && space(s.back()))) return true;
  if (s.size() == 4 && EqualsIgnoreCase(s, "null")) return true;
  for (char c : s) {
    switch (c) {
      case '"': case '\'': case '(': case ')': case ',': case ':': case '=':
      case '[': case ']': case '{': case '}':
        return true;
      default: break;
    }
  }
  return false;
}

}  // namespace

void ListBuilder::AppendNull() {
  if (count_ % 8 == 0) validity_.push_back(0);
  ++count_;
}

void ListBuilder::AppendInt(int64_t v) {
  if (count_ % 8 == 0) validity_.push_back(0);
  validity_.back() |= static_cast<uint8_t>(1u << (count_ % 8));
  ++count_;
  PutU64(&payload_, static_cast<uint64_t>(v));
}

void ListBuilder::AppendDouble(double v) {
  if (v == 0) v = 0.0;  // -0.0 is 0.0
  if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  AppendInt(static_cast<int64_t>(bits));
}

void ListBuilder::AppendString(std::string_view v) {
  if (count_ % 8 == 0) validity_.push_back(0);
  validity_.back() |= static_cast<uint8_t>(1u << (count_ % 8));
  ++count_;
  PutU32(&payload_, static_cast<uint32_t>(v.size()));
  payload_.append(v);
}

void ListBuilder::AppendValue(const Value& v) {
  if (v.is_null()) return AppendNull();
  switch (PhysicalClassOf(element_)) {
    case PhysicalClass::kInt64: return AppendInt(v.int_value());
    case PhysicalClass::kDouble:
      return AppendDouble(v.type() == TypeId::kDouble ? v.double_value() : v.AsDouble());
    case PhysicalClass::kString: return AppendString(v.string_value());
  }
}

std::string ListBuilder::Finish() const {
  std::string out;
  out.reserve(ByteSize());
  PutU32(&out, count_);
  out.append(reinterpret_cast<const char*>(validity_.data()), validity_.size());
  out += payload_;
  return out;
}

Result<std::vector<Value>> DecodeList(TypeId list_type, std::string_view bytes) {
  if (!IsList(list_type) || bytes.size() < 4) return Malformed();
  const TypeId element = ListElementType(list_type);
  const uint32_t n = GetU32(bytes.data());
  const size_t validity_bytes = (static_cast<size_t>(n) + 7) / 8;
  if (bytes.size() - 4 < validity_bytes) return Malformed();
  const char* validity = bytes.data() + 4;
  size_t pos = 4 + validity_bytes;
  std::vector<Value> out;
  out.reserve(n);
  const PhysicalClass cls = PhysicalClassOf(element);
  for (uint32_t i = 0; i < n; ++i) {
    if (((static_cast<uint8_t>(validity[i / 8]) >> (i % 8)) & 1) == 0) {
      out.push_back(Value::Null(element));
      continue;
    }
    if (element == TypeId::kNull) return Malformed();  // "NULL"[] holds only NULLs
    if (cls == PhysicalClass::kString) {
      if (bytes.size() - pos < 4) return Malformed();
      const uint32_t len = GetU32(bytes.data() + pos);
      pos += 4;
      if (bytes.size() - pos < len) return Malformed();
      out.push_back(Value::FromString(element, std::string(bytes.substr(pos, len))));
      pos += len;
      continue;
    }
    if (bytes.size() - pos < 8) return Malformed();
    const uint64_t bits = GetU64(bytes.data() + pos);
    pos += 8;
    if (cls == PhysicalClass::kDouble) {
      double d;
      std::memcpy(&d, &bits, 8);
      out.push_back(Value::Double(d));
    } else {
      out.push_back(Value::FromInt(element, static_cast<int64_t>(bits)));
    }
  }
  if (pos != bytes.size()) return Malformed();
  return out;
}

std::string EncodeList(TypeId list_type, const std::vector<Value>& elements) {
  ListBuilder b(ListElementType(list_type));
  for (const Value& v : elements) b.AppendValue(v);
  return b.Finish();
}

uint32_t ListSize(std::string_view bytes) { return bytes.size() < 4 ? 0 : GetU32(bytes.data()); }

std::string ListToText(TypeId list_type, std::string_view bytes) {
  Result<std::vector<Value>> elements = DecodeList(list_type, bytes);
  if (!elements.ok()) return "<malformed list>";
  std::string out = "[";
  bool first = true;
  for (const Value& v : *elements) {
    if (!first) out += ", ";
    first = false;
    if (v.is_null()) {
      out += "NULL";
      continue;
    }
    const std::string text = v.ToString();
    if (!NeedsQuotes(text)) {
      out += text;
      continue;
    }
    out += '\'';
    for (char c : text) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    out += '\'';
  }
  out += ']';
  return out;
}

Result<std::string> ParseListText(std::string_view text, TypeId list_type) {
  const TypeId element = ListElementType(list_type);
  const auto bad = [&] {
    return Status::InvalidArgument("Conversion Error: Type VARCHAR with value '" + std::string(text) +
                                   "' can't be cast to the destination type " +
                                   std::string(TypeName(list_type)));
  };
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  size_t i = 0, n = text.size();
  while (i < n && space(text[i])) ++i;
  while (n > i && space(text[n - 1])) --n;
  if (i >= n || text[i] != '[' || text[n - 1] != ']') return bad();
  ++i;
  --n;  // inside the brackets: [i, n)
  ListBuilder b(element);
  while (i < n && space(text[i])) ++i;
  if (i == n) return b.Finish();
  while (true) {
    while (i < n && space(text[i])) ++i;
    std::string item;
    bool quoted = false;
    size_t quoted_end = 0;  // item's length after its last quoted part
    int depth = 0;
    // One element: up to a comma outside quotes and brackets.
    while (i < n) {
      const char c = text[i];
      if (c == '\'' || c == '"') {
        quoted = true;
        const char q = c;
        ++i;
        while (i < n && text[i] != q) {
          if (text[i] == '\\' && i + 1 < n) ++i;
          item += text[i++];
        }
        if (i >= n) return bad();
        ++i;
        quoted_end = item.size();
        continue;
      }
      if (c == '[' || c == '{' || c == '(') ++depth;
      if (c == ']' || c == '}' || c == ')') {
        if (depth == 0) return bad();
        --depth;
      }
      if (c == ',' && depth == 0) break;
      item += c;
      ++i;
    }
    if (depth != 0) return bad();
    while (item.size() > quoted_end && space(item.back())) item.pop_back();
    if (!quoted && EqualsIgnoreCase(item, "null")) {
      b.AppendNull();
    } else {
      Result<Value> v = Value::Varchar(item).CastTo(element);
      if (!v.ok()) return v.status();
      b.AppendValue(*v);
    }
    if (i >= n) break;
    ++i;  // the comma
  }
  return b.Finish();
}

int CompareLists(TypeId list_type, std::string_view a, std::string_view b) {
  if (a == b) return 0;  // canonical: equal bytes, equal lists
  Result<std::vector<Value>> x = DecodeList(list_type, a);
  Result<std::vector<Value>> y = DecodeList(list_type, b);
  if (!x.ok() || !y.ok()) {
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  const size_t common = std::min(x->size(), y->size());
  for (size_t i = 0; i < common; ++i) {
    const Value& u = (*x)[i];
    const Value& v = (*y)[i];
    if (u.is_null() || v.is_null()) {
      if (u.is_null() && v.is_null()) continue;
      return u.is_null() ? 1 : -1;  // NULL elements order last
    }
    const int c = u.Compare(v);
    if (c != 0) return c;
  }
  if (x->size() == y->size()) return 0;
  return x->size() < y->size() ? -1 : 1;
}

}  // namespace tsl
