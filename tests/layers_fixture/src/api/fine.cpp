// The API including core and net: allowed.
#include "core/error.h"
#include "net/http_message.h"
