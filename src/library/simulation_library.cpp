#include "library/simulation_library.h"

#include <algorithm>

#include "library/simulation_loader.h"

namespace phishdrill {

SimulationLibrary::SimulationLibrary(std::vector<Simulation> simulations)
    : simulations_(std::move(simulations)) {
  std::stable_sort(simulations_.begin(), simulations_.end(),
                   [](const Simulation& a, const Simulation& b) { return a.title < b.title; });
  for (std::size_t i = 0; i < simulations_.size(); ++i) by_slug_[simulations_[i].slug] = i;
}

Result<SimulationLibrary> SimulationLibrary::load(const std::filesystem::path& root) {
  if (!std::filesystem::is_directory(root)) return SimulationLibrary();
  return SimulationLibrary(PD_TRY(load_simulations(root)));
}

const Simulation* SimulationLibrary::find(std::string_view slug) const {
  const auto found = by_slug_.find(slug);
  return found == by_slug_.end() ? nullptr : &simulations_[found->second];
}

}  // namespace phishdrill
