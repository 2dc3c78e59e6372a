// gzip (RFC 1952) in memory, for content archives (.tar.gz packs): is_gzip
// by the magic bytes, gunzip with a cap on what it unpacks (a small archive
// cannot expand into gigabytes: past `max_bytes` it stops and refuses), and
// gzip. Errors are kValidation naming the problem. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace phishdrill {

bool is_gzip(std::string_view data);
Result<std::string> gunzip(std::string_view data, std::size_t max_bytes);
std::string gzip(std::string_view data);

}  // namespace phishdrill
