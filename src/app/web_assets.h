// The admin single-page app (web/), built by Vite and compiled into the
// binary by CMake (web/embed_assets.cmake generates the definition).
// Paths start with "/" ("/index.html", "/assets/index-1a2b3c.js"); hashed
// files under /assets/ never change content. Immutable data; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace phishdrill::app {

struct WebAsset {
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

std::span<const WebAsset> web_assets();

}  // namespace phishdrill::app
