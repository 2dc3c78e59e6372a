// HttpServer: an HTTP/1.1 listener (Boost.Beast, C++20 coroutines) that
// dispatches to a Router. It resolves each request's client address
// (net/client_address.h) into Request::remote_ip. It enforces, before any handler runs: a header
// size limit (431), a per-route body limit (413, checked against Content-Length before the body is
// read), a header timeout and an idle keep-alive timeout against slow clients; it adds security
// headers, records metrics and writes one access-log line per request (path only: query strings may
// hold tokens).
//
// EventLoop owns the I/O threads shared by every server. Thread-safe: handlers
// run concurrently on the loop's threads.
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "core/error.h"
#include "net/http_message.h"
#include "net/http_metrics.h"
#include "net/router.h"

namespace phishdrill::net {

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs the loop on `threads` threads until stop() or SIGINT/SIGTERM.
  void run(int threads);
  void stop();

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct ServerOptions {
  std::string name;    // "admin" or "phish", for logs and metrics
  std::string listen;  // "127.0.0.1:3333", "0.0.0.0:8080", "[::1]:3333"
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{60};
  std::chrono::seconds idle_timeout{60};
  std::size_t max_header_bytes = 16 * 1024;
  bool json_errors = true;   // errors from the server itself as JSON (admin) or plain text
  HeaderList extra_headers;  // added to every response (e.g. Content-Security-Policy)
  // Peers whose X-Forwarded-For is believed (net/client_address.h): the
  // request's remote_ip is then the client the proxy saw.
  std::set<std::string> trusted_proxies;
};

class HttpServer {
 public:
  HttpServer(EventLoop& loop, const Router& router, HttpMetrics& metrics, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting. Fails with a message when the address is
  // malformed or in use.
  Result<void> start();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The error body the server and the API both use:
// {"error":{"code":...,"message":...}}.
std::string json_error_body(std::string_view code, std::string_view message);

}  // namespace phishdrill::net
