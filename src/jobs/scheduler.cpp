#include "jobs/scheduler.h"

#include <spdlog/spdlog.h>

#include "app/alerts.h"
#include "app/audit.h"
#include "app/campaigns.h"
#include "app/auth.h"
#include "app/backups.h"
#include "app/devices.h"
#include "app/hazards.h"
#include "app/market.h"
#include "app/notify.h"
#include "app/reports.h"
#include "app/retrofits.h"
#include "app/users.h"
#include "app/permits.h"
#include "domain/clock.h"

namespace huoyan::jobs {

int run_timers(store::Db& db) {
  return app::run_permit_timers(db) + app::run_device_timers(db) + app::run_certificate_expiry(db) +
         app::run_hazard_timers(db) + app::run_report_timers(db) + app::run_campaign_timers(db) + app::run_retrofit_reminders(db) + app::run_market_reminders(db) +
         app::run_inactive_accounts(db) + app::run_session_retention(db) + app::run_storage_check(db) + app::run_backup_schedule(db) +
         app::deliver_webhooks(db);
}

Scheduler::Scheduler(store::Db& db, std::chrono::seconds interval)
    : db_(db), interval_(interval), holder_(app::random_token(8)) {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        int changes = run_once();
        if (changes) spdlog::info("timers: {} changes", changes);
      } catch (const std::exception& e) {
        spdlog::error("timers: {}", e.what());
      }
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Scheduler::take_lease() {
  std::string now = clock::iso_utc(clock::now());
  std::string until = clock::iso_utc(clock::now() + interval_ * 2);
  return db_.write([&](store::Conn& c) {
    c.exec("INSERT INTO job_leases (name, holder, until) VALUES ('timers', ?, ?) ON CONFLICT (name) DO NOTHING", {holder_, until});
    return c.exec("UPDATE job_leases SET holder = ?, until = ? WHERE name = 'timers' AND (holder = ? OR until < ?)",
                  {holder_, until, holder_, now}) == 1;
  });
}

int Scheduler::run_once() {
  if (!take_lease()) return 0;
  return run_timers(db_);
}

}  // namespace huoyan::jobs
