// MaintenanceWorker's thread and passes, and tslake_maintenance() (see
// maintenance_worker.h for what a pass does and the lifecycle).
// Thread-safety: as the header says; a pass runs with no lock of mu_ held
// except to record its report.
#include "shell/api/maintenance_worker.h"

#include <algorithm>
#include <cstdio>

#include "query/main/query_engine.h"
#include "shell/api/historian_functions.h"
#include "storage/checkpoint.h"
#include "storage/compaction.h"
#include "storage/table.h"
#include "storage/table_properties.h"

namespace tslake {
namespace {

const std::map<std::string, std::string> kAutomatic = {{"automatic", "true"}};

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Bytes(int64_t n) {
  char buf[32];
  if (n >= (int64_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1 << 20));
  } else {
    std::snprintf(buf, sizeof buf, "%lld bytes", static_cast<long long>(n));
  }
  return buf;
}

}  // namespace

MaintenanceWorker::MaintenanceWorker(tsl::Database* db,
                                     const tsl::query::TableFunctionRegistry* functions,
                                     tsl::query::DatabaseConfig* config,
                                     MaintenanceSettings settings)
    : db_(db), functions_(functions), config_(config), settings_(std::move(settings)) {}

MaintenanceWorker::~MaintenanceWorker() { Stop(); }

void MaintenanceWorker::SetEnabled(bool on) {
  tsl::MutexLock l(mu_);
  if (stop_) return;
  enabled_ = on;
  next_run_micros_ = on ? WallMicros() : -1;
  if (on && !thread_.joinable()) thread_ = std::thread([this] { Run(); });
  cv_.notify_all();
}

bool MaintenanceWorker::enabled() const {
  tsl::MutexLock l(mu_);
  return enabled_ && !stop_;
}

void MaintenanceWorker::Stop() {
  {
    tsl::MutexLock l(mu_);
    stop_ = true;
    next_run_micros_ = -1;
    cv_.notify_all();
  }
  // Only Stop() joins, and a second Stop() finds the thread joined.
  if (thread_.joinable()) thread_.join();
}

int64_t MaintenanceWorker::next_run_micros() const {
  tsl::MutexLock l(mu_);
  return next_run_micros_;
}

void MaintenanceWorker::Run() {
  for (;;) {
    {
      tsl::MutexLock l(mu_);
      cv_.wait(l, [this]() REQUIRES(mu_) { return stop_ || enabled_; });
      if (stop_) return;
    }
    const auto started = std::chrono::steady_clock::now();
    RunOnce();
    tsl::MutexLock l(mu_);
    if (stop_) return;
    const auto due = started + settings_.interval;
    next_run_micros_ =
        enabled_ ? WallMicros() + std::chrono::duration_cast<std::chrono::microseconds>(
                                      due - std::chrono::steady_clock::now())
                                      .count()
                 : -1;
    // Woken early by Stop(), or by SetEnabled (which restarts a pause).
    cv_.wait_until(l, due, [this]() REQUIRES(mu_) { return stop_; });
    if (stop_) return;
  }
}

void MaintenanceWorker::RunOnce() {
  tsl::MutexLock pass(pass_mu_);
  // The database's memory_limit and settings apply to the pass's queries
  // (the views' catch-up), as to a connection's statements.
  tsl::query::ConfigScope scope(config_);
  std::vector<std::string> tables = db_->ListTables();
  std::sort(tables.begin(), tables.end());
  for (const std::string& name : tables) {
    {
      tsl::MutexLock l(mu_);
      if (stop_ || (!enabled_ && thread_.joinable() &&
                    std::this_thread::get_id() == thread_.get_id()))
        return;
    }
    TableMaintenanceReport report;
    {
      tsl::MutexLock l(mu_);
      report = reports_[name];
    }
    report.table = name;
    const auto started = std::chrono::steady_clock::now();
    MaintainTable(name, &report);
    {
      tsl::MutexLock l(mu_);
      reports_[name] = report;
    }
    if (!Pace(std::chrono::steady_clock::now() - started)) return;
  }
}

bool MaintenanceWorker::Pace(std::chrono::steady_clock::duration work) {
  const double share = std::clamp(settings_.cpu_share, 0.001, 1.0);
  const auto rest = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      work * (1.0 / share - 1.0));
  tsl::MutexLock l(mu_);
  if (rest.count() > 0) cv_.wait_for(l, rest, [this]() REQUIRES(mu_) { return stop_; });
  return !stop_;
}

void MaintenanceWorker::MaintainTable(const std::string& name, TableMaintenanceReport* report) {
  report->last_run_micros = WallMicros();
  ++report->runs;
  report->error.clear();
  std::vector<std::string> did;
  auto note_error = [&](const std::string& step, const tsl::Status& st) {
    if (!report->error.empty()) report->error += "; ";
    report->error += step + ": " + st.message();
  };

  tsl::Result<std::shared_ptr<tsl::Table>> table = db_->GetTable(name);
  if (!table.ok()) {
    // Dropped since the list was read: nothing to maintain.
    report->last_action = "table gone";
    return;
  }
  // 1. Retention, behind the materialized views that read the table.
  std::string held_back;
  tsl::Result<tsl::CommitResult> retention = tsl::query::QueryEngine::ApplyRetentionBehindViews(
      db_, functions_, name, kAutomatic, &held_back);
  if (!retention.ok()) {
    note_error("retention", retention.status());
  } else if (retention->version >= 0) {
    ++report->commits;
    did.push_back("DELETE v" + std::to_string(retention->version) + " (retention): " +
                  std::to_string(retention->files_removed) + " files removed");
  }
  if (!held_back.empty()) did.push_back(held_back);

  // 2. Compaction of partitions past the small-file threshold.
  tsl::OptimizeOptions optimize;
  optimize.min_small_files = settings_.small_files;
  optimize.parameters = kAutomatic;
  optimize.TEST_before_commit = settings_.TEST_before_optimize_commit;
  tsl::Result<tsl::CommitResult> compacted =
      tsl::CompactSmallFiles(**table, optimize, settings_.max_segment_rows);
  if (!compacted.ok()) {
    if (compacted.status().IsConflict()) {
      ++report->conflicts;
      note_error("OPTIMIZE lost to a concurrent commit, retried next pass", compacted.status());
    } else {
      note_error("OPTIMIZE", compacted.status());
    }
  } else if (compacted->version >= 0) {
    ++report->commits;
    did.push_back("OPTIMIZE v" + std::to_string(compacted->version) + ": " +
                  std::to_string(compacted->files_removed) + " files -> " +
                  std::to_string(compacted->files_added));
  }

  // 3. A checkpoint of the latest version of an idle table.
  tsl::Result<int64_t> latest = (*table)->LatestVersion();
  const int64_t seen = report->seen_version;
  if (latest.ok()) report->seen_version = *latest;
  if (!latest.ok()) {
    note_error("checkpoint", latest.status());
  } else if (*latest == seen) {
    const std::optional<int64_t> last =
        tsl::Checkpoint::ReadLast((*table)->env(), tsl::JoinPath((*table)->dir(), "_log"));
    if (!last || *last < *latest) {
      tsl::Status st = (*table)->WriteCheckpoint(*latest);
      if (st.ok()) {
        did.push_back("checkpoint v" + std::to_string(*latest));
      } else {
        note_error("checkpoint", st);
      }
    }
  }

  // 4. VACUUM per deleted_file_retention (retention was step 1).
  tsl::Result<tsl::TableProperties> props = (*table)->Properties();
  if (!props.ok()) {
    note_error("VACUUM", props.status());
  } else {
    tsl::VacuumOptions vacuum;
    vacuum.retain_hours = static_cast<double>(props->deleted_file_retention_micros) / 3600e6;
    vacuum.force = true;  // the table's own property chose the window
    vacuum.apply_retention = false;
    vacuum.record_in_history = true;
    vacuum.parameters = kAutomatic;
    tsl::Result<tsl::VacuumResult> vacuumed = (*table)->Vacuum(vacuum);
    if (!vacuumed.ok()) {
      note_error("VACUUM", vacuumed.status());
    } else if (!vacuumed->files.empty()) {
      ++report->commits;
      did.push_back("VACUUM: " + std::to_string(vacuumed->files.size()) + " files, " +
                    Bytes(vacuumed->bytes) + " deleted");
    }
  }

  report->last_action.clear();
  for (const std::string& d : did) {
    if (!report->last_action.empty()) report->last_action += "; ";
    report->last_action += d;
  }
  if (report->last_action.empty()) report->last_action = "nothing to do";
}

std::vector<TableMaintenanceReport> MaintenanceWorker::Reports() const {
  std::vector<std::string> tables = db_->ListTables();
  std::sort(tables.begin(), tables.end());
  std::vector<TableMaintenanceReport> out;
  tsl::MutexLock l(mu_);
  for (const std::string& name : tables) {
    auto it = reports_.find(name);
    TableMaintenanceReport r = it == reports_.end() ? TableMaintenanceReport{} : it->second;
    r.table = name;
    out.push_back(std::move(r));
  }
  return out;
}

void RegisterMaintenanceFunction(tsl::query::TableFunctionRegistry* registry, tsl::Database* db,
                                 const MaintenanceWorker* worker) {
  registry->Register(
      "tslake_maintenance",
      [db, worker](const tsl::query::TableFunctionArgs& args)
          -> tsl::Result<std::unique_ptr<tsl::ChunkSource>> {
        if (!args.positional.empty() || !args.named.empty())
          return tsl::Status::InvalidArgument(
              "tslake_maintenance takes no arguments: SELECT * FROM tslake_maintenance()");
        using tsl::TypeId;
        tsl::Schema schema{{{"table_name", TypeId::kVarchar},
                            {"enabled", TypeId::kBoolean},
                            {"last_run", TypeId::kTimestamp},
                            {"next_run", TypeId::kTimestamp},
                            {"last_action", TypeId::kVarchar},
                            {"error", TypeId::kVarchar},
                            {"runs", TypeId::kBigint},
                            {"conflicts", TypeId::kBigint},
                            {"commits", TypeId::kBigint}}};
        std::vector<TableMaintenanceReport> reports;
        if (worker != nullptr) {
          reports = worker->Reports();
        } else {
          for (const std::string& name : db->ListTables()) {
            TableMaintenanceReport r;
            r.table = name;
            reports.push_back(std::move(r));
          }
          std::sort(reports.begin(), reports.end(),
                    [](const auto& a, const auto& b) { return a.table < b.table; });
        }
        const bool on = worker != nullptr && worker->enabled();
        const int64_t next = worker != nullptr ? worker->next_run_micros() : -1;
        std::vector<TypeId> types;
        for (const tsl::Field& f : schema.fields) types.push_back(f.type);
        tsl::DataChunk chunk;
        chunk.Initialize(types);
        auto optional_text = [](tsl::ColumnVector& c, const std::string& s) {
          if (s.empty()) {
            c.AppendNull();
          } else {
            c.AppendString(s);
          }
        };
        for (const TableMaintenanceReport& r : reports) {
          chunk.columns[0].AppendString(r.table);
          chunk.columns[1].AppendValue(tsl::Value::Boolean(on));
          if (r.last_run_micros < 0) {
            chunk.columns[2].AppendNull();
          } else {
            chunk.columns[2].AppendInt(r.last_run_micros);
          }
          if (!on || next < 0) {
            chunk.columns[3].AppendNull();
          } else {
            chunk.columns[3].AppendInt(next);
          }
          optional_text(chunk.columns[4], r.last_action);
          optional_text(chunk.columns[5], r.error);
          chunk.columns[6].AppendInt(r.runs);
          chunk.columns[7].AppendInt(r.conflicts);
          chunk.columns[8].AppendInt(r.commits);
        }
        return std::unique_ptr<tsl::ChunkSource>(
            new OneChunkSource(std::move(schema), std::move(chunk)));
      });
}

}  // namespace tslake
