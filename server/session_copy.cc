// COPY ... FROM STDIN and COPY ... TO STDOUT of a Session, in text, CSV
// or binary format (copy_format.h; binary values by pg_types.h). FROM STDIN
// in CSV or text (rewritten to CSV) streams the CopyData bytes into the
// engine's CSV reader (Appender::AppendCsv: column batches, no value per
// row); binary, or a column list or NULL/ESCAPE option the reader lacks,
// parses rows here (CopyRowParser) and appends them a value at a time.
// Either way it appends through one Appender and flushes once at CopyDone, so a COPY is
// one table version; a bad row, CopyFail, or a client that disappears
// discards every row of the COPY (Appender::Discard), so nothing of it
// is committed.
// Thread-safety: the session's thread.
#include <cctype>
#include <cstring>

#include "server/copy_format.h"
#include "server/pg_types.h"
#include "server/server.h"
#include "server/session.h"
#include "server/sql_rewrite.h"
#include "server/sqlstate.h"

namespace tslake::server {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void CopyResponse(MessageWriter* out, char type, int columns, bool binary) {
  out->Begin(type);
  out->Byte(binary ? 1 : 0);
  out->Int16(static_cast<int16_t>(columns));
  for (int i = 0; i < columns; ++i) out->Int16(binary ? 1 : 0);
  out->End();
}

}  // namespace

bool Session::RunCopyFrom(const std::string& sql) {
  CopyStatement copy;
  std::string error;
  ParseCopyStatement(sql, &copy, &error);
  Status status;
  std::unique_ptr<Appender> appender = Appender::Open(server_->database(), copy.table, {}, &status);
  if (!appender) {
    SendError(status.code() == ErrorCode::kNotFound ? sqlstate::kUndefinedTable
                                                      : SqlStateFor(status.code(), status.message()),
              status.code() == ErrorCode::kNotFound
                  ? "relation \"" + copy.table + "\" does not exist"
                  : status.message());
    return false;
  }
  // Table column of each COPY field.
  const std::vector<ColumnInfo>& columns = appender->columns();
  std::vector<int> target;
  if (copy.columns.empty()) {
    for (size_t i = 0; i < columns.size(); ++i) target.push_back(static_cast<int>(i));
  } else {
    for (const std::string& name : copy.columns) {
      int found = -1;
      for (size_t i = 0; i < columns.size(); ++i)
        if (Lower(columns[i].name) == Lower(name)) found = static_cast<int>(i);
      if (found < 0) {
        SendError(sqlstate::kUndefinedColumn,
                  "column \"" + name + "\" of relation \"" + copy.table + "\" does not exist");
        return false;
      }
      target.push_back(found);
    }
  }
  CopyResponse(&out_, 'G', static_cast<int>(target.size()), copy.binary);
  if (!Flush()) return false;
  bool all_in_order = true;
  for (size_t i = 0; i < target.size(); ++i) all_in_order = all_in_order && target[i] == static_cast<int>(i);
  const bool csv_path = copy.csv ? copy.null_string.empty() && copy.escape == copy.quote
                                  : !copy.binary && copy.null_string == "\\N" && copy.delimiter != '"';
  if (csv_path && all_in_order && target.size() == columns.size())
    return RunCopyFromCsv(copy, appender.get());

  int64_t rows = 0;
  std::string row_error;
  std::vector<const std::optional<std::string>*> by_column(columns.size());
  auto on_row = [&](CopyRow& row) -> bool {
    if (row.size() != target.size()) {
      row_error = row.size() < target.size() ? "missing data for column \"" +
                                                   columns[static_cast<size_t>(target[row.size()])].name + "\""
                                             : "extra data after last expected column";
      return false;
    }
    std::fill(by_column.begin(), by_column.end(), nullptr);
    for (size_t i = 0; i < row.size(); ++i) by_column[static_cast<size_t>(target[i])] = &row[i];
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::optional<std::string>* v = by_column[c];
      if (v == nullptr || !v->has_value()) {
        (void)appender->AppendNull();
      } else if (!copy.binary) {
        (void)appender->AppendString(**v);
      } else {
        Status st = AppendBinaryCopyValue(appender.get(), columns[c].type, **v);
        if (!st.ok()) {
          row_error = "column \"" + columns[c].name + "\": " + st.message();
          (void)appender->EndRow();  // drops the row begun
          return false;
        }
      }
    }
    Status st = appender->EndRow();
    if (!st.ok()) {
      row_error = st.message();
      return false;
    }
    ++rows;
    return true;
  };
  const size_t max_row = static_cast<size_t>(server_->options().max_message_bytes);
  CopyRowParser parser(copy, max_row);
  BinaryCopyParser binary_parser(max_row);
  auto fail = [&](const char* state, const std::string& message) {
    (void)appender->Discard();
    SendError(state, "COPY " + copy.table + ", " + (copy.binary ? "row " : "line ") +
                         std::to_string(copy.binary ? binary_parser.line() : parser.line()) + ": " + message);
    return false;
  };
  auto feed = [&](std::string_view data) {
    return copy.binary ? binary_parser.Feed(data, on_row, &error) : parser.Feed(data, on_row, &error);
  };
  auto finish = [&] { return copy.binary ? binary_parser.Finish(&error) : parser.Finish(on_row, &error); };
  while (true) {
    if (!ReadMessage()) {
      // The client is gone (or the server stops) mid-COPY: nothing of it
      // is committed.
      (void)appender->Discard();
      closing_ = true;
      return false;
    }
    switch (type_) {
      case 'd':
        if (!feed(body_))
          return fail(sqlstate::kInvalidText, row_error.empty() ? error : row_error);
        break;
      case 'c':
        if (!finish())
          return fail(sqlstate::kInvalidText, row_error.empty() ? error : row_error);
        return CommitCopy(appender.get(), rows);
      case 'f': {
        std::string reason;
        (void)DecodeString(body_, &reason);
        (void)appender->Discard();
        SendError(sqlstate::kQueryCanceled, "COPY from stdin failed: " + reason);
        return false;
      }
      case 'H':
      case 'S':
        break;  // ignored during COPY, as PostgreSQL does
      default:
        (void)appender->Discard();
        SendError(sqlstate::kProtocolViolation,
                  "unexpected message type " + std::to_string(static_cast<unsigned char>(type_)) +
                      " during COPY from stdin");
        return false;
    }
  }
}

bool Session::CommitCopy(Appender* appender, int64_t rows) {
  FlushInfo info;
  Status st;
  {
    WriteSlot slot(server_, true);  // the commit
    st = appender->Flush(&info);
  }
  if (!st.ok()) {
    (void)appender->Discard();
    SendError(SqlStateFor(st.code(), st.message()), st.message());
    return false;
  }
  Status closed = appender->Close();
  if (!closed.ok()) {
    SendError(SqlStateFor(closed.code(), closed.message()), closed.message());
    return false;
  }
  out_.CommandComplete("COPY " + std::to_string(rows));
  return true;
}

bool Session::RunCopyFromCsv(const CopyStatement& copy, Appender* appender) {
  // The CopyData bytes go to the engine's CSV reader as they arrive: it
  // pulls them a block at a time through `read`, which copies from the
  // message in hand and reads the next one when that is used up. A block
  // is filled before it is parsed (the COPY commits only at CopyDone, so
  // waiting for more bytes delays nothing visible).
  // The text format is rewritten to CSV message by message (TextToCsv).
  enum class End { kNone, kDone, kFailed, kGone, kUnexpected, kBadText };
  End end = End::kNone;
  std::string_view pending;  // bytes of the message in hand not yet handed over
  std::string reason;        // CopyFail's message; the text format's error
  std::string converted;     // a text-format message as CSV
  TextToCsv text(copy.delimiter);
  char unexpected = 0;
  auto read = [&](char* buffer, size_t capacity) -> int64_t {
    size_t filled = 0;
    while (filled < capacity) {
      if (!pending.empty()) {
        const size_t n = std::min(capacity - filled, pending.size());
        std::memcpy(buffer + filled, pending.data(), n);
        filled += n;
        pending.remove_prefix(n);
        continue;
      }
      if (end == End::kDone) break;
      if (end != End::kNone) return -1;
      if (!ReadMessage()) {
        end = End::kGone;
        return -1;
      }
      switch (type_) {
        case 'd':
          if (copy.csv) {
            pending = body_;
          } else {
            converted.clear();
            if (!text.Feed(body_, &converted, &reason)) {
              end = End::kBadText;
              return -1;
            }
            pending = converted;
          }
          break;
        case 'c':
          if (!copy.csv) {
            converted.clear();
            text.Finish(&converted);
            pending = converted;
          }
          end = End::kDone;
          break;
        case 'f':
          (void)DecodeString(body_, &reason);
          end = End::kFailed;
          return -1;
        case 'H':
        case 'S':
          break;  // ignored during COPY, as PostgreSQL does
        default:
          unexpected = type_;
          end = End::kUnexpected;
          return -1;
      }
    }
    return static_cast<int64_t>(filled);
  };
  Appender::CsvFormat format;
  format.header = copy.header;
  format.delimiter = copy.delimiter;
  format.quote = copy.quote;
  format.quoted_empty_is_null = false;  // PostgreSQL: "" is the empty string
  format.max_record_bytes = static_cast<size_t>(server_->options().max_message_bytes);
  int64_t rows = 0;
  Status st = appender->AppendCsv(read, format, &rows);
  if (st.ok()) return CommitCopy(appender, rows);
  (void)appender->Discard();  // nothing of a failed COPY is committed
  switch (end) {
    case End::kGone:
      // The client is gone (or the server stops) mid-COPY.
      closing_ = true;
      return false;
    case End::kFailed:
      SendError(sqlstate::kQueryCanceled, "COPY from stdin failed: " + reason);
      return false;
    case End::kBadText:
      SendError(sqlstate::kInvalidText, "COPY " + copy.table + ", " + reason);
      return false;
    case End::kUnexpected:
      SendError(sqlstate::kProtocolViolation,
                "unexpected message type " + std::to_string(static_cast<unsigned char>(unexpected)) +
                    " during COPY from stdin");
      return false;
    default:
      SendError(st.code() == ErrorCode::kInvalidArgument ? sqlstate::kInvalidText
                                                         : SqlStateFor(st.code(), st.message()),
                "COPY " + copy.table + ": " + st.message());
      return false;
  }
}

bool Session::RunCopyTo(const std::string& sql) {
  CopyStatement copy;
  std::string error;
  ParseCopyStatement(sql, &copy, &error);
  std::string query = copy.query;
  if (query.empty()) {
    std::string list;
    for (const std::string& c : copy.columns) list += (list.empty() ? "" : ", ") + QuoteIdentifier(c);
    query = "SELECT " + (list.empty() ? std::string("*") : list) + " FROM " + QuoteIdentifier(copy.table);
  }
  const std::string sql_to_run = Rewrite(query, false).sql;
  Result result = RunStatement(sql_to_run, [&] { return connection_->Query(sql_to_run); });
  if (!result.ok()) {
    SendResultError(result);
    return false;
  }
  const int n = result.column_count();
  CopyResponse(&out_, 'H', n, copy.binary);
  std::string line;
  if (copy.binary) {
    // The header in the first CopyData, then one row per message, then
    // the trailer (PostgreSQL's framing).
    BinaryCopyHeader(&line);
    std::string field;
    for (int64_t row = 0; row < result.row_count(); ++row) {
      line.push_back(static_cast<char>((n >> 8) & 0xff));
      line.push_back(static_cast<char>(n & 0xff));
      for (int c = 0; c < n; ++c) {
        if (result.IsNull(c, row)) {
          line.append("\xff\xff\xff\xff", 4);
          continue;
        }
        field.clear();
        EncodeBinary(result, c, row, &field);
        const uint32_t length = static_cast<uint32_t>(field.size());
        for (int shift = 24; shift >= 0; shift -= 8) line.push_back(static_cast<char>((length >> shift) & 0xff));
        line += field;
      }
      out_.Begin('d');
      out_.Bytes(line);
      out_.End();
      line.clear();
      if (out_.size() >= 64 * 1024 && !Flush()) return false;
    }
    BinaryCopyTrailer(&line);
    out_.Begin('d');
    out_.Bytes(line);
    out_.End();
    out_.Begin('c');
    out_.End();
    out_.CommandComplete("COPY " + std::to_string(result.row_count()));
    return true;
  }
  std::vector<std::optional<std::string>> values(static_cast<size_t>(n));
  if (copy.header) {
    for (int c = 0; c < n; ++c) values[static_cast<size_t>(c)] = result.column_name(c);
    EncodeCopyRow(copy, values, &line);
    out_.Begin('d');
    out_.Bytes(line);
    out_.End();
  }
  for (int64_t row = 0; row < result.row_count(); ++row) {
    for (int c = 0; c < n; ++c) {
      auto& v = values[static_cast<size_t>(c)];
      if (result.IsNull(c, row)) {
        v.reset();
      } else {
        v.emplace();
        EncodeText(result, c, row, &*v);
      }
    }
    line.clear();
    EncodeCopyRow(copy, values, &line);
    out_.Begin('d');
    out_.Bytes(line);
    out_.End();
    if (out_.size() >= 64 * 1024 && !Flush()) return false;
  }
  out_.Begin('c');
  out_.End();
  out_.CommandComplete("COPY " + std::to_string(result.row_count()));
  return true;
}

}  // namespace tslake::server
