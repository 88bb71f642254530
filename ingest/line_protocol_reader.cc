// LineProtocolReader: the line protocol parser and the row mapping (see
// line_protocol_reader.h). Thread-safety: one thread.
#include "ingest/line_protocol_reader.h"

#include <algorithm>
#include <limits>

#include "formats/timestamp.h"
#include "formats/utf8.h"
#include "ingest/text_parsers.h"

namespace tsl {
namespace {

enum Col { kTag, kTs, kValue, kText, kMeasurement, kField, kTags };

// Reads an identifier from line[*pos] up to an unescaped character of
// `stops` (or the end), unescaping '\' before any of `escapable`.
std::string ScanName(std::string_view line, size_t* pos, std::string_view stops,
                     std::string_view escapable) {
  std::string out;
  size_t i = *pos;
  while (i < line.size()) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size() && escapable.find(line[i + 1]) != std::string_view::npos) {
      out.push_back(line[i + 1]);
      i += 2;
      continue;
    }
    if (stops.find(c) != std::string_view::npos) break;
    out.push_back(c);
    ++i;
  }
  *pos = i;
  return out;
}

bool IsTrueWord(std::string_view s) {
  return s == "t" || s == "T" || s == "true" || s == "True" || s == "TRUE";
}
bool IsFalseWord(std::string_view s) {
  return s == "f" || s == "F" || s == "false" || s == "False" || s == "FALSE";
}

}  // namespace

Schema LineProtocolReader::NativeSchema() {
  return Schema{{{"tag", TypeId::kVarchar},
                 {"ts", TypeId::kTimestamp},
                 {"value", TypeId::kDouble},
                 {"text_value", TypeId::kVarchar},
                 {"measurement", TypeId::kVarchar},
                 {"field", TypeId::kVarchar},
                 {"tags", TypeId::kVarchar}}};
}

LineProtocolReader::LineProtocolReader(std::string path, SchemaMapper mapper,
                                       std::unique_ptr<LineReader> lines, int64_t micros_per_unit,
                                       int64_t nanos_divisor)
    : path_(std::move(path)),
      mapper_(std::move(mapper)),
      lines_(std::move(lines)),
      micros_per_unit_(micros_per_unit),
      nanos_divisor_(nanos_divisor) {}

Result<std::unique_ptr<LineProtocolReader>> LineProtocolReader::Open(const std::string& path,
                                                                     LineProtocolOptions options) {
  int64_t micros = 1, divisor = 1;
  const std::string p = ToLower(options.precision);
  if (p == "ns" || p == "n") {
    divisor = 1000;
  } else if (p == "us" || p == "u") {
  } else if (p == "ms") {
    micros = 1000;
  } else if (p == "s") {
    micros = 1000000;
  } else {
    return Status::InvalidArgument("read_line_protocol: precision '" + options.precision +
                                   "' is not one of ns, us, ms, s");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> lines, LineReader::Open(path));
  ASSIGN_OR_RETURN(SchemaMapper mapper, SchemaMapper::Make(NativeSchema(), options.target_schema,
                                                           "read_line_protocol(" + path + ")"));
  return std::unique_ptr<LineProtocolReader>(
      new LineProtocolReader(path, std::move(mapper), std::move(lines), micros, divisor));
}

std::vector<RejectedRow> LineProtocolReader::TakeRejects() {
  std::vector<RejectedRow> out;
  out.swap(rejects_);
  return out;
}

std::string LineProtocolReader::ParseLine(std::string_view line, int64_t micros_per_unit,
                                          int64_t nanos_divisor, std::vector<Point>* points,
                                          SeriesCache* cache) {
  // A head seen before (no escapes, so it ends at the first space) is
  // taken from the cache; only heads that parsed are cached.
  std::string_view head_text;
  if (cache != nullptr) {
    const size_t sp = line.find(' ');
    if (sp != std::string_view::npos && line.substr(0, sp).find('\\') == std::string_view::npos)
      head_text = line.substr(0, sp);
  }
  if (!head_text.empty()) {
    auto it = cache->find(std::string(head_text));
    if (it != cache->end()) {
      size_t pos = head_text.size();
      while (pos < line.size() && line[pos] == ' ') ++pos;
      return ParseFields(line, pos, it->second, micros_per_unit, nanos_divisor, points);
    }
  }
  size_t pos = 0;
  std::string measurement = ScanName(line, &pos, ", ", ", ");
  if (measurement.empty()) return "the line has no measurement name";
  std::vector<std::pair<std::string, std::string>> tags;
  while (pos < line.size() && line[pos] == ',') {
    ++pos;
    std::string key = ScanName(line, &pos, "=, ", ",= ");
    if (pos >= line.size() || line[pos] != '=' || key.empty())
      return "tag \"" + key + "\" has no '=value' (escape ',', '=' and ' ' with '\\')";
    ++pos;
    std::string value = ScanName(line, &pos, ", ", ",= ");
    if (value.empty()) return "tag \"" + key + "\" has an empty value";
    tags.emplace_back(std::move(key), std::move(value));
  }
  if (pos >= line.size() || line[pos] != ' ') return "the line has no field set";
  while (pos < line.size() && line[pos] == ' ') ++pos;
  std::sort(tags.begin(), tags.end());
  SeriesHead head;
  head.series = measurement;
  for (const auto& [k, v] : tags) {
    head.series += "," + k + "=" + v;
    head.tag_text += (head.tag_text.empty() ? "" : ",") + k + "=" + v;
  }
  head.measurement = std::move(measurement);
  if (!head_text.empty() && pos == head_text.size() + 1) {
    if (cache->size() >= kMaxCachedHeads) cache->clear();
    const SeriesHead& cached = cache->emplace(std::string(head_text), std::move(head)).first->second;
    return ParseFields(line, pos, cached, micros_per_unit, nanos_divisor, points);
  }
  return ParseFields(line, pos, head, micros_per_unit, nanos_divisor, points);
}

std::string LineProtocolReader::ParseFields(std::string_view line, size_t pos, const SeriesHead& head,
                                            int64_t micros_per_unit, int64_t nanos_divisor,
                                            std::vector<Point>* points) {
  const std::string& measurement = head.measurement;
  const std::string& series = head.series;
  const std::string& tag_text = head.tag_text;
  const size_t first = points->size();
  for (;;) {
    std::string key = ScanName(line, &pos, "=, ", ",= ");
    if (key.empty() || pos >= line.size() || line[pos] != '=')
      return key.empty() ? "the line has no field set" : "field \"" + key + "\" has no '=value'";
    ++pos;
    Point pt;
    pt.measurement = measurement;
    pt.field = key;
    pt.tags = tag_text;
    pt.tag = key == "value" ? series : series + "." + key;
    if (pos < line.size() && line[pos] == '"') {
      std::string s;
      ++pos;
      bool closed = false;
      while (pos < line.size()) {
        char c = line[pos];
        if (c == '\\' && pos + 1 < line.size() && (line[pos + 1] == '"' || line[pos + 1] == '\\')) {
          s.push_back(line[pos + 1]);
          pos += 2;
          continue;
        }
        if (c == '"') {
          closed = true;
          ++pos;
          break;
        }
        s.push_back(c);
        ++pos;
      }
      if (!closed) return "field \"" + key + "\": string value has no closing '\"'";
      pt.text = std::move(s);
    } else {
      size_t end = pos;
      while (end < line.size() && line[end] != ',' && line[end] != ' ') ++end;
      std::string_view raw = line.substr(pos, end - pos);
      pos = end;
      if (raw.empty()) return "field \"" + key + "\" has an empty value";
      int64_t i64;
      double d;
      if (raw.back() == 'i' || raw.back() == 'u') {
        std::string_view digits = raw.substr(0, raw.size() - 1);
        if (!ParseInt64Text(digits, &i64) || (raw.back() == 'u' && i64 < 0)) {
          // Unsigned beyond int64 still fits a DOUBLE.
          if (raw.back() != 'u' || !ParseDoubleText(digits, &d) || d < 0 ||
              digits.find_first_not_of("0123456789") != std::string_view::npos)
            return "field \"" + key + "\": \"" + std::string(raw) + "\" is not an integer";
          pt.value = d;
        } else {
          pt.value = static_cast<double>(i64);
        }
      } else if (IsTrueWord(raw)) {
        pt.value = 1.0;
      } else if (IsFalseWord(raw)) {
        pt.value = 0.0;
      } else if (ParseDoubleText(raw, &d)) {
        pt.value = d;
      } else {
        return "field \"" + key + "\": \"" + std::string(raw) +
               "\" is not a number, integer (42i), boolean or quoted string";
      }
    }
    points->push_back(std::move(pt));
    if (pos < line.size() && line[pos] == ',') {
      ++pos;
      continue;
    }
    break;
  }
  while (pos < line.size() && line[pos] == ' ') ++pos;
  std::string_view ts_text = TrimBlanks(line.substr(pos));
  int64_t ts;
  if (ts_text.empty()) {
    points->resize(first);
    return "the line has no timestamp";
  }
  if (!ParseInt64Text(ts_text, &ts)) {
    points->resize(first);
    return "timestamp \"" + std::string(ts_text) + "\" is not an integer";
  }
  if (nanos_divisor > 1) {
    int64_t q = ts / nanos_divisor;
    if (ts % nanos_divisor < 0) --q;
    ts = q;
  } else if (micros_per_unit > 1) {
    if (ts > std::numeric_limits<int64_t>::max() / micros_per_unit ||
        ts < std::numeric_limits<int64_t>::min() / micros_per_unit) {
      points->resize(first);
      return "timestamp " + std::string(ts_text) + " is out of range for its precision";
    }
    ts *= micros_per_unit;
  }
  if (!IsValidTimestamp(ts)) {
    points->resize(first);
    return "timestamp " + std::string(ts_text) + " is outside the supported TIMESTAMP range (" +
           TimestampRangeText() + ")";
  }
  for (size_t i = first; i < points->size(); ++i) (*points)[i].ts = ts;
  return "";
}

Result<bool> LineProtocolReader::Next(DataChunk* out) {
  native_.Initialize({TypeId::kVarchar, TypeId::kTimestamp, TypeId::kDouble, TypeId::kVarchar,
                      TypeId::kVarchar, TypeId::kVarchar, TypeId::kVarchar});
  auto& cols = native_.columns;
  while (native_.size() < kVectorSize) {
    if (next_point_ == points_.size()) {
      points_.clear();
      next_point_ = 0;
      std::string_view line;
      ASSIGN_OR_RETURN(bool more, lines_->Next(&line));
      if (!more) break;
      std::string_view t = TrimBlanks(line);
      if (t.empty() || t.front() == '#') continue;
      // Names, tags and string fields become VARCHAR: the line must be UTF-8.
      std::string reason = IsValidUtf8(t)
                               ? ParseLine(t, micros_per_unit_, nanos_divisor_, &points_, &heads_)
                               : "the line is not UTF-8: " + DescribeInvalidUtf8(t);
      if (!reason.empty()) {
        points_.clear();
        ++rejected_;
        rejects_.push_back(RejectedRow{path_, lines_->line_number(), "",
                                       std::string(line.substr(0, kMaxRejectRawBytes)), reason});
        continue;
      }
    }
    while (next_point_ < points_.size() && native_.size() < kVectorSize) {
      Point& p = points_[next_point_++];
      cols[kTag].AppendString(std::move(p.tag));
      cols[kTs].AppendInt(p.ts);
      if (p.value) cols[kValue].AppendDouble(*p.value);
      else cols[kValue].AppendNull();
      if (p.text) cols[kText].AppendString(std::move(*p.text));
      else cols[kText].AppendNull();
      cols[kMeasurement].AppendString(std::move(p.measurement));
      cols[kField].AppendString(std::move(p.field));
      if (p.tags.empty()) cols[kTags].AppendNull();
      else cols[kTags].AppendString(std::move(p.tags));
    }
  }
  if (native_.size() == 0) return false;  // end of file (rejects stay for TakeRejects)
  RETURN_IF_ERROR(mapper_.Map(&native_, out));
  return true;
}

}  // namespace tsl
