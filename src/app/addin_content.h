// Loads the report button's add-in (manifest template and task pane files)
// from its folder (`reporting.addin_dir`, default content/addin). A missing
// folder leaves the button without content: its routes answer 404 and the
// start-up log says why. Runs once at start-up.
#pragma once

#include <string>

#include "phish/report_button_routes.h"

namespace phishdrill::app {

phish::AddinContent load_addin_content(const std::string& dir);

}  // namespace phishdrill::app
