#include "http_client/curl_http_client.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <optional>

#include "outbound/outbound_guard.h"

namespace phishdrill {
namespace {

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// The URL's host, or nothing when curl cannot parse it or it carries
// credentials.
std::optional<std::string> url_host(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> parsed(curl_url(), curl_url_cleanup);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  char* part = nullptr;
  if (curl_url_get(parsed.get(), CURLUPART_USER, &part, 0) == CURLUE_OK) {
    curl_free(part);
    return std::nullopt;
  }
  if (curl_url_get(parsed.get(), CURLUPART_HOST, &part, 0) != CURLUE_OK) return std::nullopt;
  std::string host(part);
  curl_free(part);
  return host;
}

}  // namespace

HttpPostResult CurlHttpClient::post_json(const std::string& url, const std::string& body,
                                         const HttpHeaders& headers,
                                         const HttpPostOptions& options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const auto host = url_host(url);
  if (!host) return {0, "the URL is not a valid http(s) URL without credentials", true};
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, "cannot create an HTTP client"};
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list,
                                                                          curl_slist_free_all);
  CURL* h = curl.get();
  OutboundGuard guard(options.outbound, OutboundPurpose::kWebhook, *host);
  guard.install(h);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
                   static_cast<long>(std::min<long>(options.timeout.count(), 10)));
  curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "Phishdrill-Webhook/1");
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  const CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (rc != CURLE_OK && guard.refused()) return {0, outbound_refusal_message(*host), true};
  if (rc != CURLE_OK) return {static_cast<int>(status), curl_easy_strerror(rc)};
  return {static_cast<int>(status), {}};
}

}  // namespace phishdrill
