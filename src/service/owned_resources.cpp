#include "service/owned_resources.h"

namespace phishdrill::service {

std::unexpected<Error> not_found() { return fail(ErrorCode::kNotFound, "not found"); }

}  // namespace phishdrill::service
