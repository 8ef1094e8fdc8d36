#include "domain/geo.h"

#include <algorithm>
#include <cmath>

namespace huoyan::geo {

double distance_m(Point a, Point b) {
  constexpr double kEarthRadius = 6371008.8;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (b.lat - a.lat) * kRad, dlng = (b.lng - a.lng) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(h)));
}

bool within(Point fix, double accuracy_m, Point center, double radius_m) {
  return distance_m(fix, center) - std::max(0.0, accuracy_m) <= radius_m;
}

}  // namespace huoyan::geo
