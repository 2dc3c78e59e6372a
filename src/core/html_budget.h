// Whether gumbo can parse a document at a bounded cost. Gumbo, like the HTML
// standard it follows, can spend time and memory far beyond the input's size
// on hostile markup: work grows with the square of the nesting depth (40,000
// nested <div>s take about 3 s) and with the square of the formatting
// elements left open (each new paragraph reopens them all: 75 KB of
// "<p><b id=N>x</p>" takes 3 GB). A cheap scan of the source estimates both
// from its tags (it does not parse); a document over either limit, or over
// kMaxHtmlBytes, is not parsed at all (core/html_tree.h), and every caller
// fails closed. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace phishdrill {

inline constexpr std::size_t kMaxHtmlBytes = 8u << 20;
inline constexpr int kMaxHtmlDepth = 12000;         // open elements at once (about 0.25 s)
inline constexpr int kMaxOpenFormattingTags = 300;  // <b>, <i>, <font> ... not closed

bool html_within_budget(std::string_view html);

}  // namespace phishdrill
