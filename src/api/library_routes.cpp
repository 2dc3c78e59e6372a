// The simulation library as the caller's workspace sees it (shipped and
// imported: service/library/workspace_library.h):
// GET /api/v1/library/simulations (filtered list), GET …/{slug} (one
// simulation with its red flags, Phish Scale cues and a preview in this
// workspace's branding), POST …/{slug}/use (copied into the workspace as a
// template and landing page; service/library/use_simulation), and packs
// (service/library/simulation_packs.h): POST /api/v1/library/packs
// (import), DELETE …/simulations/{slug} (remove an import) and
// POST /api/v1/library/export. Every role may browse; operators use and
// export; admins import and remove.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "api/phish_scale_json.h"
#include "api/preview_json.h"
#include "core/folded_text.h"
#include "core/time_format.h"
#include "library/library_vocabulary.h"
#include "service/library/simulation_packs.h"
#include "service/library/use_simulation.h"
#include "service/phish_scale/rate_templates.h"
#include "service/preview_template.h"

namespace phishdrill::api {
namespace {

json::array words(std::span<const std::string_view> list) {
  json::array out;
  for (const auto word : list) out.emplace_back(word);
  return out;
}

constexpr std::size_t kPackBodyLimit = 24 * 1024 * 1024;

json::object summary_json(const Simulation& s, const service::WorkspaceLibrary& library) {
  const ImportedSimulationRow* imported = library.import_of(s.slug);
  return {{"slug", s.slug},
          {"source", imported != nullptr ? "imported" : "shipped"},
          {"imported_at", imported != nullptr ? json::value(imported->imported_at) : nullptr},
          {"replaces_shipped", library.replaces_shipped(s.slug)},
          {"title", s.title},
          {"summary", s.summary},
          {"category", s.category},
          {"channel", s.channel},
          {"language", s.language},
          {"audience", s.audience},
          {"tags", json::value_from(s.tags)},
          {"version", s.version},
          {"has_landing_page", !s.landing.html.empty()},
          {"red_flag_count", s.red_flags.size()},
          {"cue_count", s.cues.size()}};
}

json::object parts_json(const Simulation& s) {
  json::array flags;
  for (const auto& f : s.red_flags) {
    flags.push_back(
        json::object{{"part", f.part}, {"text", f.text}, {"explanation", f.explanation}});
  }
  json::array cues;
  for (const auto& c : s.cues) {
    cues.push_back(
        json::object{{"type", c.type}, {"category", cue_category(c.type)}, {"where", c.where}});
  }
  json::array attachments;
  for (const auto& a : s.attachments) {
    attachments.push_back(json::object{{"name", a.name}, {"content_type", a.content_type}});
  }
  return {{"red_flags", std::move(flags)},
          {"cues", std::move(cues)},
          {"premise", premise_json(s.premise)},
          {"attachments", std::move(attachments)}};
}

// Matches the list's filters (each a known word, else kValidation) and search
// (core/folded_text.h: no case or accents).
class LibraryFilter {
 public:
  static Result<LibraryFilter> of(const net::Request& request) {
    LibraryFilter f;
    PD_TRY(f.word(request, "category", simulation_categories(), f.category_));
    PD_TRY(f.word(request, "language", simulation_languages(), f.language_));
    PD_TRY(f.word(request, "channel", simulation_channels(), f.channel_));
    PD_TRY(f.word(request, "audience", simulation_audiences(), f.audience_));
    if (const auto d = request.query_param("difficulty"); d && !d->empty()) {
      f.difficulty_ = parse_difficulty(*d);
      if (!f.difficulty_) {
        return fail(ErrorCode::kValidation,
                    "difficulty is one of very, moderately, moderately_to_least, least",
                    "difficulty");
      }
    }
    if (const auto source = request.query_param("source"); source && !source->empty()) {
      if (*source != "shipped" && *source != "imported") {
        return fail(ErrorCode::kValidation, "source is shipped or imported", "source");
      }
      f.imported_ = *source == "imported";
    }
    f.query_ = std::string(request.query_param("q").value_or(""));
    return f;
  }

  bool matches(Difficulty d) const { return !difficulty_ || *difficulty_ == d; }

  bool matches(const Simulation& s, const service::WorkspaceLibrary& library) const {
    if (imported_ && *imported_ != (library.import_of(s.slug) != nullptr)) return false;
    if (!category_.empty() && s.category != category_) return false;
    if (!language_.empty() && s.language != language_) return false;
    if (!channel_.empty() && s.channel != channel_) return false;
    if (!audience_.empty() && s.audience != audience_) return false;
    if (query_.empty()) return true;
    // Case, accents and spacing aside: "CONTRASEÑA" finds "contraseña".
    const auto has = [&](const std::string& text) { return folded_contains(text, query_); };
    return has(s.title) || has(s.summary) ||
           std::any_of(s.tags.begin(), s.tags.end(), [&](const auto& tag) { return has(tag); });
  }

 private:
  Result<void> word(const net::Request& request, std::string_view name,
                    std::span<const std::string_view> allowed, std::string& into) {
    const auto value = request.query_param(name);
    if (!value || value->empty()) return {};  // "?category=" means any
    if (!is_one_of(allowed, *value)) {
      return fail(ErrorCode::kValidation, std::string(name) + " is not one of the library's",
                  std::string(name));
    }
    into = std::string(*value);
    return {};
  }

  std::string category_, language_, channel_, audience_, query_;
  std::optional<Difficulty> difficulty_;
  std::optional<bool> imported_;
};

Result<const Simulation*> simulation_at(const service::WorkspaceLibrary& library,
                                        const net::Request& request) {
  const Simulation* s = library.library->find(request.path_param("slug"));
  if (s == nullptr) return not_found();
  return s;
}

Result<service::WorkspaceLibrary> library_of(ApiContext& context, const Principal& who) {
  return context.library->for_workspace(context.store, who.user.workspace_id);
}

// Each simulation's rating in the workspace and what the workspace's people
// did with the templates copied from it.
class RatedSimulations {
 public:
  static Result<RatedSimulations> of(ApiContext& context, std::int64_t workspace_id,
                                     const service::WorkspaceLibrary& library) {
    return RatedSimulations{PD_TRY(service::scale_context(context.store, workspace_id,
                                                          library.library, &context.spellers)),
                            PD_TRY(service::simulation_outcomes(context.store, workspace_id))};
  }

  PhishRating rating(const Simulation& s) const { return service::rate_simulation(s, scale_); }

  ObservedDifficulty observed(const Simulation& s, Difficulty predicted) const {
    const auto it = by_slug_.find(s.slug);
    return judge_observed(predicted, it == by_slug_.end() ? TemplateOutcome{} : it->second);
  }

 private:
  RatedSimulations(service::ScaleContext scale, std::map<std::string, TemplateOutcome> by_slug)
      : scale_(std::move(scale)), by_slug_(std::move(by_slug)) {}

  service::ScaleContext scale_;
  std::map<std::string, TemplateOutcome> by_slug_;
};

json::object with_rating(json::object out, const PhishRating& rating,
                         const ObservedDifficulty& observed) {
  out["difficulty"] = difficulty_name(rating.difficulty);
  out["rating"] = rating_json(rating);
  out["observed"] = observed_json(observed);
  return out;
}

Result<net::Response> list_simulations(ApiContext& context, net::Request& request,
                                       const Principal& who) {
  const auto filter = PD_TRY(LibraryFilter::of(request));
  const auto library = PD_TRY(library_of(context, who));
  const auto rated = PD_TRY(RatedSimulations::of(context, who.user.workspace_id, library));
  json::array items;
  for (const auto& s : library.library->all()) {
    if (!filter.matches(s, library)) continue;
    const PhishRating rating = rated.rating(s);
    if (!filter.matches(rating.difficulty)) continue;
    items.push_back(
        with_rating(summary_json(s, library), rating, rated.observed(s, rating.difficulty)));
  }
  return json_response(
      200, json::object{{"items", std::move(items)},
                        {"categories", words(simulation_categories())},
                        {"channels", words(simulation_channels())},
                        {"languages", words(simulation_languages())},
                        {"audiences", words(simulation_audiences())},
                        {"difficulties",
                         json::array{"very", "moderately", "moderately_to_least", "least"}}});
}

Result<net::Response> get_simulation(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const auto library = PD_TRY(library_of(context, who));
  const Simulation& s = *PD_TRY(simulation_at(library, request));
  const auto branding = PD_TRY(service::workspace_branding(context.store, who.user.workspace_id));
  const service::PreviewTemplate previewer(context.store, context.tokens, context.phish_base_url);
  const auto preview = PD_TRY(
      previewer.draft(service::branded_template(s, branding, s.title), service::PreviewPerson{}));
  const auto page = service::branded_page(s, branding, s.title);
  const auto rated = PD_TRY(RatedSimulations::of(context, who.user.workspace_id, library));
  const PhishRating rating = rated.rating(s);
  json::object out =
      with_rating(summary_json(s, library), rating, rated.observed(s, rating.difficulty));
  for (auto& [key, value] : parts_json(s)) out[key] = std::move(value);
  out["from_name"] = s.from_name;
  out["from_address"] = s.from_address;
  out["subject"] = s.subject;
  out["landing_page"] =
      s.landing.html.empty()
          ? json::value(nullptr)
          : json::value(json::object{{"title", s.landing.title}, {"capture", s.landing.capture}});
  out["branding"] = json::object{{"org_name", branding.org_name},
                                 {"org_domain", branding.org_domain},
                                 {"org_domain_placeholder", branding.placeholder_domain}};
  out["preview"] =
      json::object{{"from", preview.from},
                   {"subject", preview.subject},
                   {"html", preview.html},
                   {"text", preview.text},
                   {"attachments", preview_attachments_json(preview)},
                   {"landing_html", page ? json::value(page->html) : json::value(nullptr)}};
  return json_response(200, out);
}

Result<net::Response> use_simulation(ApiContext& context, net::Request& request,
                                     const Principal& who) {
  const auto library = PD_TRY(library_of(context, who));
  const Simulation& s = *PD_TRY(simulation_at(library, request));
  const json::object body = PD_TRY(parse_body(request, true));
  FieldReader reader(body);
  PD_TRY(reader.only({"name"}));
  std::optional<std::string> name;
  if (reader.has("name")) name = PD_TRY(reader.string("name", true));
  const auto used = PD_TRY(
      service::use_simulation(context.store, caller(who, request), s, name, context.clock.now()));
  return json_response(201, json::object{{"template_id", used.tmpl.id},
                                         {"template_name", used.tmpl.name},
                                         {"landing_page_id", used.page ? json::value(used.page->id)
                                                                       : json::value(nullptr)}});
}

Result<net::Response> import_pack(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  if (request.body.empty()) {
    return fail(ErrorCode::kValidation,
                "send the pack as a tar archive, plain or gzip-compressed (Content-Type: "
                "application/x-tar or application/gzip)");
  }
  const auto outcomes = PD_TRY(service::import_pack(
      context.store, *context.library, caller(who, request), request.body, context.clock.now()));
  json::array items;
  for (const auto& o : outcomes) {
    items.push_back(json::object{
        {"slug", o.slug}, {"title", o.title}, {"version", o.version}, {"outcome", o.outcome}});
  }
  return json_response(201, json::object{{"simulations", std::move(items)}});
}

Result<net::Response> remove_simulation(ApiContext& context, net::Request& request,
                                        const Principal& who) {
  PD_TRY(service::remove_imported_simulation(context.store, *context.library, caller(who, request),
                                             std::string(request.path_param("slug")),
                                             context.clock.now()));
  return net::Response::no_content();
}

Result<service::ExportRequest> read_export(const json::object& body) {
  FieldReader reader(body);
  PD_TRY(reader.only({"simulations", "templates"}));
  service::ExportRequest out;
  if (const auto* slugs = PD_TRY(reader.array("simulations"))) {
    for (std::size_t i = 0; i < slugs->size(); ++i) {
      if (!(*slugs)[i].is_string()) {
        return fail(ErrorCode::kInvalidType, "simulations holds slugs",
                    fmt::format("simulations[{}]", i));
      }
      out.simulations.emplace_back((*slugs)[i].as_string());
    }
  }
  if (const auto* templates = PD_TRY(reader.array("templates"))) {
    for (std::size_t i = 0; i < templates->size(); ++i) {
      const json::value& item = (*templates)[i];
      if (!item.is_object()) {
        return fail(ErrorCode::kInvalidType, "templates holds objects",
                    fmt::format("templates[{}]", i));
      }
      FieldReader fields(item.as_object(), fmt::format("templates[{}].", i));
      PD_TRY(fields.only({"template_id", "landing_page_id", "slug"}));
      service::TemplateChoice choice{PD_TRY(fields.integer("template_id", true)), {}, {}};
      if (fields.has("landing_page_id") && !item.as_object().at("landing_page_id").is_null()) {
        choice.landing_page_id = PD_TRY(fields.integer("landing_page_id"));
      }
      if (fields.has("slug")) choice.slug = PD_TRY(fields.string("slug"));
      out.templates.push_back(std::move(choice));
    }
  }
  return out;
}

Result<net::Response> export_pack(ApiContext& context, net::Request& request,
                                  const Principal& who) {
  const auto export_request = PD_TRY(read_export(PD_TRY(parse_body(request))));
  const std::int64_t now = context.clock.now();
  std::string pack = PD_TRY(service::export_pack(context.store, *context.library, &context.spellers,
                                                 caller(who, request), export_request, now));
  std::string date = format_rfc3339(now).substr(0, 10);  // "20261208"
  std::erase(date, '-');
  return download_response(std::move(pack), "application/gzip",
                           "phishdrill-pack-" + date + ".tar.gz");
}

}  // namespace

void add_library_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/library/simulations",
             guard(ctx, Role::kViewer, handler(list_simulations)));
  router.add("GET", "/api/v1/library/simulations/{slug}",
             guard(ctx, Role::kViewer, handler(get_simulation)));
  router.add("POST", "/api/v1/library/simulations/{slug}/use",
             guard(ctx, Role::kOperator, handler(use_simulation)));
  router.add("DELETE", "/api/v1/library/simulations/{slug}",
             guard(ctx, Role::kAdmin, handler(remove_simulation)));
  router.add("POST", "/api/v1/library/packs", guard(ctx, Role::kAdmin, handler(import_pack)),
             kPackBodyLimit);
  router.add("POST", "/api/v1/library/export", guard(ctx, Role::kOperator, handler(export_pack)));
}

}  // namespace phishdrill::api
