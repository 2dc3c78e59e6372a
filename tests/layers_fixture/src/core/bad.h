// A core header that reaches up into the API layer: the checker must refuse it.
#pragma once
#include "api/context.h"
#include "core/error.h"
