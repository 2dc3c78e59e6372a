// Makes arbitrary imported text safe to store as a message template.
//
// The template language (core/message_template.h) rejects any "{{" that does
// not open one of its variables, so text imported from elsewhere (an .eml, a
// web page) may not compile. This rewrites every such "{{" as "{ {" and keeps
// valid expressions ({{.FirstName}}, {{ .URL }}, ...) untouched. Only ASCII
// spaces are accepted inside the braces, a subset of what the compiler allows,
// so the result always compiles. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace phishdrill {

std::string neutralise_template_braces(std::string_view text);

}  // namespace phishdrill
