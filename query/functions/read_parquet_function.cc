// read_parquet(). See read_parquet_function.h.
#include "query/functions/read_parquet_function.h"

#include <fnmatch.h>

#include <algorithm>

#include "formats/parquet_reader.h"
#include "storage/env.h"

namespace tsl::query {
namespace {

bool HasGlob(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

std::vector<std::string> SplitPath(const std::string& p) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string::npos) slash = p.size();
    parts.push_back(p.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// How many directories deep a `**` descends (a symlink loop ends here).
constexpr int kMaxRecursiveGlobDepth = 64;

void Expand(Env* env, const std::string& base, const std::vector<std::string>& parts, size_t i,
            std::vector<std::string>* out, int depth = 0) {
  if (i == parts.size()) {
    if (env->FileExists(base) && !env->IsDirectory(base)) out->push_back(base);
    return;
  }
  const std::string& part = parts[i];
  auto join = [&](const std::string& name) {
    if (base.empty()) return name;
    if (base == "/") return "/" + name;
    return base + "/" + name;
  };
  if (!HasGlob(part)) {
    Expand(env, i == 0 && part.empty() ? "/" : join(part), parts, i + 1, out);
    return;
  }
  if (part == "**") {
    // DuckDB's recursive glob: zero or more directories (not hidden ones).
    Expand(env, base, parts, i + 1, out, depth);
    if (depth >= kMaxRecursiveGlobDepth) return;
    Result<std::vector<std::string>> dirs = env->GetChildren(base.empty() ? "." : base);
    if (!dirs.ok()) return;
    for (const std::string& c : *dirs) {
      if (c.empty() || c[0] == '.' || !env->IsDirectory(join(c))) continue;
      Expand(env, join(c), parts, i, out, depth + 1);
    }
    return;
  }
  Result<std::vector<std::string>> children = env->GetChildren(base.empty() ? "." : base);
  if (!children.ok()) return;
  for (const std::string& c : *children) {
    if (c.empty() || c[0] == '.') continue;
    if (fnmatch(part.c_str(), c.c_str(), 0) == 0) Expand(env, join(c), parts, i + 1, out);
  }
}

void Walk(Env* env, const std::string& dir, std::vector<std::string>* out) {
  Result<std::vector<std::string>> children = env->GetChildren(dir);
  if (!children.ok()) return;
  for (const std::string& c : *children) {
    if (c.empty() || c[0] == '.' || c[0] == '_') continue;
    const std::string path = JoinPath(dir, c);
    if (env->IsDirectory(path)) {
      Walk(env, path, out);
    } else if (c.size() > 8 && c.compare(c.size() - 8, 8, ".parquet") == 0) {
      out->push_back(path);
    }
  }
}

// Reads the files one after another; each must have the first's schema.
class MultiParquetSource final : public ChunkSource {
 public:
  MultiParquetSource(std::vector<std::string> files, bool filename)
      : files_(std::move(files)), filename_(filename) {}

  Status Init() {
    RETURN_IF_ERROR(OpenFile(0));
    schema_ = current_->schema();
    if (filename_) schema_.fields.push_back({"filename", TypeId::kVarchar});
    return Status::OK();
  }
  const Schema& schema() const override { return schema_; }

  Result<bool> Next(DataChunk* out) override {
    while (true) {
      if (!current_) {
        if (next_ >= files_.size()) return false;
        RETURN_IF_ERROR(OpenFile(next_));
      }
      DataChunk chunk;
      ASSIGN_OR_RETURN(bool more, current_->Next(&chunk));
      if (!more) {
        current_.reset();
        continue;
      }
      if (filename_) {
        ColumnVector names(TypeId::kVarchar);
        for (size_t r = 0; r < chunk.size(); ++r) names.AppendString(files_[next_ - 1]);
        chunk.columns.push_back(std::move(names));
      }
      *out = std::move(chunk);
      return true;
    }
  }

 private:
  Status OpenFile(size_t i) {
    Env* env = Env::Default();
    ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, env->NewRandomAccessFile(files_[i]));
    ASSIGN_OR_RETURN(current_, ParquetReader::Open(std::move(file)));
    if (i > 0) {
      const Schema& first = first_schema_;
      if (!(current_->schema() == first)) {
        std::string a, b;
        for (const Field& f : first.fields)
          a += (a.empty() ? "" : ", ") + f.name + " " + std::string(TypeName(f.type));
        for (const Field& f : current_->schema().fields)
          b += (b.empty() ? "" : ", ") + f.name + " " + std::string(TypeName(f.type));
        return Status::InvalidArgument("read_parquet: " + files_[i] + " has columns (" + b +
                                       ") but " + files_[0] + " has (" + a +
                                       "); read them separately");
      }
    } else {
      first_schema_ = current_->schema();
    }
    next_ = i + 1;
    return Status::OK();
  }

  std::vector<std::string> files_;
  bool filename_;
  Schema schema_;
  Schema first_schema_;
  std::unique_ptr<ParquetReader> current_;
  size_t next_ = 0;
};

// COPY t FROM 'x.parquet': the file's columns matched to the table's by
// name (case-insensitive); table columns the file lacks read as NULL. A
// file sharing no name with the table is taken by position.
class ByNameSource final : public ChunkSource {
 public:
  ByNameSource(std::unique_ptr<ChunkSource> inner, Schema target)
      : inner_(std::move(inner)), schema_(std::move(target)) {
    bool any = false;
    for (const Field& f : schema_.fields) {
      const int i = inner_->schema().FindField(f.name);
      map_.push_back(i);
      any |= i >= 0;
    }
    if (!any && inner_->schema().size() == schema_.size())
      for (size_t i = 0; i < map_.size(); ++i) map_[i] = static_cast<int>(i);
    for (size_t i = 0; i < map_.size(); ++i)
      if (map_[i] >= 0)
        schema_.fields[i].type = inner_->schema().fields[static_cast<size_t>(map_[i])].type;
  }
  const Schema& schema() const override { return schema_; }
  Result<bool> Next(DataChunk* out) override {
    DataChunk in;
    ASSIGN_OR_RETURN(bool more, inner_->Next(&in));
    if (!more) return false;
    const size_t rows = in.size();  // before any column is moved out of `in`
    DataChunk mapped;
    for (size_t i = 0; i < map_.size(); ++i) {
      if (map_[i] >= 0) {
        mapped.columns.push_back(std::move(in.columns[static_cast<size_t>(map_[i])]));
      } else {
        ColumnVector nulls(schema_.fields[i].type);
        nulls.Resize(rows);
        mapped.columns.push_back(std::move(nulls));
      }
    }
    *out = std::move(mapped);
    return true;
  }

 private:
  std::unique_ptr<ChunkSource> inner_;
  Schema schema_;
  std::vector<int> map_;
};

}  // namespace

Result<std::vector<std::string>> ExpandParquetPaths(const std::string& pattern) {
  Env* env = Env::Default();
  std::vector<std::string> files;
  if (HasGlob(pattern)) {
    Expand(env, "", SplitPath(pattern), 0, &files);
  } else if (env->IsDirectory(pattern)) {
    Walk(env, pattern, &files);
  } else if (env->FileExists(pattern)) {
    files.push_back(pattern);
  } else {
    return Status::NotFound("read_parquet: no such file: " + pattern);
  }
  if (files.empty()) return Status::NotFound("read_parquet: no Parquet file matches " + pattern);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());  // a/**/**/x finds one twice
  return files;
}

Result<std::unique_ptr<ChunkSource>> MakeReadParquet(const TableFunctionArgs& args) {
  if (args.positional.size() != 1 || args.positional[0].is_null() ||
      args.positional[0].type() != TypeId::kVarchar)
    return Status::InvalidArgument(
        "read_parquet expects one path or glob string: read_parquet('data/*.parquet')");
  bool filename = false;
  for (const auto& [name, v] : args.named) {
    if (name == "filename") {
      Result<Value> b = v.CastTo(TypeId::kBoolean);
      if (!b.ok() || b->is_null())
        return Status::InvalidArgument("read_parquet: filename takes true or false");
      filename = b->bool_value();
    } else if (name == "format" && !v.is_null() && ToLower(v.ToString()) == "parquet") {
      // COPY t FROM 'x.parquet' (FORMAT parquet)
    } else {
      return Status::InvalidArgument("read_parquet: unknown option \"" + name +
                                     "\" (known: filename)");
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::string> files,
                   ExpandParquetPaths(args.positional[0].string_value()));
  auto source = std::make_unique<MultiParquetSource>(std::move(files), filename);
  RETURN_IF_ERROR(source->Init());
  if (args.target_schema)
    return std::unique_ptr<ChunkSource>(new ByNameSource(std::move(source), *args.target_schema));
  return std::unique_ptr<ChunkSource>(std::move(source));
}

}  // namespace tsl::query
