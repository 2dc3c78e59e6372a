// The simulation library as the server holds it: the shipped simulations,
// loaded once at start (library/simulation_loader.h) and never changed
// after, so any thread may read it. find() by slug; the list sorted by title.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "library/simulation.h"

namespace phishdrill {

class SimulationLibrary {
 public:
  SimulationLibrary() = default;
  explicit SimulationLibrary(std::vector<Simulation> simulations);

  // Loads every simulation under `root`; a missing folder is an empty library.
  static Result<SimulationLibrary> load(const std::filesystem::path& root);

  const std::vector<Simulation>& all() const { return simulations_; }
  const Simulation* find(std::string_view slug) const;

 private:
  std::vector<Simulation> simulations_;
  std::map<std::string, std::size_t, std::less<>> by_slug_;
};

}  // namespace phishdrill
