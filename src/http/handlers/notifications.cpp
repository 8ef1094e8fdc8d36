#include "app/notify.h"
#include "http/handlers/handlers.h"

namespace huoyan::http {

namespace {
using F = FieldType;
Reply ok(const json& j) { return Reply::json_body(j); }
}  // namespace

void add_notification_routes(std::vector<Route>& out) {
  out.push_back({"GET", "/api/notifications", Guard::Session, "", {},
                 [](Context& c) { return ok(app::list_notifications(c.db, c.caller(), c.req.query)); }, false, "我的消息"});
  out.push_back({"GET", "/api/notifications/unread", Guard::Session, "", {},
                 [](Context& c) { return ok(app::unread_notifications(c.db, c.caller())); }, false, "未读消息数"});
  out.push_back({"POST", "/api/notifications/:id/read", Guard::Session, "", {},
                 [](Context& c) { return ok(app::read_notification(c.db, c.caller(), c.req.id())); }, false, "标为已读"});
  out.push_back({"POST", "/api/notifications/read-all", Guard::Session, "", {},
                 [](Context& c) { return ok(app::read_all_notifications(c.db, c.caller())); }, false, "全部标为已读"});

  const std::vector<Field> webhook = {{"name", F::String},   {"url", F::String},     {"format", F::String}, {"events", F::StringList},
                                      {"secret", F::String}, {"siteUrl", F::String}, {"enabled", F::Boolean}};
  out.push_back({"GET", "/api/webhooks", Guard::Permission, "webhook:write", {},
                 [](Context& c) { return ok(app::list_webhooks(c.db)); }, false, "消息推送列表（含可订阅事件）"});
  out.push_back({"POST", "/api/webhooks", Guard::Permission, "webhook:write", webhook,
                 [](Context& c) { return Reply::json_body(app::create_webhook(c.db, c.caller(), c.body, public_base(c.req)), 201); },
                 false, "新增消息推送"});
  out.push_back({"PUT", "/api/webhooks/:id", Guard::Permission, "webhook:write", webhook,
                 [](Context& c) { return ok(app::update_webhook(c.db, c.caller(), c.req.id(), c.body)); }, false,
                 "修改消息推送（未给出的字段不变）"});
  out.push_back({"DELETE", "/api/webhooks/:id", Guard::Permission, "webhook:write", {},
                 [](Context& c) { return ok(app::delete_webhook(c.db, c.caller(), c.req.id())); }, false, "删除消息推送"});
  out.push_back({"POST", "/api/webhooks/:id/test", Guard::Permission, "webhook:write", {},
                 [](Context& c) { return ok(app::test_webhook(c.db, c.caller(), c.req.id())); }, false, "发送测试消息"});
  out.push_back({"GET", "/api/webhooks/:id/deliveries", Guard::Permission, "webhook:write", {},
                 [](Context& c) { return ok(app::list_deliveries(c.db, c.req.id(), c.req.query)); }, false, "推送记录"});
}

}  // namespace huoyan::http
