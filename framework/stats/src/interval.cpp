#include "rollproof/stats/interval.hpp"

#include <boost/math/distributions/normal.hpp>

namespace rollproof::stats {

double normal_quantile_two_sided(double confidence) {
  if (!(confidence > 0 && confidence < 1)) return 0;
  return boost::math::quantile(boost::math::normal_distribution<double>{}, 0.5 + confidence / 2);
}

}  // namespace rollproof::stats
