// TableChecker: consistency check and catalog repair of a database
// directory (what is checked is listed in table_checker.h). Everything is
// read through the Env; the catalog is opened read-only (or, when a killed
// writer left a hot journal, a copy of it in /tmp is opened and rolled
// back), so a check never writes a byte in the database directory.
// Thread-safety: stateless functions.
#include "storage/table_checker.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <stdlib.h>

#include "formats/segment_reader.h"
#include "formats/segment_stats.h"
#include "storage/catalog.h"
#include "storage/checkpoint.h"
#include "storage/database.h"
#include "storage/snapshot.h"
#include "storage/table_scan.h"
#include "storage/transaction_log.h"

namespace tsl {
namespace {

constexpr const char* kCatalogFile = "catalog.sqlite";
constexpr std::string_view kDroppedPrefix = ".dropped-";
constexpr std::string_view kLogTempPrefix = ".tmp-";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Every regular file under `dir` (recursively), as paths relative to `dir`,
// skipping the relative paths in `skip_dirs`.
void ListFilesRecursively(Env* env, const std::string& dir, const std::string& rel,
                          const std::set<std::string>& skip_dirs, std::vector<std::string>* out) {
  Result<std::vector<std::string>> children = env->GetChildren(rel.empty() ? dir : JoinPath(dir, rel));
  if (!children.ok()) return;
  for (const std::string& c : *children) {
    std::string child_rel = rel.empty() ? c : rel + "/" + c;
    const std::string child_path = JoinPath(dir, child_rel);
    if (env->IsDirectory(child_path) && !env->IsSymlink(child_path)) {
      if (!skip_dirs.count(child_rel)) ListFilesRecursively(env, dir, child_rel, skip_dirs, out);
    } else {
      out->push_back(child_rel);
    }
  }
}

// The first component of `rel` (a path below `table_dir`, the file itself
// last) that is a symbolic link, or "" when none is (lstat each, as
// TableScan does before opening a file).
std::string SymlinkOnPath(Env* env, const std::string& table_dir, const std::string& rel) {
  size_t slash = rel.find('/');
  while (slash != std::string::npos) {
    if (env->IsSymlink(JoinPath(table_dir, rel.substr(0, slash)))) return rel.substr(0, slash);
    slash = rel.find('/', slash + 1);
  }
  return env->IsSymlink(JoinPath(table_dir, rel)) ? rel : std::string();
}

// Compares one column's statistics, as the add action (`log_stats`, keyed
// by physical name) and the segment footer (`footer`) record them, with
// `data`, the zone map of the decoded values. The log's min/max may be
// absent (bounds with no exact JSON form are left out) but never wrong.
void CheckColumnStats(const std::string& column, const FileStats& log_stats,
                      const ZoneMap& footer, const ZoneMap& data,
                      const std::function<void(const std::string&)>& log_problem,
                      const std::function<void(const std::string&)>& segment_problem) {
  auto show = [](const Value& v) { return v.is_null() ? std::string("NULL") : v.ToString(); };
  auto same = [](const Value& a, const Value& b) {
    return a.is_null() == b.is_null() && (a.is_null() || a.Compare(b) == 0);
  };
  if (auto it = log_stats.null_count.find(column);
      it != log_stats.null_count.end() && it->second != data.null_count)
    log_problem("statistics of column \"" + column + "\" say " + std::to_string(it->second) +
                " null values but the data holds " + std::to_string(data.null_count));
  // `data` holds bounds as a writer stores them (long VARCHAR bounds
  // truncated, formats/segment_stats.h); statistics written before that
  // hold exact long values, so both are compared after truncation.
  for (const auto& [values, what, actual] :
       {std::tuple{&log_stats.min_values, "min", &data.min},
        std::tuple{&log_stats.max_values, "max", &data.max}}) {
    auto it = values->find(column);
    if (it == values->end()) continue;
    ZoneMap logged;
    (what[1] == 'i' ? logged.min : logged.max) = it->second;
    logged = logged.Truncated();
    if (!same(what[1] == 'i' ? logged.min : logged.max, *actual))
      log_problem("statistics of column \"" + column + "\" say " + what + " " + show(it->second) +
                  " but the data's " + what + " is " + show(*actual) +
                  " (scans prune by these statistics, so queries would skip or keep the wrong "
                  "rows)");
  }
  const ZoneMap stored = footer.Truncated();
  if (footer.null_count != data.null_count || !same(stored.min, data.min) ||
      !same(stored.max, data.max))
    segment_problem("footer zone map of column \"" + column + "\" (min " + show(footer.min) +
                    ", max " + show(footer.max) + ", " + std::to_string(footer.null_count) +
                    " nulls) disagrees with the data (min " + show(data.min) + ", max " +
                    show(data.max) + ", " + std::to_string(data.null_count) + " nulls)");
}

// Reads every column of one live segment, which verifies the footer and
// every block checksum, and compares it with the add action naming it
// (written by `log_file`): size, row count, the footer's table and segment
// id, and the statistics per column (min, max, null count) of the add and
// of the footer against the decoded data. A file reached through a
// symbolic link is reported and not opened (SELECT refuses it too).
void CheckSegment(Env* env, const std::string& table_dir, const Snapshot& snap,
                  const AddAction& add, const std::string& log_file, CheckReport* report) {
  std::string path = JoinPath(table_dir, add.path);
  auto problem = [&](const std::string& what) { report->problems.push_back({path, what}); };
  if (std::string link = SymlinkOnPath(env, table_dir, add.path); !link.empty()) {
    problem((link == add.path ? std::string("is a symbolic link")
                              : "is reached through symbolic link " + JoinPath(table_dir, link)) +
            "; tslake never creates links in a table, so check does not follow it and SELECT "
            "refuses the file (replace the link with the file it points to)");
    return;
  }
  if (!env->FileExists(path)) {
    problem("segment named by the log is missing");
    return;
  }
  Result<uint64_t> size = env->GetFileSize(path);
  if (!size.ok()) {
    problem(size.status().ToString());
    return;
  }
  if (add.size > 0 && static_cast<int64_t>(*size) != add.size)
    problem("size is " + std::to_string(*size) + " bytes but the log recorded " +
            std::to_string(add.size));
  Result<std::unique_ptr<RandomAccessFile>> file = env->NewRandomAccessFile(path);
  if (!file.ok()) {
    problem(file.status().ToString());
    return;
  }
  Result<std::unique_ptr<SegmentReader>> reader = SegmentReader::Open(file->get());
  if (!reader.ok()) {
    problem(reader.status().ToString());
    return;
  }
  ++report->segments_checked;
  Status identity = TableScan::CheckIdentity(**reader, add, snap.metadata().id, path);
  if (!identity.ok()) {
    report->problems.push_back({path, identity.message()});
    return;  // another file's data: its statistics say nothing about this add
  }
  if (add.stats.num_records >= 0 && (*reader)->row_count() != add.stats.num_records)
    problem("holds " + std::to_string((*reader)->row_count()) + " rows but the log recorded " +
            std::to_string(add.stats.num_records));
  auto log_problem = [&](const std::string& what) {
    report->problems.push_back({log_file, "add \"" + add.path + "\": " + what});
  };
  ColumnVector column;
  const Schema& schema = (*reader)->schema();
  for (size_t i = 0; i < schema.size(); ++i) {
    Status st = (*reader)->ReadColumn(static_cast<int>(i), &column);
    if (!st.ok()) {
      problem(st.ToString());
      return;
    }
    ZoneMap data;
    data.Update(column);
    CheckColumnStats(schema.fields[i].name, add.stats, (*reader)->stats().columns[i], data,
                     log_problem, problem);
  }
  report->bytes_verified += static_cast<int64_t>(*size);
}

// A checkpoint must hold exactly the state replaying the JSON versions up
// to its version gives: same live files (path, size, rows), schema,
// protocol and app versions.
void CheckCheckpoint(Env* env, const std::string& log_dir, const Snapshot& replayed,
                     CheckReport* report) {
  std::string path = JoinPath(log_dir, Checkpoint::FileName(replayed.version()));
  Result<std::shared_ptr<const Snapshot>> cp = Checkpoint::Read(env, log_dir, replayed.version());
  if (!cp.ok()) {  // readers skip it too
    report->problems.push_back({path, cp.status().ToString()});
    return;
  }
  bool disagrees = false;  // readers would trust it
  auto problem = [&](const std::string& what) {
    report->problems.push_back({path, what + " (tslake repair moves it aside)"});
    if (!disagrees) report->untrusted_checkpoints.push_back(path);
    disagrees = true;
  };
  ++report->checkpoints_checked;
  const Snapshot& c = **cp;
  if (c.version() != replayed.version())
    problem("holds version " + std::to_string(c.version()) + ", its name says " +
            std::to_string(replayed.version()));
  std::map<std::string, std::pair<int64_t, int64_t>> a, b;
  for (const AddAction& f : c.files()) a[f.path] = {f.size, f.stats.num_records};
  for (const AddAction& f : replayed.files()) b[f.path] = {f.size, f.stats.num_records};
  if (a != b)
    problem("lists " + std::to_string(a.size()) + " live files but replaying the log gives " +
            std::to_string(b.size()) + " (or their sizes or row counts differ)");
  bool same_schema = c.schema().size() == replayed.schema().size();
  for (size_t i = 0; same_schema && i < c.schema().size(); ++i)
    same_schema = c.schema().fields[i].name == replayed.schema().fields[i].name &&
                  c.schema().fields[i].type == replayed.schema().fields[i].type;
  if (!same_schema) problem("schema differs from the log's at that version");
  if (c.protocol().min_reader_version != replayed.protocol().min_reader_version ||
      c.protocol().min_writer_version != replayed.protocol().min_writer_version)
    problem("protocol differs from the log's at that version");
  if (c.app_versions() != replayed.app_versions())
    problem("app transaction versions differ from the log's at that version");
}

// Checks the table's catalog row and segment rows against its snapshot.
void CheckCatalogTable(const Catalog& catalog, const std::string& catalog_path,
                       const Catalog::TableEntry& entry, const Snapshot& snap,
                       CheckReport* report) {
  std::string where = catalog_path + " (table \"" + entry.name + "\")";
  auto problem = [&](const std::string& what) { report->problems.push_back({where, what}); };
  auto warning = [&](const std::string& what) { report->warnings.push_back({where, what}); };
  if (entry.latest_version > snap.version()) {
    problem("records version " + std::to_string(entry.latest_version) +
            " but the log ends at " + std::to_string(snap.version()) +
            " (a log version was lost?)");
    return;
  }
  if (entry.latest_version < snap.version()) {
    warning("is at version " + std::to_string(entry.latest_version) + ", behind the log's " +
            std::to_string(snap.version()) + "; the next writable open or tslake repair updates it");
    return;  // its segments are those of its own, older version
  }
  if (entry.stale) warning("is marked stale (an update failed); the next writable open re-syncs it");
  Result<std::vector<Catalog::SegmentEntry>> segments = catalog.ListSegments(entry.name);
  if (!segments.ok()) {
    problem(segments.status().ToString());
    return;
  }
  std::map<std::string, const AddAction*> live;
  for (const AddAction& a : snap.files()) live[a.path] = &a;
  std::set<std::string> seen;
  for (const Catalog::SegmentEntry& s : *segments) {
    seen.insert(s.path);
    auto it = live.find(s.path);
    if (it == live.end()) {
      problem("lists segment " + s.path + " which is not live in the log");
    } else if (s.bytes != it->second->size ||
               (it->second->stats.num_records >= 0 && s.rows != it->second->stats.num_records)) {
      problem("segment " + s.path + " has " + std::to_string(s.rows) + " rows / " +
              std::to_string(s.bytes) + " bytes but the log says " +
              std::to_string(it->second->stats.num_records) + " / " +
              std::to_string(it->second->size));
    }
  }
  for (const auto& [path, add] : live)
    if (!seen.count(path)) problem("is missing live segment " + path);
}

// Copies the catalog and its journal (or WAL) into a fresh temporary
// directory; returns the copy's catalog path.
Result<std::string> CopyCatalogAside(Env* env, const std::string& catalog_path) {
  std::string tmpl = "/tmp/tslake-check-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr)
    return Status::IOError("cannot create a temporary directory to check the catalog");
  std::string copy = JoinPath(tmpl, "catalog.sqlite");
  for (const char* suffix : {"", "-journal", "-wal"}) {
    std::string from = catalog_path + suffix;
    if (!env->FileExists(from)) continue;
    ASSIGN_OR_RETURN(std::string bytes, env->ReadFileToString(from));
    RETURN_IF_ERROR(WriteFileSync(env, copy + suffix, bytes));
  }
  return copy;
}

}  // namespace

std::string CheckReport::ToString() const {
  std::string out;
  for (const CheckProblem& p : problems) out += "error: " + p.file + ": " + p.what + "\n";
  for (const CheckProblem& w : warnings) out += "warning: " + w.file + ": " + w.what + "\n";
  for (const std::string& o : orphans)
    out += "orphan: " + o + " (referenced by no version; not deleted)\n";
  out += std::to_string(tables_checked) + " tables, " + std::to_string(versions_checked) +
         " versions, " + std::to_string(checkpoints_checked) + " checkpoints, " +
         std::to_string(segments_checked) + " segments (" +
         std::to_string(bytes_verified) + " bytes) checked: " +
         (problems.empty() ? "ok" : std::to_string(problems.size()) + " problems") + ", " +
         std::to_string(warnings.size()) + " warnings, " +
         std::to_string(orphans.size()) + " orphan files\n";
  return out;
}

void TableChecker::CheckTable(Env* env, const std::string& table_dir, CheckReport* report,
                              std::shared_ptr<const Snapshot>* latest) {
  TransactionLog log(env, table_dir);
  const std::string& log_dir = log.log_dir();
  auto problem = [&](const std::string& file, const std::string& what) {
    report->problems.push_back({file, what});
  };
  if (env->IsSymlink(log_dir)) {
    problem(log_dir, "is a symbolic link; tslake never creates links in a table, so readers "
                     "refuse the log (replace the link with the directory it points to)");
    return;
  }
  Result<std::vector<std::string>> names = env->GetChildren(log_dir);
  if (!names.ok()) {
    problem(log_dir, names.status().ToString());
    return;
  }
  std::vector<int64_t> versions;
  std::set<int64_t> checkpoints;
  for (const std::string& n : *names) {
    int64_t v = TransactionLog::ParseVersionFileName(n);
    if (v >= 0) {
      versions.push_back(v);
    } else if (int64_t c = Checkpoint::ParseFileName(n); c >= 0) {
      checkpoints.insert(c);
    } else if (StartsWith(n, kLogTempPrefix)) {
      report->orphans.push_back(JoinPath(log_dir, n));  // a commit that never linked (7)
    }
  }
  std::sort(versions.begin(), versions.end());
  if (versions.empty()) {  // a CREATE TABLE that never committed: not a table
    std::vector<std::string> files;
    ListFilesRecursively(env, table_dir, "", {"_log"}, &files);
    for (const std::string& f : files) report->orphans.push_back(JoinPath(table_dir, f));
    return;
  }
  ++report->tables_checked;
  std::set<std::string> referenced;
  std::map<std::string, std::string> added_by;  // live path -> log file of its add
  std::shared_ptr<const Snapshot> snap;

  // Log retention may have removed the oldest JSON versions; replay then
  // starts from the checkpoint just before the first one kept.
  int64_t first = versions.front();
  if (first > 0) {
    auto it = checkpoints.lower_bound(first - 1);
    if (it == checkpoints.end() || *it > versions.back()) {
      problem(log.VersionPath(0), "versions 0 to " + std::to_string(first - 1) +
                                      " are missing and no checkpoint replaces them");
      return;
    }
    Result<std::shared_ptr<const Snapshot>> base = Checkpoint::Read(env, log_dir, *it);
    if (!base.ok()) {
      problem(JoinPath(log_dir, Checkpoint::FileName(*it)),
              base.status().ToString() + " (and the versions before it were removed)");
      return;
    }
    snap = *base;
    for (const AddAction& a : snap->files()) {
      referenced.insert(a.path);
      added_by[a.path] = JoinPath(log_dir, Checkpoint::FileName(*it));
    }
    first = *it + 1;
  }
  // Continuity: first..latest with no gap. Every gap is reported; replay
  // stops at the first since later versions cannot be applied without it.
  int64_t replayable = versions.back();
  for (int64_t v = first; v <= versions.back(); ++v) {
    if (std::binary_search(versions.begin(), versions.end(), v)) continue;
    problem(log.VersionPath(v), "version " + std::to_string(v) +
                                    " is missing from the log (found versions up to " +
                                    std::to_string(versions.back()) + ")");
    replayable = std::min(replayable, v - 1);
  }

  for (int64_t v = first; v <= versions.back(); ++v) {
    if (!log.VersionExists(v)) continue;
    Result<std::vector<LogAction>> actions = log.ReadVersion(v);
    if (!actions.ok()) {
      problem(log.VersionPath(v), actions.status().ToString());
      replayable = std::min(replayable, v - 1);
      continue;
    }
    ++report->versions_checked;
    for (const LogAction& a : *actions)
      if (const auto* add = std::get_if<AddAction>(&a)) {
        referenced.insert(add->path);
        added_by[add->path] = log.VersionPath(v);
      }
    if (v > replayable) continue;
    Result<std::shared_ptr<const Snapshot>> next =
        Snapshot::Apply(snap.get(), v, *actions, log.VersionPath(v));
    if (!next.ok()) {
      problem(log.VersionPath(v), next.status().ToString());
      replayable = v - 1;
      continue;
    }
    snap = *next;
    if (checkpoints.count(v)) CheckCheckpoint(env, log_dir, *snap, report);
  }
  if (std::optional<int64_t> last = Checkpoint::ReadLast(env, log_dir);
      last && !checkpoints.count(*last))
    report->warnings.push_back({JoinPath(log_dir, "_last_checkpoint"),
                                "names checkpoint " + std::to_string(*last) +
                                    ", which does not exist (readers list the directory)"});
  if (snap != nullptr)
    for (const AddAction& add : snap->files())
      CheckSegment(env, table_dir, *snap, add, added_by[add.path], report);
  if (latest != nullptr) *latest = snap;

  std::vector<std::string> files;
  ListFilesRecursively(env, table_dir, "", {"_log"}, &files);
  for (const std::string& f : files)
    if (!referenced.count(f)) report->orphans.push_back(JoinPath(table_dir, f));
}

Result<CheckReport> TableChecker::CheckDatabase(Env* env, const std::string& db_dir) {
  if (!env->IsDirectory(db_dir))
    return Status::NotFound("database directory " + db_dir + " does not exist");
  ASSIGN_OR_RETURN(std::vector<std::string> children, env->GetChildren(db_dir));
  std::sort(children.begin(), children.end());
  CheckReport report;
  std::map<std::string, std::shared_ptr<const Snapshot>> tables;  // dir name -> latest
  for (const std::string& child : children) {
    std::string dir = JoinPath(db_dir, child);
    if (!env->IsDirectory(dir)) continue;
    if (StartsWith(child, kDroppedPrefix)) {  // an interrupted DROP TABLE
      report.orphans.push_back(dir + "/");
      continue;
    }
    if (child.front() == '.') continue;
    if (!env->IsDirectory(JoinPath(dir, "_log"))) {
      // A table folder whose log was deleted: its segments can no longer
      // be read (the log is the only record of which files are live).
      std::vector<std::string> files;
      ListFilesRecursively(env, dir, "", {}, &files);
      int64_t segments = 0;
      for (const std::string& f : files)
        segments += f.size() > 4 && f.compare(f.size() - 4, 4, ".tsl") == 0 ? 1 : 0;
      if (segments > 0)
        report.problems.push_back(
            {dir, "has " + std::to_string(segments) +
                      " segment files but no _log folder: the table's transaction log was "
                      "deleted, so the table cannot be opened and its data cannot be read "
                      "(restore " + JoinPath(dir, "_log") + " from a backup)"});
      continue;
    }
    size_t problems_before = report.problems.size();
    int64_t tables_before = report.tables_checked;
    std::shared_ptr<const Snapshot> latest;
    CheckTable(env, dir, &report, &latest);
    if (report.tables_checked == tables_before) continue;  // never committed
    // The catalog is compared only against a table whose log replays.
    tables[child] = report.problems.size() == problems_before ? latest : nullptr;
  }

  std::string catalog_path = JoinPath(db_dir, kCatalogFile);
  if (!env->FileExists(catalog_path)) {
    if (!tables.empty())
      report.warnings.push_back({catalog_path, "is missing; run tslake repair to rebuild it"});
    return report;
  }
  // A writer killed inside a catalog transaction leaves a hot journal that
  // only a writable connection may roll back; check a private copy then,
  // so the check still writes nothing in the database directory.
  std::string copy_dir;
  std::string open_path = catalog_path;
  if (env->FileExists(catalog_path + "-journal") || env->FileExists(catalog_path + "-wal")) {
    Result<std::string> copied = CopyCatalogAside(env, catalog_path);
    if (!copied.ok()) {
      report.problems.push_back({catalog_path, copied.status().ToString()});
      return report;
    }
    open_path = *copied;
    copy_dir = open_path.substr(0, open_path.rfind('/'));
  }
  Result<std::unique_ptr<Catalog>> catalog =
      Catalog::Open(open_path, /*read_only=*/copy_dir.empty());
  struct RemoveCopy {
    Env* env;
    const std::string& dir;
    ~RemoveCopy() {
      if (dir.empty()) return;
      Result<std::vector<std::string>> files = env->GetChildren(dir);
      if (files.ok())
        for (const std::string& f : *files) (void)env->RemoveFile(JoinPath(dir, f));
      (void)env->RemoveDir(dir);
    }
  } remove_copy{env, copy_dir};
  if (!catalog.ok()) {
    report.problems.push_back({catalog_path, catalog.status().ToString()});
    return report;
  }
  Result<std::vector<Catalog::TableEntry>> entries = (*catalog)->ListTables();
  if (!entries.ok()) {
    report.problems.push_back({catalog_path, entries.status().ToString()});
    return report;
  }
  std::set<std::string> cataloged;
  for (const Catalog::TableEntry& e : *entries) {
    cataloged.insert(e.dir);
    auto it = tables.find(e.dir);
    if (it == tables.end() && !env->IsDirectory(JoinPath(db_dir, e.dir))) {
      // DROP TABLE updates the catalog before it renames the folder away,
      // so no crash leaves a catalog entry without its folder.
      report.problems.push_back(
          {JoinPath(db_dir, e.dir), "is missing but the catalog lists table \"" + e.name +
                                        "\": the table folder was deleted (restore it from a "
                                        "backup; tslake repair would drop the table from the "
                                        "catalog)"});
    } else if (it == tables.end() && !env->IsDirectory(JoinPath(JoinPath(db_dir, e.dir), "_log"))) {
      const std::string dir = JoinPath(db_dir, e.dir);
      bool reported = false;  // as a folder of segments without its _log
      for (const CheckProblem& p : report.problems) reported = reported || p.file == dir;
      if (!reported)
        report.problems.push_back(
            {JoinPath(dir, "_log"), "is missing but the catalog lists table \"" + e.name +
                                        "\": the table's transaction log was deleted (restore "
                                        "it from a backup)"});
    } else if (it == tables.end()) {
      // A DROP TABLE that died before its catalog update, reconciled on open.
      report.warnings.push_back({catalog_path, "lists table \"" + e.name + "\" but " +
                                                   JoinPath(db_dir, e.dir) +
                                                   " holds no committed table; run tslake repair"});
    } else if (it->second != nullptr) {
      CheckCatalogTable(**catalog, catalog_path, e, *it->second, &report);
    }
  }
  for (const auto& [dir, snap] : tables)
    if (!cataloged.count(dir))
      // A CREATE TABLE that died before its catalog update.
      report.warnings.push_back({catalog_path, "has no entry for table directory " +
                                                   JoinPath(db_dir, dir) +
                                                   "; run tslake repair"});
  return report;
}

Result<CheckReport> TableChecker::RepairDatabase(const std::string& db_dir) {
  Env* env = Env::Default();
  if (!env->IsDirectory(db_dir))
    return Status::NotFound("database directory " + db_dir + " does not exist");
  // A checkpoint that disagrees with the log is moved aside, so readers
  // replay the JSON versions instead (the log is the truth; invariant (13)).
  ASSIGN_OR_RETURN(CheckReport before, CheckDatabase(env, db_dir));
  std::vector<CheckProblem> moved;
  for (const std::string& path : before.untrusted_checkpoints) {
    const std::string aside = path + ".untrusted";
    RETURN_IF_ERROR(env->RenameFile(path, aside));
    RETURN_IF_ERROR(env->SyncDir(path.substr(0, path.rfind('/'))));
    moved.push_back({path, "disagreed with the log; moved aside to " + aside +
                               " so readers replay the log"});
  }
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(db_dir));
    RETURN_IF_ERROR(db->RebuildCatalog());
  }
  ASSIGN_OR_RETURN(CheckReport after, CheckDatabase(env, db_dir));
  after.warnings.insert(after.warnings.begin(), moved.begin(), moved.end());
  return after;
}

}  // namespace tsl
