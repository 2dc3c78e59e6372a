#include "net/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <thread>
#include <vector>

#include "core/ascii.h"
#include "core/log_text.h"
#include "core/utf8.h"
#include "net/client_address.h"
#include "net/request_parser.h"

namespace phishdrill::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct EventLoop::Impl {
  asio::io_context io;
  asio::signal_set signals{io, SIGINT, SIGTERM};
};

EventLoop::EventLoop() : impl_(std::make_unique<Impl>()) {}
EventLoop::~EventLoop() = default;

void EventLoop::run(int threads) {
  impl_->signals.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("event=shutdown signal={}", signal);
    impl_->io.stop();
  });
  std::vector<std::jthread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
}

void EventLoop::stop() { impl_->io.stop(); }

std::string json_error_body(std::string_view code, std::string_view message) {
  boost::json::value body = {{"error", {{"code", code}, {"message", message}}}};
  return boost::json::serialize(body);
}

struct HttpServer::Impl {
  EventLoop& loop;
  const Router& router;
  HttpMetrics& metrics;
  ServerOptions options;
  std::unique_ptr<tcp::acceptor> acceptor;
};

namespace {

struct Shared {
  const Router& router;
  HttpMetrics& metrics;
  const ServerOptions& options;
};

Response server_error(const ServerOptions& options, int status, std::string_view code,
                      std::string_view message) {
  if (options.json_errors) return Response::json(status, json_error_body(code, message));
  return Response::text(status, std::string(message) + "\n");
}

void add_security_headers(const ServerOptions& options, Response& response) {
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  // A handler that is meant to be framed (the triage inbox's rendering, the
  // report button's pane) says so itself; nothing else is.
  std::vector<std::pair<std::string, std::string>> defaults = options.extra_headers;
  defaults.emplace_back("X-Frame-Options", "DENY");
  for (const auto& [name, value] : defaults) {
    bool present = false;
    for (const auto& [existing, unused] : response.headers)
      present |= ascii_iequals(existing, name);
    if (!present) response.headers.emplace_back(name, value);
  }
}

http::response<http::string_body> to_beast(Response&& response, unsigned version, bool keep_alive,
                                           bool head) {
  http::response<http::string_body> out{static_cast<http::status>(response.status), version};
  for (auto& [name, value] : response.headers) out.insert(name, value);
  out.keep_alive(keep_alive);
  out.body() = std::move(response.body);
  out.prepare_payload();
  if (head) out.body().clear();
  return out;
}

std::string peer_address(const beast::tcp_stream& stream) {
  boost::system::error_code ec;
  const auto endpoint = stream.socket().remote_endpoint(ec);
  if (ec) return "unknown";
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

asio::awaitable<void> write_response(beast::tcp_stream& stream, Response response, unsigned version,
                                     bool keep_alive, bool head) {
  auto out = to_beast(std::move(response), version, keep_alive, head);
  co_await http::async_write(stream, out, asio::use_awaitable);
}

// Half-closes, then reads and discards what the client is still sending (for
// a bounded time and size) so that closing does not reset the connection
// before the client has read our answer (e.g. a 413 sent mid-upload).
asio::awaitable<void> close_gracefully(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  stream.expires_after(std::chrono::seconds(2));
  std::array<char, 16384> discard;
  std::size_t total = 0;
  while (total < 64 * 1024 * 1024) {
    auto [read_ec, n] =
        co_await stream.async_read_some(asio::buffer(discard), asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    total += n;
  }
}

// Awaits an asynchronous handler: its answer, given on any thread, resumes
// this coroutine on the connection's executor.
asio::awaitable<Response> await_async(const AsyncHandler& handler, Request& request) {
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [&handler, &request](auto completion) {
        auto shared = std::make_shared<decltype(completion)>(std::move(completion));
        handler(request, [shared](Response response) {
          auto executor = asio::get_associated_executor(*shared);
          asio::post(executor, [shared, response = std::move(response)]() mutable {
            (*shared)(std::move(response));
          });
        });
      },
      asio::use_awaitable);
}

// Runs one request through the router; never throws.
asio::awaitable<Response> dispatch(const Shared& shared, Request& request) {
  const auto match = shared.router.match(request.method, request.path);
  if (match.route == nullptr) {
    request.route = "unmatched";
    if (match.path_known) {
      co_return server_error(shared.options, 405, "method_not_allowed",
                             "this method is not allowed here");
    }
    // The phish server answers like any plain web server (and like its own
    // tracking 404s), so probing paths tells nothing.
    if (!shared.options.json_errors) co_return Response::text(404, "404 page not found\n");
    co_return server_error(shared.options, 404, "not_found", "no such endpoint");
  }
  request.route = match.route->pattern;
  request.path_params = match.params;
  try {
    if (match.route->async_handler)
      co_return co_await await_async(match.route->async_handler, request);
    co_return match.route->handler(request);
  } catch (const std::exception& e) {
    spdlog::error("event=handler_exception route={} what={}", log_value(request.route),
                  log_value(e.what()));
    co_return server_error(shared.options, 500, "internal", "internal error");
  }
}

// True for a path segment that looks like a random credential: 32 or more
// base64url characters mixing upper case, lower case and digits (slugs and
// ids never do).
bool looks_like_token(std::string_view segment) {
  if (segment.size() < 32) return false;
  bool upper = false, lower = false, digit = false;
  for (const char c : segment) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c != '-' && c != '_') {
      return false;
    }
  }
  return upper && lower && digit;
}

// The path as the access log shows it: a `{token}` path parameter is a
// credential (a personal portal link), and so is any segment that looks like
// one (a mistyped link matches no route), so their values are replaced.
std::string loggable_path(const Request& request) {
  std::string path;
  std::size_t start = 0;
  const std::string_view full = request.path;
  while (start <= full.size()) {
    const auto slash = full.find('/', start);
    const auto end = slash == std::string_view::npos ? full.size() : slash;
    const auto segment = full.substr(start, end - start);
    const bool named_token = std::any_of(
        request.path_params.begin(), request.path_params.end(),
        [&](const auto& param) { return param.first == "token" && param.second == segment; });
    path += (named_token || looks_like_token(segment)) ? std::string_view("{token}") : segment;
    if (slash == std::string_view::npos) break;
    path += '/';
    start = slash + 1;
  }
  return path;
}

asio::awaitable<void> serve_connection(beast::tcp_stream stream, Shared shared) {
  const std::string peer = peer_address(stream);
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(shared.options.max_header_bytes));
    // The route's limit is applied once the header is read: Beast would
    // otherwise fail the header read itself on a large Content-Length,
    // leaving no chance to answer 413.
    parser.body_limit(boost::none);
    stream.expires_after(first ? shared.options.header_timeout : shared.options.idle_timeout);
    first = false;
    auto [ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser,
                                                               asio::as_tuple(asio::use_awaitable));
    (void)header_bytes;
    if (ec) {
      if (ec == http::error::header_limit) {
        auto refused =
            server_error(shared.options, 431, "bad_request", "request headers are too large");
        add_security_headers(shared.options, refused);
        co_await write_response(stream, std::move(refused), 11, false, false);
      }
      break;
    }
    // Timed from the header, not from the previous response: a keep-alive
    // connection's idle wait is not the request's duration.
    const auto started = std::chrono::steady_clock::now();
    stream.expires_after(shared.options.header_timeout);

    Request request;
    const auto& header = parser.get();
    request.method = std::string(header.method_string());
    const bool keep_alive = header.keep_alive();
    const unsigned version = header.version();
    const bool head = request.method == "HEAD";
    for (const auto& field : header) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.remote_ip = client_address(peer, request.header_lines("X-Forwarded-For"),
                                       shared.options.trusted_proxies);

    Response response;
    bool close_after = !keep_alive;
    if (!parse_target(header.target(), request)) {
      request.route = "unmatched";
      response = server_error(shared.options, 400, "bad_request", "malformed request target");
      close_after = true;
    } else {
      const auto match = shared.router.match(request.method, request.path);
      const std::size_t limit = match.route ? match.route->body_limit : kDefaultBodyLimit;
      const auto length = parser.content_length();
      if (length && *length > limit) {
        request.route = match.route ? match.route->pattern : "unmatched";
        response = server_error(shared.options, 413, "payload_too_large",
                                fmt::format("the request body is larger than {} bytes", limit));
        close_after = true;
      } else {
        parser.body_limit(limit);
        if (ascii_iequals(header[http::field::expect], "100-continue")) {
          http::response<http::empty_body> cont{http::status::continue_, version};
          co_await http::async_write(stream, cont, asio::use_awaitable);
        }
        stream.expires_after(shared.options.body_timeout);
        auto [body_ec, body_bytes] =
            co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
        (void)body_bytes;
        if (body_ec == http::error::body_limit) {
          request.route = match.route ? match.route->pattern : "unmatched";
          response = server_error(shared.options, 413, "payload_too_large",
                                  fmt::format("the request body is larger than {} bytes", limit));
          close_after = true;
        } else if (body_ec) {
          break;
        } else {
          request.body = std::move(parser.get().body());
          response = co_await dispatch(shared, request);
        }
      }
    }

    add_security_headers(shared.options, response);
    const int status = response.status;
    const std::size_t bytes = response.body.size();
    stream.expires_after(shared.options.body_timeout);
    auto out = to_beast(std::move(response), version, !close_after, head);
    auto [write_ec, written] =
        co_await http::async_write(stream, out, asio::as_tuple(asio::use_awaitable));
    (void)written;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    shared.metrics.record(request.route, request.method, status, seconds);
    const std::string logged = loggable_path(request);
    spdlog::info("event=http server={} ip={} method={} path={} status={} bytes={} ms={:.2f}",
                 shared.options.name, log_value(request.remote_ip), log_value(request.method),
                 log_value(utf8_prefix(logged, 200)), status, bytes, seconds * 1000);
    if (write_ec || close_after) break;
  }
  co_await close_gracefully(stream);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, Shared shared) {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    // Each connection lives on its own strand: the stream's timeout handler
    // and the coroutine's reads and writes never run at the same time.
    auto strand = asio::make_strand(acceptor.get_executor());
    auto [ec, socket] = co_await acceptor.async_accept(strand, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // Out of file descriptors and the like: pause instead of spinning.
      spdlog::warn("event=accept_failed server={} error={}", shared.options.name,
                   log_value(ec.message()));
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    co_spawn(strand, serve_connection(beast::tcp_stream(std::move(socket)), shared),
             asio::detached);
  }
}

Result<tcp::endpoint> parse_listen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return fail(ErrorCode::kValidation, "expected host:port: " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "*") host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
  }
  if (ec || port < 0 || port > 65535) {
    return fail(ErrorCode::kValidation, "not a valid listen address: " + listen);
  }
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace

HttpServer::HttpServer(EventLoop& loop, const Router& router, HttpMetrics& metrics,
                       ServerOptions options)
    : impl_(std::make_unique<Impl>(Impl{loop, router, metrics, std::move(options), nullptr})) {}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::start() {
  auto endpoint = parse_listen(impl_->options.listen);
  if (!endpoint) return std::unexpected(endpoint.error());
  auto& io = impl_->loop.impl().io;
  auto acceptor = std::make_unique<tcp::acceptor>(io);
  boost::system::error_code ec;
  acceptor->open(endpoint->protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(*endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail(ErrorCode::kInternal,
                fmt::format("cannot listen on {}: {}", impl_->options.listen, ec.message()));
  }
  impl_->acceptor = std::move(acceptor);
  co_spawn(io, accept_loop(*impl_->acceptor, Shared{impl_->router, impl_->metrics, impl_->options}),
           asio::detached);
  return {};
}

}  // namespace phishdrill::net
