#pragma once
// Distances on the earth for geofences: WGS-84 coordinates, haversine on a
// sphere of the mean radius (error < 0.5 % — far below phone GPS accuracy).
namespace huoyan::geo {

struct Point {
  double lat = 0, lng = 0;
};

double distance_m(Point a, Point b);

// Inside a circle of `radius_m` around `center`, allowing for the fix's own
// accuracy (a fix reported ±50 m may be 50 m closer than it says).
bool within(Point fix, double accuracy_m, Point center, double radius_m);

}  // namespace huoyan::geo
