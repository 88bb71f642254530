// Streaming CSV reader. See csv_reader.h for the dialect and error rules.
//
// Buffer invariants (checked with asserts):
//  (1) 0 <= begin_ <= end_ <= buf_.size(); bytes [begin_, end_) are read from
//      the file and not yet consumed.
//  (2) fields_ spans point into [begin_, end_) and are valid only until the
//      next Refill(), which moves bytes; a record is always rescanned from its
//      start after a refill rather than patched.
//  (3) line_ is the physical line on which the byte at begin_ lies, so error
//      messages name lines as an editor shows them, even with quoted newlines.
#include "ingest/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <unordered_set>

#include "formats/utf8.h"
#include "ingest/text_parsers.h"

namespace tsl {

namespace {

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  // Keep messages one line and short even for a huge bad field.
  constexpr size_t kMaxShown = 80;
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    char c = text[i];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

// Narrowest type every sampled value of a column fits, from the candidates.
struct TypeCandidates {
  bool boolean = true;
  bool bigint = true;
  bool dbl = true;
  bool date = true;  // tried before TIMESTAMP, as DuckDB's sniffer does
  bool timestamp = true;
  bool offset = false;  // a timestamp with a UTC offset: TIMESTAMPTZ
  bool seen_value = false;

  void Observe(std::string_view text) {
    seen_value = true;
    int64_t i;
    double d;
    if (boolean && !LooksLikeBooleanWord(text)) boolean = false;
    if (bigint && !ParseInt64Text(text, &i)) bigint = false;
    if (dbl && !bigint && !ParseDoubleText(text, &d)) dbl = false;
    if (timestamp && !ParseTimestampText(text, &i)) timestamp = false;
    if (timestamp && !offset && TimestampTextHasOffset(text)) offset = true;
    if (date && !ParseDateText(text, &i)) date = false;
  }
  TypeId Best() const {
    if (!seen_value) return TypeId::kVarchar;
    if (boolean) return TypeId::kBoolean;
    if (bigint) return TypeId::kBigint;
    if (dbl) return TypeId::kDouble;
    if (date) return TypeId::kDate;
    if (timestamp) return offset ? TypeId::kTimestampTz : TypeId::kTimestamp;
    return TypeId::kVarchar;
  }
};

}  // namespace

CsvReader::CsvReader(std::string path, CsvOptions options, int fd)
    : path_(std::move(path)), options_(std::move(options)), fd_(fd) {
  buf_.resize(options_.block_size);
  struct stat st;
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) file_size_ = st.st_size;
  field_end_[static_cast<unsigned char>(options_.delimiter)] = true;
  field_end_[static_cast<unsigned char>('\n')] = true;
  field_end_[static_cast<unsigned char>('\r')] = true;
}

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

Status CsvReader::CheckOptions(CsvOptions* options) {
  if (options->delimiter == options->quote || options->delimiter == '\n' ||
      options->delimiter == '\r') {
    return Status::InvalidArgument("read_csv: the delimiter " + Quoted(std::string(1, options->delimiter)) +
                                   " cannot be a quote or line break");
  }
  if (options->block_size < 16) options->block_size = 16;
  if (options->sample_rows == 0) options->sample_rows = 1;
  if (options->dictionary_chunk_rows == 0) options->dictionary_chunk_rows = kVectorSize;
  return Status::OK();
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, CsvOptions options) {
  RETURN_IF_ERROR(CheckOptions(&options));
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("No files found that match the pattern \"" + path + "\"");
    return Status::IOError("cannot open \"" + path + "\": " + std::strerror(err));
  }
  return Start(std::unique_ptr<CsvReader>(new CsvReader(path, std::move(options), fd)));
}

Result<std::unique_ptr<CsvReader>> CsvReader::OpenStream(const std::string& name, CsvOptions options,
                                                         ReadFunction read) {
  RETURN_IF_ERROR(CheckOptions(&options));
  std::unique_ptr<CsvReader> reader(new CsvReader(name, std::move(options), -1));
  reader->read_ = std::move(read);
  return Start(std::move(reader));
}

Result<std::unique_ptr<CsvReader>> CsvReader::Start(std::unique_ptr<CsvReader> reader) {
  RETURN_IF_ERROR(reader->ReadHeader());
  if (reader->options_.target_schema) {
    RETURN_IF_ERROR(reader->BuildTargetMapping());
  } else {
    RETURN_IF_ERROR(reader->InferSchema());
  }
  reader->dicts_.resize(reader->schema_.size());
  for (size_t c = 0; c < reader->schema_.size(); ++c)
    reader->dicts_[c].active =
        reader->options_.dictionary_strings && reader->schema_.fields[c].type == TypeId::kVarchar;
  return reader;
}

Result<size_t> CsvReader::Refill() {
  assert(begin_ <= end_ && end_ <= buf_.size());
  size_t shift = begin_;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    // One record fills the whole buffer: grow, within the limit.
    if (buf_.size() >= options_.max_record_bytes) {
      return Status::InvalidArgument(path_ + " line " + std::to_string(line_) +
                                     ": a record is longer than " +
                                     std::to_string(options_.max_record_bytes >> 20) +
                                     " MiB (unterminated quote?)");
    }
    buf_.resize(std::min(buf_.size() * 2, options_.max_record_bytes));
  }
  ssize_t n;
  if (read_) {
    n = static_cast<ssize_t>(read_(buf_.data() + end_, buf_.size() - end_));
    if (n < 0 || static_cast<size_t>(n) > buf_.size() - end_)
      return Status::IOError("read of \"" + path_ + "\" failed");
  } else {
    do {
      n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    } while (n < 0 && errno == EINTR);
  }
  if (n < 0) return Status::IOError("read of \"" + path_ + "\" failed: " + std::strerror(errno));
  if (n == 0) eof_ = true;
  end_ += static_cast<size_t>(n);
  bytes_read_.fetch_add(n, std::memory_order_relaxed);
  return shift;
}

Result<CsvReader::ScanState> CsvReader::ScanRecord(size_t from, int64_t line, RecordInfo* info) {
  const char* b = buf_.data();
  const char delim = options_.delimiter;
  const char quote = options_.quote;
  size_t pos = from;
  int64_t lines = 0;
  field_count_ = 0;

  // Blank lines between records are skipped, as DuckDB does.
  for (;;) {
    if (pos >= end_) return eof_ ? ScanState::kEnd : ScanState::kNeedMore;
    if (b[pos] == '\n') {
      ++pos;
      ++lines;
    } else if (b[pos] == '\r') {
      if (pos + 1 >= end_ && !eof_) return ScanState::kNeedMore;
      ++pos;
      if (pos < end_ && b[pos] == '\n') ++pos;
      ++lines;
    } else {
      break;
    }
  }
  info->line = line + lines;

  for (;;) {
    if (pos < end_ && b[pos] == quote) {
      size_t start = ++pos;
      bool escapes = false;
      for (;;) {
        if (pos >= end_) {
          if (!eof_) return ScanState::kNeedMore;
          return Status::InvalidArgument(path_ + " line " + std::to_string(info->line) +
                                         ", column " + std::to_string(field_count_ + 1) +
                                         ": unterminated quoted field");
        }
        char c = b[pos];
        if (c == quote) {
          if (pos + 1 >= end_ && !eof_) return ScanState::kNeedMore;
          if (pos + 1 < end_ && b[pos + 1] == quote) {
            escapes = true;
            pos += 2;
            continue;
          }
          break;
        }
        if (c == '\n') ++lines;
        ++pos;
      }
      AddField(FieldSpan{start, pos - start, true, escapes});
      ++pos;  // closing quote
      if (pos < end_ && b[pos] != delim && b[pos] != '\n' && b[pos] != '\r') {
        return Status::InvalidArgument(
            path_ + " line " + std::to_string(line + lines) + ", column " +
            std::to_string(field_count_) + ": unexpected character " +
            Quoted(std::string_view(b + pos, 1)) +
            " after a closing quote (a quote inside a quoted field is written \"\")");
      }
    } else {
      size_t start = pos;
      const bool* stop = field_end_;
      while (pos < end_ && !stop[static_cast<unsigned char>(b[pos])]) ++pos;
      if (pos >= end_ && !eof_) return ScanState::kNeedMore;
      AddField(FieldSpan{start, pos - start, false, false});
    }
    if (pos >= end_) break;  // last record without a line end
    char c = b[pos];
    if (c == delim) {
      if (field_count_ >= options_.max_columns) {
        return Status::InvalidArgument(path_ + " line " + std::to_string(info->line) +
                                       ": more than " + std::to_string(options_.max_columns) +
                                       " columns (the most a CSV file may have)");
      }
      ++pos;
      continue;
    }
    if (c == '\r') {
      if (pos + 1 >= end_ && !eof_) return ScanState::kNeedMore;
      ++pos;
      if (pos < end_ && b[pos] == '\n') ++pos;
    } else {
      ++pos;  // '\n'
    }
    ++lines;
    break;
  }
  info->next = pos;
  info->lines = lines;
  return ScanState::kRecord;
}

Result<CsvReader::ScanState> CsvReader::NextRecord(RecordInfo* info) {
  for (;;) {
    ASSIGN_OR_RETURN(ScanState state, ScanRecord(begin_, line_, info));
    if (state == ScanState::kNeedMore) {
      RETURN_IF_ERROR(Refill().status());
      continue;
    }
    if (state == ScanState::kRecord) {
      begin_ = info->next;
      line_ += info->lines;
      if (unescaped_.size() < field_count_) unescaped_.resize(field_count_);
    }
    return state;
  }
}

std::string_view CsvReader::FieldText(size_t i) {
  const FieldSpan& f = fields_[i];
  std::string_view raw(buf_.data() + f.begin, f.size);
  if (!f.has_escapes) return raw;
  std::string& s = unescaped_[i];
  s.clear();
  for (size_t k = 0; k < raw.size(); ++k) {
    s += raw[k];
    if (raw[k] == options_.quote) ++k;  // "" -> "
  }
  return s;
}

Status CsvReader::ReadHeader() {
  // Skip a UTF-8 byte order mark.
  while (end_ < 3 && !eof_) RETURN_IF_ERROR(Refill().status());
  if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;
  if (!options_.header) return Status::OK();
  RecordInfo info;
  ASSIGN_OR_RETURN(ScanState state, NextRecord(&info));
  if (state == ScanState::kEnd) return Status::OK();
  for (size_t i = 0; i < field_count_; ++i) {
    // Header names become column names in the log's JSON: UTF-8 only.
    if (!IsValidUtf8(FieldText(i)))
      return Status::InvalidArgument(path_ + " line " + std::to_string(info.line) +
                                     ", header field " + std::to_string(i + 1) + ": " +
                                     DescribeInvalidUtf8(FieldText(i)) +
                                     " (the file must be UTF-8; convert it, e.g. with iconv)");
    header_.emplace_back(FieldText(i));
  }
  return Status::OK();
}

Status CsvReader::BuildTargetMapping() {
  const Schema& target = *options_.target_schema;
  schema_ = target;
  source_field_.assign(target.size(), -1);
  // Map by name only when every header name is a distinct schema column;
  // a header of other names (or none) maps by position.
  bool by_name = !header_.empty();
  std::vector<int> by_name_map(target.size(), -1);
  for (size_t i = 0; by_name && i < header_.size(); ++i) {
    int idx = target.FindField(header_[i]);
    if (idx < 0 || by_name_map[idx] >= 0) {
      by_name = false;
    } else {
      by_name_map[idx] = static_cast<int>(i);
    }
  }
  if (by_name) {
    source_field_ = by_name_map;
    file_columns_ = header_.size();
    return Status::OK();
  }
  if (!header_.empty() && header_.size() != target.size()) {
    return Status::InvalidArgument(path_ + " line 1: the header has " +
                                   std::to_string(header_.size()) + " columns but the table has " +
                                   std::to_string(target.size()));
  }
  for (size_t i = 0; i < target.size(); ++i) source_field_[i] = static_cast<int>(i);
  file_columns_ = target.size();
  return Status::OK();
}

Status CsvReader::InferSchema() {
  inferred_ = true;
  std::vector<TypeCandidates> candidates(header_.size());
  size_t columns = header_.size();
  // Scan the sample without consuming it: `pos` and `line` shadow begin_
  // and line_, and are rebased when a refill moves the buffer.
  size_t pos = begin_;
  int64_t line = line_;
  size_t sampled = 0;
  while (sampled < options_.sample_rows) {
    RecordInfo info;
    ASSIGN_OR_RETURN(ScanState state, ScanRecord(pos, line, &info));
    if (state == ScanState::kEnd) break;
    if (state == ScanState::kNeedMore) {
      // Growing the buffer for a bigger sample would break constant memory;
      // a sample of what one block holds is enough once it has a row.
      if (sampled > 0 && end_ - begin_ >= options_.block_size) break;
      size_t consumed_in_sample = pos - begin_;
      RETURN_IF_ERROR(Refill().status());
      pos = begin_ + consumed_in_sample;
      continue;
    }
    if (columns == 0) {
      columns = field_count_;
      candidates.resize(columns);
    }
    if (field_count_ != columns) {
      return Status::InvalidArgument(path_ + " line " + std::to_string(info.line) + ": expected " +
                                     std::to_string(columns) + " columns but found " +
                                     std::to_string(field_count_));
    }
    if (unescaped_.size() < field_count_) unescaped_.resize(field_count_);
    for (size_t i = 0; i < columns; ++i) {
      if (fields_[i].size == 0) continue;  // NULL or "": no type information
      candidates[i].Observe(FieldText(i));
    }
    pos = info.next;
    line += info.lines;
    ++sampled;
  }
  if (columns == 0) {
    return Status::InvalidArgument(path_ + " is empty: cannot infer its columns");
  }
  std::unordered_set<std::string> used;
  for (size_t i = 0; i < columns; ++i) {
    std::string name = i < header_.size() && !header_[i].empty() ? header_[i]
                                                                 : "column" + std::to_string(i);
    // Duplicate names get a suffix, as DuckDB does ("v", "v_1").
    std::string unique = name;
    for (int k = 1; used.count(ToLower(unique)); ++k) unique = name + "_" + std::to_string(k);
    used.insert(ToLower(unique));
    schema_.fields.push_back(Field{unique, candidates[i].Best()});
    source_field_.push_back(static_cast<int>(i));
  }
  file_columns_ = columns;
  return Status::OK();
}

std::string CsvReader::ColumnName(size_t field) const {
  if (field < header_.size()) return header_[field];
  for (size_t c = 0; c < source_field_.size(); ++c) {
    if (source_field_[c] == static_cast<int>(field)) return schema_.fields[c].name;
  }
  return "column" + std::to_string(field);
}

Status CsvReader::ValueError(const RecordInfo& info, size_t field, std::string_view text,
                             TypeId type) const {
  std::string msg = path_ + " line " + std::to_string(info.line) + ", column " +
                    std::to_string(field + 1) + " (\"" + ColumnName(field) + "\"): " +
                    Quoted(text) + " is not " +
                    (TypeName(type).front() == 'I' ? "an " : "a ") + std::string(TypeName(type));
  if (inferred_) {
    msg += " (the type was inferred from the first rows; load into a table with an explicit "
           "schema to choose it)";
  }
  return Status::InvalidArgument(std::move(msg));
}

Status CsvReader::AppendRecord(const RecordInfo& info, DataChunk* out) {
  if (field_count_ != file_columns_) {
    return Status::InvalidArgument(path_ + " line " + std::to_string(info.line) + ": expected " +
                                   std::to_string(file_columns_) + " columns but found " +
                                   std::to_string(field_count_));
  }
  // Columns that can fail to convert first, dictionary columns (which
  // cannot) after them: a rejected record then leaves no value in a
  // chunk dictionary (RejectRecord only has to cut the columns back).
  for (size_t c = 0; c < source_field_.size(); ++c) {
    ColumnVector& col = out->columns[c];
    int f = source_field_[c];
    if (col.dictionary_form) continue;
    if (f < 0) {
      col.AppendNull();
      continue;
    }
    const FieldSpan& span = fields_[f];
    if (span.size == 0 &&
        (!span.quoted || options_.allow_quoted_nulls || col.type != TypeId::kVarchar)) {
      col.AppendNull();
      continue;
    }
    std::string_view text = FieldText(f);
    if (col.type == TypeId::kVarchar && !IsValidUtf8(text)) return Utf8Error(info, f, text);
    if (!AppendParsedValue(text, col.type, &col)) return ValueError(info, f, text, col.type);
  }
  for (size_t c = 0; c < source_field_.size(); ++c) {
    ColumnVector& col = out->columns[c];
    if (!col.dictionary_form) continue;
    int f = source_field_[c];
    const bool null = f < 0 || (fields_[f].size == 0 && (!fields_[f].quoted || options_.allow_quoted_nulls));
    const uint32_t code = null ? 0 : DictCode(dicts_[c], FieldText(f), &col);
    if (code == kNoId) {
      // Not UTF-8: take back this record's codes in the dictionary columns
      // before it, so a rejected record leaves none of its values behind.
      for (size_t k = 0; k < c; ++k) {
        ColumnVector& done = out->columns[k];
        if (!done.dictionary_form) continue;
        done.codes.pop_back();
        done.valid.pop_back();
      }
      return Utf8Error(info, static_cast<size_t>(f), FieldText(f));
    }
    col.codes.push_back(code);
    col.valid.push_back(null ? 0 : 1);
  }
  return Status::OK();
}

Status CsvReader::Utf8Error(const RecordInfo& info, size_t field, std::string_view text) const {
  return Status::InvalidArgument(path_ + " line " + std::to_string(info.line) + ", column " +
                                 std::to_string(field + 1) + " (\"" + ColumnName(field) +
                                 "\"): " + DescribeInvalidUtf8(text) +
                                 " (VARCHAR must be UTF-8; convert the file, e.g. with iconv)");
}

uint32_t CsvReader::DictCode(StringDict& d, std::string_view text, ColumnVector* col) {
  uint32_t id = kNoId;
  if (d.last != kNoId) {
    const uint32_t guess = d.successor[d.last];
    if (guess != kNoId && d.values[guess] == text) id = guess;
  }
  if (id == kNoId) {
    auto it = d.ids.find(text);
    if (it != d.ids.end()) {
      id = it->second;
    } else {
      // A new distinct value: the only place a dictionary string is checked.
      if (!IsValidUtf8(text)) return kNoId;
      id = static_cast<uint32_t>(d.values.size());
      d.values.emplace_back(text);
      d.ids.emplace(d.values.back(), id);
      d.successor.push_back(kNoId);
      d.local.push_back(kNoId);
    }
    if (d.last != kNoId) d.successor[d.last] = id;
  }
  d.last = id;
  uint32_t& code = d.local[id];
  if (code == kNoId) {
    code = static_cast<uint32_t>(col->dictionary.size());
    col->dictionary.push_back(d.values[id]);
    d.touched.push_back(id);
  }
  return code;
}

void CsvReader::StartChunk(DataChunk* out, size_t rows) {
  out->columns.resize(schema_.size());
  for (size_t c = 0; c < schema_.size(); ++c) {
    ColumnVector& col = out->columns[c];
    col = ColumnVector(schema_.fields[c].type);
    StringDict& d = dicts_[c];
    if (d.active && d.values.size() > kMaxDictionary) {
      d = StringDict();  // too many distinct values: strings from now on
    }
    if (!d.active) {
      col.Reserve(rows);
      continue;
    }
    for (uint32_t id : d.touched) d.local[id] = kNoId;
    d.touched.clear();
    col.dictionary_form = true;
    col.valid.reserve(rows);
    col.codes.reserve(rows);
  }
}

void CsvReader::RejectRecord(const RecordInfo& info, const Status& error, size_t rows,
                             DataChunk* out) {
  // Dictionary columns were not reached (AppendRecord fills them last).
  for (ColumnVector& col : out->columns) {
    if (!col.dictionary_form && col.size() > rows) col.Resize(rows);
  }
  RejectedRow r;
  r.source = path_;
  r.line = info.line;
  // The record's bytes: from its first field to the end of its last (a
  // quoted field's quotes included).
  if (field_count_ > 0) {
    const FieldSpan& first = fields_[0];
    const FieldSpan& last = fields_[field_count_ - 1];
    const size_t begin = first.begin - (first.quoted && first.begin > 0 ? 1 : 0);
    const size_t end = std::min(last.begin + last.size + (last.quoted ? 1 : 0), end_);
    if (end > begin) r.raw.assign(buf_.data() + begin, std::min(end - begin, kMaxRejectRawBytes));
  }
  // The message names file and line already; the reject has them as columns.
  std::string reason = error.message();
  const std::string where = path_ + " line " + std::to_string(info.line);
  if (reason.compare(0, where.size(), where) == 0) {
    reason.erase(0, where.size());
    if (reason.compare(0, 2, ", ") == 0 || reason.compare(0, 2, ": ") == 0) reason.erase(0, 2);
  }
  r.reason = std::move(reason);
  rejects_.push_back(std::move(r));
  ++rejected_count_;
}

Result<bool> CsvReader::Next(DataChunk* out) {
  const size_t rows = CsvChunkRows(
      schema_.size(), options_.dictionary_strings ? options_.dictionary_chunk_rows : kVectorSize);
  StartChunk(out, rows);
  while (out->size() < rows) {
    RecordInfo info;
    ASSIGN_OR_RETURN(ScanState state, NextRecord(&info));
    if (state == ScanState::kEnd) break;
    const size_t before = out->size();
    Status appended = AppendRecord(info, out);
    if (appended.ok()) continue;
    // Only a record that does not fit is a reject; an I/O error stays one.
    if (!options_.reject_bad_rows || appended.code() != StatusCode::kInvalidArgument)
      return appended;
    RejectRecord(info, appended, before, out);
  }
  return out->size() > 0;
}

}  // namespace tsl
