#include <catch2/catch.hpp>

#include "clusterbench/report/knee.hpp"

using namespace cb;

TEST_CASE("elbow by chord finds the bend of a decreasing curve and nothing on a straight line", "[report][select]") {
  REQUIRE(report::knee_by_chord({1, 2, 3, 4, 5, 6}, {100, 30, 25, 22, 20, 19}) == 2);
  REQUIRE(report::knee_by_chord({1, 2, 3, 4, 5, 6}, {100, 40, 20, 15, 12, 10}) ==
          3);                                                          // 0.49 below the chord at 3, 0.47 at 2
  REQUIRE(report::knee_by_chord({2, 4, 6, 8}, {50, 45, 10, 8}) == 6);  // uneven k steps are scaled, not counted
  REQUIRE(report::knee_by_chord({1, 2, 3, 4}, {4, 3, 2, 1}) == 0);
  REQUIRE(report::knee_by_chord({1, 2}, {4, 1}) == 0);
}
