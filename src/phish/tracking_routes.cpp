#include "phish/tracking_routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include "core/form_capture.h"
#include "core/html_escape.h"
#include "core/message_template.h"
#include "core/utf8.h"
#include "phish/content_security.h"
#include "phish/page_beacon.h"
#include "phish/teaching_page.h"
#include "service/tracking_lookups.h"

namespace phishdrill::phish {
namespace {

// The same answer for every rid we will not serve: it reveals nothing.
net::Response not_found() { return net::Response::text(404, "404 page not found\n"); }

constexpr unsigned char kPixel[] = {
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00,
    0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

net::Response pixel() {
  auto r = net::Response::text(
      200, std::string(reinterpret_cast<const char*>(kPixel), sizeof kPixel), "image/gif");
  r.set_header("Cache-Control", "no-store, max-age=0");
  return r;
}

net::Response html(int status, std::string body) {
  auto r = net::Response::text(status, std::move(body), "text/html; charset=utf-8");
  r.set_header("Cache-Control", "no-store, max-age=0");
  return r;
}

// A landing page for one recipient, under a policy with a fresh nonce that
// only Phishdrill's own script (the page beacon) carries.
net::Response landing(const PreparedPage& page, std::string_view rid, const std::string& nonce,
                      const std::string& own_script) {
  auto r = html(200, page.render(rid, nonce, own_script));
  r.set_header("Content-Security-Policy", landing_page_policy(nonce, page.page.allow_scripts));
  return r;
}

net::Response teaching(std::string body) {
  auto r = html(200, std::move(body));
  r.set_header("Content-Security-Policy", std::string(teaching_page_policy()));
  return r;
}

// After a submission, the page's redirect: a navigation, not an HTTP redirect
// of the form's POST, which form-action 'self' would stop.
net::Response redirect_to(const std::string& url) {
  const std::string escaped = html_escape(url);
  return html(200, "<!doctype html><meta http-equiv=\"refresh\" content=\"0;url=" + escaped +
                       "\"><title></title><a href=\"" + escaped + "\">Continue</a>");
}

bool plausible_rid(std::string_view rid) {
  if (rid.empty() || rid.size() > 64) return false;
  for (const char c : rid) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// The rid's recipient (cached, unknown rids too). A failed read is an error,
// not an unknown rid: it is neither cached nor answered as one.
Result<std::optional<RidInfo>> lookup(PhishContext& ctx, const std::string& rid) {
  const auto now = RidCache::Clock::now();
  if (auto cached = ctx.rids.get(rid, now)) return *cached;
  const auto generation = ctx.rids.generation();
  auto info = PD_TRY(service::find_recipient_by_rid(ctx.store, rid));
  ctx.rids.put(rid, info, now, generation);
  return info;
}

net::Response unavailable() { return net::Response::text(503, "temporarily unavailable\n"); }

std::string purpose_of(const net::Request& request) {
  std::string purpose;
  for (const char* name : {"Purpose", "Sec-Purpose", "X-Purpose", "X-Moz"}) {
    const auto value = request.header(name);
    if (!value.empty()) purpose += std::string(value) + ";";
  }
  return purpose;
}

// True when this recipient's decoy was followed recently from the same
// address with the same browser: a person reading later, elsewhere or in
// another browser, is not the scanner. (A user agent alone proves nothing:
// reduced browser user agents are identical for millions of people.)
bool near_decoy(PhishContext& ctx, std::int64_t recipient_id, std::int64_t now,
                const std::string& ip, std::string_view user_agent) {
  MutexLock lock(ctx.decoy_mutex);
  auto it = ctx.decoy_hits.find(recipient_id);
  if (it == ctx.decoy_hits.end()) return false;
  const auto& decoy = it->second;
  return now - decoy.at <= ctx.settings.classifier.decoy_window_seconds && decoy.ip == ip &&
         decoy.user_agent == user_agent;
}

HitHeaders headers_of(const net::Request& request) {
  HitHeaders h;
  h.accept = request.header("Accept");
  h.accept_language = request.header("Accept-Language");
  h.sec_fetch_mode = request.header("Sec-Fetch-Mode");
  h.sec_fetch_site = request.header("Sec-Fetch-Site");
  h.sec_ch_ua = request.header("Sec-CH-UA");
  h.sec_ch_ua_mobile = request.header("Sec-CH-UA-Mobile");
  h.sec_ch_ua_platform = request.header("Sec-CH-UA-Platform");
  h.origin = request.header("Origin");
  return h;
}

// scheme://host[:port] of a base URL ("https://go.example.com/x" → "https://go.example.com").
std::string_view origin_of(std::string_view base) {
  const auto scheme = base.find("://");
  if (scheme == std::string_view::npos) return base;
  const auto path = base.find('/', scheme + 3);
  return path == std::string_view::npos ? base : base.substr(0, path);
}

std::int64_t form_number(const std::vector<std::pair<std::string, std::string>>& form,
                         std::string_view name, std::int64_t max) {
  for (const auto& [key, value] : form) {
    if (key != name || value.empty() || value.size() > 12) continue;
    std::int64_t n = 0;
    for (const char c : value) {
      if (c < '0' || c > '9') return 0;
      n = n * 10 + (c - '0');
    }
    return std::min(n, max);
  }
  return 0;
}

// The teaching page for this recipient: the message as they received it.
std::string teaching_for(const PhishContext& ctx, const RidInfo& info,
                         const std::shared_ptr<const CampaignVariant>& variant,
                         const std::string& base, bool submitted, std::string_view rid) {
  TeachingContent content;
  content.first_name = info.fields.first_name;
  content.submitted = submitted;
  if (info.has_follow_up) {
    content.training_url =
        ctx.settings.portal_path + "/start?" + ctx.settings.rid_parameter + "=" + std::string(rid);
  }
  if (variant) {
    TemplateContext values;
    values.first_name = info.fields.first_name;
    values.last_name = info.fields.last_name;
    values.email = info.fields.email;
    values.position = info.fields.position;
    values.from = variant->content.from;
    values.base_url = base;
    values.url = base + "/";  // never show a live tracking link again
    values.tracking_url = base + ctx.settings.track_path;
    auto render = [&](const std::string& source, RenderMode mode) {
      auto compiled = CompiledTemplate::compile(source, "body");
      return compiled ? compiled->render(values, mode) : std::string();
    };
    content.subject = render(variant->content.subject, RenderMode::kHeader);
    content.from = variant->content.from;
    content.text = render(variant->content.text, RenderMode::kText);
    content.red_flags = variant->content.red_flags;
  }
  return teaching_page_html(content);
}

class TrackingHandlers {
 public:
  explicit TrackingHandlers(PhishContext& ctx) : ctx_(ctx) {}

  void hit(net::Request& request, net::Responder respond, HitKind kind) {
    const auto rid_param = request.query_param(ctx_.settings.rid_parameter);
    if (!rid_param || !plausible_rid(*rid_param)) return respond(not_found());
    const std::string rid(*rid_param);
    const auto found = lookup(ctx_, rid);
    if (!found) return respond(unavailable());
    const auto& info = *found;
    if (!info || info->campaign_status != CampaignStatus::kActive) return respond(not_found());

    const std::int64_t now = ctx_.clock.now();
    const std::string base = info->base_url.empty() ? default_base_ : info->base_url;
    const std::string purpose = purpose_of(request);
    const HitSignals signals = observe(request, *info, kind, base, purpose, now);
    Verdict verdict = classify_hit(signals, ctx_.settings.classifier);
    if (verdict.ignore) return respond(net::Response::no_content());
    const bool over_limit = over_rate_limit(request.remote_ip);
    if (over_limit && !verdict.automated) {
      verdict = Verdict{};
      verdict.automated = true;
      verdict.reason = fmt::format("address over the limit of {} hits per second",
                                   ctx_.settings.ip_hits_per_second);
    }
    service::Hit h = hit_of(*info, kind, signals, verdict, request.remote_ip);
    net::Response response = over_limit ? too_many() : answer(request, *info, kind, h.event);
    ctx_.writer.submit(std::move(h), [respond = std::move(respond), response = std::move(response)](
                                         EventWriter::Outcome outcome) mutable {
      switch (outcome) {
        case EventWriter::Outcome::kRecorded:
          return respond(std::move(response));
        case EventWriter::Outcome::kRejected:
          return respond(not_found());
        case EventWriter::Outcome::kFailed:
          return respond(unavailable());
      }
    });
  }

 private:
  // The hit's evidence for the classifier, and the memory it leaves behind:
  // clicks count towards bursts and sweeps, decoy hits are remembered.
  // `purpose` must outlive the result (the signals view it and the request).
  HitSignals observe(const net::Request& request, const RidInfo& info, HitKind kind,
                     const std::string& base, const std::string& purpose, std::int64_t now) {
    const std::string& ip = request.remote_ip;
    HitSignals signals;
    signals.kind = kind;
    signals.method = request.method;
    signals.user_agent = request.header("User-Agent");
    signals.purpose = purpose;
    signals.headers = headers_of(request);
    signals.secure_origin = base.starts_with("https://");
    signals.own_origin = origin_of(base);
    signals.at = now;
    signals.sent_at = info.sent_at;
    if (kind == HitKind::kBeacon) {
      const auto form = net::parse_form(request.body);
      signals.beacon_visible_ms = form_number(form, "v", 86'400'000);
      signals.beacon_interactions = static_cast<int>(form_number(form, "i", 1'000'000));
    }
    if (kind == HitKind::kOpen || kind == HitKind::kClick || kind == HitKind::kSubmit) {
      // Only clicks count towards bursts: colleagues behind one address open
      // the same mail together, and a submission is a person's own act.
      if (kind == HitKind::kClick) {
        signals.ip_recipients_recent = ctx_.bursts.record(ip, info.recipient_id, now);
        signals.sweep_recipients =
            ctx_.sweeps.record(ip + "|" + std::string(signals.user_agent), info.recipient_id, now);
      }
      signals.near_decoy = near_decoy(ctx_, info.recipient_id, now, ip, signals.user_agent);
    }
    if (kind == HitKind::kDecoy) {
      MutexLock lock(ctx_.decoy_mutex);
      if (ctx_.decoy_hits.size() > 100000) ctx_.decoy_hits.clear();
      ctx_.decoy_hits[info.recipient_id] = {now, ip, std::string(signals.user_agent)};
    }
    return signals;
  }

  // What the writer records for this hit.
  service::Hit hit_of(const RidInfo& info, HitKind kind, const HitSignals& signals,
                      const Verdict& verdict, const std::string& ip) const {
    service::Hit h;
    h.event.workspace_id = info.workspace_id;
    h.event.campaign_id = info.campaign_id;
    h.event.recipient_id = info.recipient_id;
    h.event.kind = std::string(hit_kind_event(kind));
    h.event.at = signals.at;
    h.event.ip = ip;
    // Any bytes may arrive in a header: what is stored (and shown as JSON) is UTF-8.
    h.event.user_agent = valid_utf8(utf8_prefix(signals.user_agent, 512));
    h.event.automated = verdict.automated;
    h.event.reason = verdict.reason;
    if (!verdict.automated) h.event.suspect = verdict.suspect;
    h.email = info.fields.email;
    h.rank = verdict.automated ? 0 : hit_rank(kind);
    h.report = kind == HitKind::kReport && !verdict.automated;
    if (kind == HitKind::kDecoy) {
      h.decoy_window_seconds = ctx_.settings.classifier.decoy_window_seconds;
    }
    h.flag_address_back_seconds = verdict.automated ? 0 : verdict.flag_address_back_seconds;
    return h;
  }

  bool over_rate_limit(const std::string& ip) {
    if (ctx_.settings.ip_hits_per_second <= 0) return false;
    const auto key = static_cast<std::int64_t>(std::hash<std::string>{}(ip));
    return ctx_.address_limits.try_acquire(key, ctx_.settings.ip_hits_per_second * 60,
                                           RateLimiter::Clock::now()) !=
           RateLimiter::Clock::duration::zero();
  }

  static net::Response too_many() {
    auto r = net::Response::text(429, "too many requests\n");
    r.set_header("Retry-After", "1");
    return r;
  }

  // Builds the answer the person gets once the hit is durable; fills the
  // event's non-secret details for submissions. Content that cannot be read
  // now is a 503 (the hit is still recorded).
  net::Response answer(const net::Request& request, const RidInfo& info, HitKind kind,
                       EventRecord& event) {
    const std::string base = info.base_url.empty() ? default_base_ : info.base_url;
    const std::string rid(*request.query_param(ctx_.settings.rid_parameter));
    switch (kind) {
      case HitKind::kOpen:
        return pixel();
      case HitKind::kReport:
      case HitKind::kBeacon:
        return net::Response::no_content();
      case HitKind::kDecoy:
        return html(200, "<!doctype html><title></title>");
      case HitKind::kClick:
        return answer_click(info, base, rid).value_or(unavailable());
      case HitKind::kSubmit:
        return answer_submit(request, info, base, rid, event).value_or(unavailable());
    }
    return not_found();
  }

  // The landing page with its beacon, or the teaching page when there is none.
  Result<net::Response> answer_click(const RidInfo& info, const std::string& base,
                                     const std::string& rid) {
    const auto page = PD_TRY(page_of(info, base));
    if (!page) return teaching(PD_TRY(teaching_html(info, base, false, rid)));
    const auto& s = ctx_.settings;
    const std::string beacon = page_beacon_script(
        base + s.beacon_path + "?" + s.rid_parameter + "=" + rid,
        s.classifier.beacon_min_visible_ms, s.classifier.beacon_min_interactions);
    return landing(*page, rid, ctx_.tokens.token(18), beacon);
  }

  // Keeps what the page's capture policy allows (never a secret), then the
  // page's redirect or the teaching page.
  Result<net::Response> answer_submit(const net::Request& request, const RidInfo& info,
                                      const std::string& base, const std::string& rid,
                                      EventRecord& event) {
    const auto page = PD_TRY(page_of(info, base));
    const auto policy = page ? page->page.capture : CapturePolicy::kNone;
    const auto captured =
        page ? capture_submission(net::parse_form(request.body), page->page, page->secret_inputs)
             : CapturedSubmission{};
    boost::json::object details;
    boost::json::array filled;
    for (const auto& name : captured.filled) filled.push_back(boost::json::string(name));
    if (policy != CapturePolicy::kNone) details["fields"] = std::move(filled);
    if (policy == CapturePolicy::kValues) {
      boost::json::object values;
      for (const auto& [name, value] : captured.kept) values[name] = value;
      details["values"] = std::move(values);
    }
    event.details_json = boost::json::serialize(details);
    if (page && !page->page.redirect_url.empty()) return redirect_to(page->page.redirect_url);
    return teaching(PD_TRY(teaching_html(info, base, true, rid)));
  }

  Result<std::shared_ptr<const PreparedPage>> page_of(const RidInfo& info,
                                                      const std::string& base) {
    if (info.page_id == 0) return nullptr;
    return ctx_.content.page(info.workspace_id, info.page_id,
                             base + "/?" + ctx_.settings.rid_parameter + "=");
  }

  Result<std::string> teaching_html(const RidInfo& info, const std::string& base, bool submitted,
                                    std::string_view rid) {
    const auto variant = PD_TRY(ctx_.content.variant(info.variant_id));
    return teaching_for(ctx_, info, variant, base, submitted, rid);
  }

 public:
  std::string default_base_;

 private:
  PhishContext& ctx_;
};

}  // namespace

PhishContext::PhishContext(Store& s, const Clock& c, const TokenSource& t, EventWriter& w,
                           PhishSettings settings_in)
    : store(s),
      clock(c),
      tokens(t),
      writer(w),
      settings(std::move(settings_in)),
      rids(&s.generations()),
      content(
          {[&s](std::int64_t workspace_id, std::int64_t page_id) {
             return service::find_landing_page(s, workspace_id, page_id);
           },
           [&s](std::int64_t variant_id) { return service::find_campaign_variant(s, variant_id); }},
          &s.generations()) {}

void add_phish_routes(net::Router& router, PhishContext& context, const std::string& base_url) {
  auto handlers = std::make_shared<TrackingHandlers>(context);
  handlers->default_base_ = base_url;
  auto route = [handlers](HitKind kind) {
    return [handlers, kind](net::Request& request, net::Responder respond) {
      handlers->hit(request, std::move(respond), kind);
    };
  };
  const auto& s = context.settings;
  router.add_async("GET", s.track_path, route(HitKind::kOpen));
  router.add_async("GET", "/", route(HitKind::kClick));
  router.add_async("POST", "/", route(HitKind::kSubmit), 64 * 1024);
  router.add_async("GET", s.report_path, route(HitKind::kReport));
  router.add_async("POST", s.report_path, route(HitKind::kReport), 64 * 1024);
  router.add_async("GET", s.decoy_path, route(HitKind::kDecoy));
  router.add_async("POST", s.beacon_path, route(HitKind::kBeacon), 1024);
}

}  // namespace phishdrill::phish
