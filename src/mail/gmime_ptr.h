// RAII ownership for the GLib/GMime C objects used by the mail module.
//
// GObjectPtr<T> owns exactly one reference to a GObject and drops it with
// g_object_unref; GCharPtr owns a g_malloc'd string and frees it with g_free.
// Adopt only pointers the C API documents as "transfer full" (constructors,
// *_new, *_to_string); borrowed pointers (*_get_*) must stay raw.
// Same thread-safety as the objects they own: one owner thread at a time.
#pragma once

#include <gmime/gmime.h>

#include <memory>

namespace phishdrill {

struct GObjectUnref {
  void operator()(gpointer object) const noexcept {
    if (object != nullptr) g_object_unref(object);
  }
};

template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree {
  void operator()(gpointer memory) const noexcept { g_free(memory); }
};

using GCharPtr = std::unique_ptr<char, GFree>;

}  // namespace phishdrill
