#pragma once
// QR codes as SVG (libqrencode), for venue posters and permits (一证一码).
#include <string>

namespace huoyan::app {

// A square SVG of `text` at error-correction level M with a 4-module quiet zone.
std::string qr_svg(const std::string& text, int module_px = 8);

}  // namespace huoyan::app
