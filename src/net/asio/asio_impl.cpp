// The single translation unit that compiles Asio and Beast (see DESIGN.md):
// every other file includes their headers with *_SEPARATE_COMPILATION set.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
