#pragma once
// Text for the public exposure page (警示曝光): the people named in a case
// become "姓 + 某" (邓华 → 邓某, 司马光 → 司马某), and mobile numbers and citizen ID numbers
// anywhere in the text are masked. Pure.
#include <string>
#include <vector>

namespace huoyan::deidentify {

std::string text(const std::string& s, const std::vector<std::string>& names);

}  // namespace huoyan::deidentify
